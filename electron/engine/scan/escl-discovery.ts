import makeMdns from 'multicast-dns';
import type { ResponsePacket } from 'multicast-dns';

/** A network scanner found by DNS-SD. */
export interface DiscoveredScanner {
  /** Its name on the network (`ty` in the TXT record, else the service instance name). */
  name: string;
  /** Base URL of its eSCL service: `http(s)://address:port/<rs>`. */
  url: string;
  uuid: string | undefined;
}

/** The part of a multicast-dns instance discovery uses (so tests can hand in a fake network). */
export interface MdnsTransport {
  on(event: 'response', listener: (packet: ResponsePacket) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  query(query: { questions: { name: string; type: 'PTR' | 'SRV' | 'TXT' | 'A' }[] }): void;
  destroy(): void;
}

export const esclServiceTypes = ['_uscan._tcp.local', '_uscans._tcp.local'] as const;

interface Instance {
  secure: boolean;
  port?: number;
  target?: string;
  txt: Record<string, string>;
}

function txtRecord(data: unknown): Record<string, string> {
  const entries = Array.isArray(data) ? data : [data];
  const record: Record<string, string> = {};
  for (const entry of entries) {
    const text = Buffer.isBuffer(entry) ? entry.toString('utf8') : typeof entry === 'string' ? entry : '';
    const at = text.indexOf('=');
    if (at > 0) record[text.slice(0, at).toLowerCase()] = text.slice(at + 1);
  }
  return record;
}

function instanceLabel(instance: string): string {
  const label = instance.replace(/\._uscans?\._tcp\.local\.?$/, '');
  return label.replace(/\\(\d{3})/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/\\(.)/g, '$1');
}

/**
 * Collects the answers of DNS-SD queries for `_uscan._tcp` and `_uscans._tcp`.
 *
 * PTR names the service instances, SRV their host and port, TXT their eSCL
 * path (`rs`) and model (`ty`), A their IPv4 address. Answers and additional
 * records count alike; what is still missing after the first answers is asked
 * for explicitly.
 */
export class EsclDiscoveryCollector {
  private readonly instances = new Map<string, Instance>();
  private readonly addresses = new Map<string, string>();

  /** Takes one mDNS response; returns the names it still needs to resolve (SRV/TXT of instances, A of hosts). */
  add(packet: ResponsePacket): { name: string; type: 'SRV' | 'TXT' | 'A' }[] {
    const records = [...packet.answers, ...(packet.additionals ?? [])];
    for (const record of records) {
      const name = record.name.replace(/\.$/, '');
      if (record.type === 'PTR' && esclServiceTypes.some((type) => name.toLowerCase() === type)) {
        const instance = String(record.data).replace(/\.$/, '');
        if (!this.instances.has(instance)) {
          this.instances.set(instance, { secure: name.toLowerCase().startsWith('_uscans'), txt: {} });
        }
      }
    }
    for (const record of records) {
      const name = record.name.replace(/\.$/, '');
      const instance = this.instances.get(name);
      if (record.type === 'SRV' && instance !== undefined) {
        instance.port = record.data.port;
        instance.target = record.data.target.replace(/\.$/, '');
      } else if (record.type === 'TXT' && instance !== undefined) {
        instance.txt = { ...instance.txt, ...txtRecord(record.data) };
      } else if (record.type === 'A') {
        this.addresses.set(name.toLowerCase(), record.data);
      }
    }
    const missing: { name: string; type: 'SRV' | 'TXT' | 'A' }[] = [];
    for (const [name, instance] of this.instances) {
      if (instance.port === undefined) missing.push({ name, type: 'SRV' });
      if (Object.keys(instance.txt).length === 0) missing.push({ name, type: 'TXT' });
      if (instance.target !== undefined && !this.addresses.has(instance.target.toLowerCase())) {
        missing.push({ name: instance.target, type: 'A' });
      }
    }
    return missing;
  }

  /** The scanners fully resolved so far; one per address and port, plain HTTP preferred (its certificate cannot fail). */
  scanners(): DiscoveredScanner[] {
    const byEndpoint = new Map<string, DiscoveredScanner & { secure: boolean }>();
    for (const [instance, found] of this.instances) {
      if (found.port === undefined || found.target === undefined) continue;
      const address = this.addresses.get(found.target.toLowerCase());
      if (address === undefined) continue;
      const resource = (found.txt.rs ?? 'eSCL').replace(/^\/+|\/+$/g, '');
      const url = `${found.secure ? 'https' : 'http'}://${address}:${found.port}${resource === '' ? '' : `/${resource}`}`;
      const key = `${address}|${found.txt.uuid ?? instance}`;
      const existing = byEndpoint.get(key);
      if (existing !== undefined && !existing.secure) continue;
      byEndpoint.set(key, {
        name: found.txt.ty ?? instanceLabel(instance),
        url,
        uuid: found.txt.uuid,
        secure: found.secure,
      });
    }
    return [...byEndpoint.values()].map(({ secure: _secure, ...scanner }) => scanner);
  }
}

/** Discovery settings; tests pass their own transport, since multicast does not reach the loopback of a container. */
export interface DiscoverOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  transport?: () => MdnsTransport;
}

/** Asks the local network for eSCL scanners for `timeoutMs` and returns what answered. */
export async function discoverEsclScanners(
  options: DiscoverOptions,
  onError: (error: Error) => void = () => undefined,
): Promise<DiscoveredScanner[]> {
  const transport = options.transport?.() ?? makeMdns();
  const collector = new EsclDiscoveryCollector();
  const asked = new Set<string>();
  try {
    // A machine without multicast (no network, port 5353 taken) finds nothing rather than failing.
    transport.on('error', onError);
    transport.on('response', (packet) => {
      const missing = collector.add(packet).filter((question) => !asked.has(`${question.type} ${question.name}`));
      for (const question of missing) asked.add(`${question.type} ${question.name}`);
      if (missing.length > 0) transport.query({ questions: missing });
    });
    transport.query({ questions: esclServiceTypes.map((name) => ({ name, type: 'PTR' as const })) });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.timeoutMs);
      options.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    return collector.scanners();
  } finally {
    transport.destroy();
  }
}

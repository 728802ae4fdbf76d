// A TCP proxy of the tests' own that stands between a station and the reference warehouse and
// misbehaves on purpose: it cuts connections at random byte offsets (in either direction),
// stalls them, and answers 500 or 429 instead of the warehouse. Seeded, so a failing run can
// be replayed with the seed it printed.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FaultPlan {
  /** Chance that a connection is cut after a random number of bytes from the station. */
  cutUpstream: number;
  /** Chance that a connection is cut after a random number of bytes from the warehouse (lost answers). */
  cutDownstream: number;
  /** Upper bound of the random offset of an upstream cut or stall, in bytes. */
  maxOffsetBytes: number;
  /** Chance that a connection stalls (both directions) at a random offset. */
  stall: number;
  stallMs: [number, number];
  /** Chance that a connection's first request is answered 500 by the proxy itself. */
  error500: number;
  /** Chance that it is answered 429 with `Retry-After`. */
  error429: number;
  retryAfterSeconds: number;
}

export const noFaults: FaultPlan = {
  cutUpstream: 0,
  cutDownstream: 0,
  maxOffsetBytes: 0,
  stall: 0,
  stallMs: [0, 0],
  error500: 0,
  error429: 0,
  retryAfterSeconds: 1,
};

export interface FaultStats {
  connections: number;
  cutsUpstream: number;
  cutsDownstream: number;
  stalls: number;
  injected500: number;
  injected429: number;
  bytesUpstream: number;
}

export interface FaultProxy {
  url: string;
  port: number;
  seed: number;
  stats: FaultStats;
  setPlan(plan: FaultPlan): void;
  /** Where to forward (set after the warehouse started, when it must know the proxy's address first). */
  setTarget(target: { host: string; port: number }): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG, enough to replay a run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function injected(status: 500 | 429, retryAfterSeconds: number): string {
  const body = JSON.stringify({
    error: status === 500 ? 'server_error' : 'rate_limited',
    message: `injected by the fault proxy (${status})`,
  });
  return [
    `HTTP/1.1 ${status} ${status === 500 ? 'Internal Server Error' : 'Too Many Requests'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(status === 429 ? [`Retry-After: ${retryAfterSeconds}`] : []),
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Starts the proxy on 127.0.0.1, forwarding to `target`. */
export async function startFaultProxy(options: {
  target: { host: string; port: number };
  plan?: FaultPlan;
  seed?: number;
  port?: number;
}): Promise<FaultProxy> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  let plan = options.plan ?? noFaults;
  let target = options.target;
  const stats: FaultStats = {
    connections: 0,
    cutsUpstream: 0,
    cutsDownstream: 0,
    stalls: 0,
    injected500: 0,
    injected429: 0,
    bytesUpstream: 0,
  };
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };

  const server = net.createServer((client) => {
    track(client);
    stats.connections += 1;
    const roll = random();
    if (roll < plan.error500 + plan.error429) {
      const status = roll < plan.error500 ? 500 : 429;
      client.once('data', () => {
        if (status === 500) stats.injected500 += 1;
        else stats.injected429 += 1;
        client.end(injected(status, plan.retryAfterSeconds));
      });
      return;
    }
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    const offset = (): number => Math.floor(random() * plan.maxOffsetBytes);
    let upBudget = random() < plan.cutUpstream ? offset() : Number.POSITIVE_INFINITY;
    let downBudget = random() < plan.cutDownstream ? Math.floor(random() * 4000) : Number.POSITIVE_INFINITY;
    let stallAt = random() < plan.stall ? offset() : Number.POSITIVE_INFINITY;
    const stallFor = plan.stallMs[0] + random() * (plan.stallMs[1] - plan.stallMs[0]);
    let stalledUntil = 0;
    // Once cut, nothing more passes in either direction: a real link never delivers bytes after a gap.
    let cut = false;
    const kill = (): void => {
      cut = true;
      client.destroy();
      upstream.destroy();
    };

    /** Forwards with back-pressure; `take` says how much of a chunk may pass, -1 = cut now. */
    const pipe = (from: net.Socket, to: net.Socket, take: (chunk: Buffer) => Buffer | null): void => {
      from.on('data', (chunk: Buffer) => {
        if (cut) return;
        const pass = take(chunk);
        if (pass === null) return;
        const wait = stalledUntil - Date.now();
        if (wait > 0) {
          from.pause();
          setTimeout(() => {
            if (!cut && !to.destroyed) to.write(pass);
            from.resume();
          }, wait);
          return;
        }
        if (!to.write(pass)) {
          from.pause();
          to.once('drain', () => from.resume());
        }
      });
      from.on('end', () => to.end());
      from.on('close', () => to.destroy());
    };

    pipe(client, upstream, (chunk) => {
      if (chunk.length >= stallAt) {
        stats.stalls += 1;
        stalledUntil = Date.now() + stallFor;
        stallAt = Number.POSITIVE_INFINITY;
      } else stallAt -= chunk.length;
      if (chunk.length >= upBudget) {
        stats.cutsUpstream += 1;
        const part = chunk.subarray(0, upBudget);
        upBudget = Number.POSITIVE_INFINITY;
        cut = true;
        stats.bytesUpstream += part.length;
        upstream.write(part, () => kill());
        setTimeout(kill, 50);
        return null;
      }
      upBudget -= chunk.length;
      stats.bytesUpstream += chunk.length;
      return chunk;
    });
    pipe(upstream, client, (chunk) => {
      if (chunk.length >= downBudget) {
        stats.cutsDownstream += 1;
        const part = chunk.subarray(0, downBudget);
        downBudget = Number.POSITIVE_INFINITY;
        cut = true;
        client.write(part, () => kill());
        setTimeout(kill, 50);
        return null;
      }
      downBudget -= chunk.length;
      return chunk;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seed,
    stats,
    setPlan(next) {
      plan = next;
    },
    setTarget(next) {
      target = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

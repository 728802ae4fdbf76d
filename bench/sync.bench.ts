// `npm run bench sync`: delivery to the reference warehouse.
//   1. Throughput on loopback: the station delivering N results (token, tus upload, registration,
//      read-back) against curl PATCHing the same bytes to tus uploads made beforehand.
//   2. A link shaped to 2 Mbit/s with tc (tbf) on a veth pair into a network namespace the
//      benchmark makes itself (root and iproute2 needed): the share of the link the station uses,
//      beside curl's. The warehouse there is on a private address, so it speaks https with a
//      private CA, as a province would.
//   3. The bandwidth cap setting: what the station really sends when capped.
// Prints one table. The reference warehouse runs in its own process, as a real one would.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import type { OutboxItem } from '../shared/domain.js';
import { createEngine } from '../electron/engine/engine.js';
import type { Engine } from '../electron/engine/engine.js';
import { createSilentLogger } from '../electron/engine/logging/logger.js';
import { makeTestCa } from '../test/support/warehouse/test-ca.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-sync-'));
const loopbackDocs = Number(process.env.SOHOA_BENCH_SYNC_DOCS ?? 4);
const loopbackDocBytes = 8 * 1024 * 1024;
const shapedBytes = 6 * 1024 * 1024;
const rounds = 3;
/** The station's chunk size: the default setting unless SOHOA_BENCH_SYNC_CHUNK (bytes) says otherwise. */
const chunkSetting =
  process.env.SOHOA_BENCH_SYNC_CHUNK === undefined ? {} : { chunkBytes: Number(process.env.SOHOA_BENCH_SYNC_CHUNK) };
const linkBitsPerSecond = 2_000_000;

interface Warehouse {
  url: string;
  clientId: string;
  clientSecret: string;
  child: ChildProcess;
}

/** Starts the reference warehouse in its own process (optionally inside a network namespace). */
function startWarehouse(args: string[], netns?: string): Promise<Warehouse> {
  const node = [
    process.execPath,
    '--import',
    'tsx',
    path.join(root, 'test/support/warehouse/main.ts'),
    '--json',
    ...args,
  ];
  const [command, ...rest] = netns === undefined ? node : ['ip', 'netns', 'exec', netns, ...node];
  return new Promise((resolve, reject) => {
    const child = spawn(command ?? 'node', rest, { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) {
        const facts = JSON.parse(line) as { publicUrl: string; clientId: string; clientSecret: string };
        resolve({ url: facts.publicUrl, clientId: facts.clientId, clientSecret: facts.clientSecret, child });
      }
    });
    child.on('exit', (code) => reject(new Error(`warehouse exited with ${String(code)}: ${err}`)));
  });
}

function stopWarehouse(warehouse: Warehouse): Promise<void> {
  return new Promise((resolve) => {
    warehouse.child.removeAllListeners('exit');
    warehouse.child.on('exit', () => resolve());
    warehouse.child.kill('SIGTERM');
  });
}

function makeFiles(count: number, bytes: number): Buffer[] {
  return Array.from({ length: count }, () => crypto.randomBytes(bytes));
}

/** A station on its own data folder, its files queued; returns it ready to deliver. */
async function stationWith(
  name: string,
  warehouse: Warehouse,
  files: Buffer[],
  settings: Record<string, unknown>,
): Promise<Engine> {
  const dataDir = path.join(work, name);
  fs.mkdirSync(dataDir, { recursive: true });
  const config = path.join(dataDir, 'settings.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      warehouse: { url: warehouse.url, clientId: warehouse.clientId, allowInsecureLoopback: true, ...settings },
    }),
  );
  const engine = await createEngine({
    dataDir,
    resourcesDir: path.join(root, 'resources'),
    transport: 'direct',
    configFile: config,
    policyFile: null,
    logger: createSilentLogger(),
  });
  await engine.sync.setSecret(warehouse.clientSecret);
  for (const [index, data] of files.entries()) {
    const sha256 = await engine.store.files.put(data);
    engine.sync.enqueue({
      documentId: `${name}-${index}`,
      fileSha256: sha256,
      record: { documentNumber: `${index}/GCN`, issuedDate: '2024-03-02', kind: 1, status: 'valid', pages: 1 },
    });
  }
  return engine;
}

/** Delivers everything queued; returns the seconds of the whole run and of its tus upload phases alone. */
async function deliver(engine: Engine, expected: number): Promise<{ total: number; upload: number }> {
  let upload = 0;
  const began = new Map<string, number>();
  const stop = engine.events.onAny((name, payload) => {
    if (name !== 'sync:item-changed') return;
    const item = payload as OutboxItem;
    if (item.state === 'uploading' && !began.has(item.documentId)) began.set(item.documentId, performance.now());
    const from = began.get(item.documentId);
    // The first 'registering' ends the upload phase (the row changes again while registering).
    if (item.state === 'registering' && from !== undefined && from >= 0) {
      upload += performance.now() - from;
      began.set(item.documentId, -1);
    }
  });
  const started = performance.now();
  const summary = await engine.sync.runOnce();
  const total = (performance.now() - started) / 1000;
  stop();
  if (summary.verified !== expected) {
    throw new Error(`delivered ${summary.verified} of ${expected}: ${JSON.stringify(summary)}`);
  }
  return { total, upload: upload / 1000 };
}

/** curl PATCHing each file whole (streamed, -T) to a tus upload created beforehand (creation not timed); returns seconds. */
async function curlUpload(warehouse: Warehouse, files: Buffer[], caFile?: string): Promise<number> {
  const agent = new Agent(caFile === undefined ? {} : { connect: { ca: fs.readFileSync(caFile, 'utf8') } });
  const discovery = (await (
    await request(`${warehouse.url}/.well-known/openid-configuration`, { dispatcher: agent })
  ).body.json()) as { token_endpoint: string };
  const tokenResponse = await request(discovery.token_endpoint, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      authorization: `Basic ${Buffer.from(`${warehouse.clientId}:${warehouse.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=records',
  });
  const { access_token: token } = (await tokenResponse.body.json()) as { access_token: string };
  const jobs: { file: string; url: string }[] = [];
  for (const [index, data] of files.entries()) {
    const file = path.join(work, `curl-${index}-${crypto.randomBytes(3).toString('hex')}.bin`);
    fs.writeFileSync(file, data);
    const created = await request(`${warehouse.url}/files/`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', 'upload-length': String(data.length) },
    });
    await created.body.dump();
    jobs.push({ file, url: new URL(String(created.headers.location), warehouse.url).toString() });
  }
  await agent.close();
  const started = performance.now();
  for (const job of jobs) {
    const result = spawnSync(
      'curl',
      [
        '-sS',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-X',
        'PATCH',
        // -T streams the file as curl uploads do (--data-binary would read it into memory first).
        '-T',
        job.file,
        '-H',
        `Authorization: Bearer ${token}`,
        '-H',
        'Tus-Resumable: 1.0.0',
        '-H',
        'Upload-Offset: 0',
        '-H',
        'Content-Type: application/offset+octet-stream',
        '-H',
        'Expect:',
        ...(caFile === undefined ? [] : ['--cacert', caFile]),
        job.url,
      ],
      { encoding: 'utf8' },
    );
    if (result.stdout !== '204') throw new Error(`curl answered ${result.stdout}: ${result.stderr}`);
  }
  return (performance.now() - started) / 1000;
}

/** curl, ip and tc come from Debian (curl, iproute2); installed when missing and root, as npm test does for its tools. */
function ensureTools(): void {
  const missing = [
    ['curl', 'curl'],
    ['ip', 'iproute2'],
    ['tc', 'iproute2'],
  ].filter(([tool]) => spawnSync('sh', ['-c', `command -v ${tool ?? ''}`]).status !== 0);
  if (missing.length === 0 || process.getuid?.() !== 0) return;
  const packages = [...new Set(missing.map(([, name]) => name ?? ''))];
  console.log(`installing ${packages.join(' ')} with apt`);
  spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit' });
}
ensureTools();

const rows: [string, string, string, string][] = [];
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mb = (bytes: number, seconds: number): string => `${(bytes / seconds / 1e6).toFixed(1)} MB/s`;

// 1. Loopback throughput.
{
  const warehouse = await startWarehouse(['--data', path.join(work, 'warehouse-loopback')]);
  try {
    // Rounds alternate station and curl so both see the same load on a shared machine; medians are kept.
    const totals: number[] = [];
    const uploads: number[] = [];
    const curlTimes: number[] = [];
    const bytes = loopbackDocs * loopbackDocBytes;
    for (let round = 0; round < rounds; round += 1) {
      const files = makeFiles(loopbackDocs, loopbackDocBytes);
      const engine = await stationWith(`loopback-${round}`, warehouse, files, chunkSetting);
      const timing = await deliver(engine, files.length);
      totals.push(timing.total);
      uploads.push(timing.upload);
      await engine.close();
      curlTimes.push(await curlUpload(warehouse, files));
    }
    const curlSeconds = median(curlTimes);
    const ratio = curlSeconds / median(uploads);
    const label = `${loopbackDocs} × ${loopbackDocBytes / 1024 / 1024} MiB, median of ${rounds}`;
    rows.push([
      `loopback upload throughput (tus), ${label}`,
      mb(bytes, median(uploads)),
      mb(bytes, curlSeconds),
      `${ratio.toFixed(2)}× curl (goal ≥ 0.9×) ${ratio >= 0.9 ? 'met' : 'NOT met'}`,
    ]);
    rows.push([
      `loopback delivery, whole protocol (token, upload, registration with the warehouse's SHA-256, read-back)`,
      mb(bytes, median(totals)),
      '—',
      `${(curlSeconds / median(totals)).toFixed(2)}× curl's upload alone`,
    ]);

    // 3. The bandwidth cap, on the same loopback warehouse.
    const capKbps = 4000;
    const capped = await stationWith('capped', warehouse, makeFiles(1, 1_500_000), { bandwidthKbps: capKbps });
    const cappedSeconds = (await deliver(capped, 1)).upload;
    await capped.close();
    const measuredKbps = (1_500_000 * 8) / cappedSeconds / 1000;
    rows.push([
      `bandwidth cap warehouse.bandwidthKbps = ${capKbps} (1.5 MB)`,
      `${measuredKbps.toFixed(0)} kbit/s`,
      '—',
      `${((measuredKbps / capKbps) * 100).toFixed(0)} % of the cap`,
    ]);
  } finally {
    await stopWarehouse(warehouse);
  }
}

// 2. A 2 Mbit/s link in a network namespace of the benchmark's own.
{
  const ns = `sohoa-bench-${process.pid}`;
  const hostIf = `sbh${process.pid % 10000}`;
  const nsIf = `sbn${process.pid % 10000}`;
  const ip = (args: string[]): void => void execFileSync('ip', args, { stdio: 'pipe' });
  let skipped: string | undefined;
  let warehouse: Warehouse | undefined;
  try {
    if (process.getuid?.() !== 0) throw new Error('needs root for ip netns and tc');
    execFileSync('tc', ['-V'], { stdio: 'pipe' });
    ip(['netns', 'add', ns]);
    ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    ip(['link', 'set', nsIf, 'netns', ns]);
    ip(['addr', 'add', '10.213.77.1/30', 'dev', hostIf]);
    ip(['link', 'set', hostIf, 'up']);
    ip(['netns', 'exec', ns, 'ip', 'addr', 'add', '10.213.77.2/30', 'dev', nsIf]);
    ip(['netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up']);
    ip(['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    // Shape what the station sends (host → namespace); answers are small and go unshaped.
    execFileSync(
      'tc',
      ['qdisc', 'add', 'dev', hostIf, 'root', 'tbf', 'rate', '2mbit', 'burst', '16kb', 'latency', '200ms'],
      {
        stdio: 'pipe',
      },
    );
    const ca = makeTestCa(path.join(work, 'ca'), ['10.213.77.2']);
    warehouse = await startWarehouse(
      ['--host', '10.213.77.2', '--port', '8443', '--data', path.join(work, 'warehouse-shaped')].concat([
        '--tls-key',
        ca.keyFile,
        '--tls-cert',
        ca.certFile,
        '--tls-ca',
        ca.caFile,
      ]),
      ns,
    );
    const files = makeFiles(2, shapedBytes / 2);
    const engine = await stationWith('shaped', warehouse, files, {
      ...chunkSetting,
      caBundleFile: ca.caFile,
      allowInsecureLoopback: false,
    });
    const stationSeconds = (await deliver(engine, files.length)).total;
    await engine.close();
    const curlSeconds = await curlUpload(warehouse, files, ca.caFile);
    const share = (seconds: number): number => (shapedBytes * 8) / seconds / linkBitsPerSecond;
    rows.push([
      `2 Mbit/s link (tc tbf, netns, https + private CA), ${(shapedBytes / 1024 / 1024).toFixed(0)} MiB`,
      `${((shapedBytes * 8) / stationSeconds / 1e6).toFixed(2)} Mbit/s = ${(share(stationSeconds) * 100).toFixed(1)} % of the link`,
      `${((shapedBytes * 8) / curlSeconds / 1e6).toFixed(2)} Mbit/s = ${(share(curlSeconds) * 100).toFixed(1)} %`,
      `goal ≥ 90 % ${share(stationSeconds) >= 0.9 ? 'met' : 'NOT met'}`,
    ]);
  } catch (error) {
    skipped = (error as Error).message.split('\n')[0];
  } finally {
    if (warehouse !== undefined) await stopWarehouse(warehouse);
    spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    spawnSync('ip', ['link', 'del', hostIf], { stdio: 'ignore' });
  }
  if (skipped !== undefined) rows.push(['2 Mbit/s link (tc tbf in a network namespace)', 'not measured', '—', skipped]);
}

fs.rmSync(work, { recursive: true, force: true });
const header: [string, string, string, string] = ['measure', 'station', 'curl', 'result'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
const line = (cells: string[]): string =>
  `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
console.log([line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n'));
process.exit(0);

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot, sohoaBin } from '../support/built-cli.js';
import type { CliRun } from '../support/built-cli.js';
import { useTempDirs } from '../support/temp-dir.js';
import { startReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import type { ReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import { openStation, seedResults, writeStationConfig } from '../support/warehouse/station-fixture.js';

/** Runs the built `sohoa` with `input` on stdin. */
function sohoa(args: string[], input = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sohoaBin, ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('hand-over by removable media (BagIt) and the sync commands', () => {
  const tempDir = useTempDirs();
  let warehouse: ReferenceWarehouse;
  let warehouseDir: string;

  beforeAll(async () => {
    ensureBuilt();
    warehouseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-warehouse-'));
    warehouse = await startReferenceWarehouse({ dataDir: warehouseDir });
  }, 300_000);

  afterAll(async () => {
    await warehouse.close();
    fs.rmSync(warehouseDir, { recursive: true, force: true });
  });

  it('refuses a tampered bag, takes a fresh export on a second station, and delivers every result once', async () => {
    // Station A: a commune office whose link never comes.
    const a = tempDir('sohoa-station-a-');
    const aConfig = writeStationConfig(a, {
      url: `http://127.0.0.1:${await closedPort()}`,
      clientId: warehouse.client.id,
    });
    const seeding = await openStation(a, aConfig);
    const expected = await seedResults(seeding, 3);
    await seeding.close();
    const onA = (...args: string[]): Promise<CliRun> => sohoa(['--data-dir', a, '--config', aConfig, ...args]);

    const stranded = await onA('sync', '--once');
    expect(stranded.code).toBe(1);
    expect(stranded.stderr).toMatch(/Still to deliver: 3; failed \(need a person\): 0/);
    expect(stranded.stderr).toMatch(/sync\/(offline|not-configured)/);

    const usb1 = tempDir('sohoa-usb-');
    const exported = await onA('export-bag', '--out', usb1, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    const firstExport = JSON.parse(exported.stdout) as { bags: { documentId: string; dir: string }[] };
    expect(firstExport.bags.map((bag) => bag.documentId)).toEqual([...expected.keys()]);

    // The stick is tampered with on the way: one byte of one PDF.
    const tampered = firstExport.bags[0];
    if (tampered === undefined) throw new Error('no bag');
    const pdf = path.join(tampered.dir, 'data', `${tampered.documentId}.pdf`);
    const bytes = fs.readFileSync(pdf);
    bytes[200] = (bytes[200] ?? 0) ^ 0x01;
    fs.writeFileSync(pdf, bytes);

    // Station B: the district office with a link.
    const b = tempDir('sohoa-station-b-');
    const bConfig = writeStationConfig(b, { url: warehouse.url, clientId: warehouse.client.id }, { id: 'qn-test-02' });
    const onB = (args: string[], input?: string): Promise<CliRun> =>
      sohoa(['--data-dir', b, '--config', bConfig, ...args], input);
    expect((await onB(['sync', '--secret-file', '-'], `${warehouse.client.secret}\n`)).code).toBe(0);
    expect(fs.statSync(path.join(b, 'secrets', 'warehouse-client-secret')).mode & 0o777).toBe(0o600);

    const refused = await onB(['import-bag', usb1]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `REFUSED Bag ${path.basename(tampered.dir)} refused: data/${tampered.documentId}.pdf does not match its SHA-256 in manifest-sha256.txt (sync/bag-invalid)`,
    );
    expect(refused.stderr).toMatch(/Queued 2 result\(s\); already queued 0; refused 1/);

    // Exported again from A, imported on B: only the refused one is new.
    const usb2 = tempDir('sohoa-usb-');
    expect((await onA('export-bag', '--out', usb2)).code).toBe(0);
    const imported = await onB(['import-bag', usb2, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      ok: true,
      imported: [{ documentId: tampered.documentId }],
      refused: [],
    });
    expect((JSON.parse(imported.stdout) as { alreadyQueued: unknown[] }).alreadyQueued).toHaveLength(2);

    const delivered = await onB(['sync', '--once', '--json']);
    expect(delivered.code, delivered.stdout + delivered.stderr).toBe(0);
    expect(JSON.parse(delivered.stdout)).toMatchObject({ ok: true, verified: 3, remaining: 0, failed: 0 });
    const held = warehouse.records();
    expect(held.map((record) => [record.documentId, record.sha256]).sort()).toEqual([...expected.entries()].sort());

    // A's link comes back: it sends the same results; the warehouse answers with the records it holds.
    writeStationConfig(a, { url: warehouse.url, clientId: warehouse.client.id });
    expect((await onA('sync', '--secret-file', '-')).code).toBe(2);
    const secretFile = path.join(tempDir(), 'secret.txt');
    fs.writeFileSync(secretFile, warehouse.client.secret);
    expect((await onA('sync', '--secret-file', secretFile)).code).toBe(0);
    const late = await onA('sync', '--once');
    expect(late.code, late.stderr).toBe(0);
    expect(late.stdout).toMatch(/Verified in the warehouse this run: 3/);
    expect(warehouse.records()).toHaveLength(3);
    expect(warehouse.stats.created).toBe(3);
    expect(warehouse.stats.duplicates).toBeGreaterThanOrEqual(3);

    const status = await onA('sync', '--status', '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, status: { counts: { verified: 3, waiting: 0 } } });
  });
});

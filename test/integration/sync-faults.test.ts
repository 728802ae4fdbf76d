import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.js';
import { callEngine } from '../support/call.js';
import { useTempDirs } from '../support/temp-dir.js';
import { startReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import type { ReferenceWarehouse, ReferenceWarehouseOptions } from '../support/warehouse/reference-warehouse.js';
import { openStation, seedResults, writeStationConfig } from '../support/warehouse/station-fixture.js';
import { makeTestCa } from '../support/warehouse/test-ca.js';

/** A port nothing listens on (taken, then released). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('delivery when things go wrong', () => {
  const tempDir = useTempDirs();
  const open: { engines: Engine[]; warehouses: ReferenceWarehouse[] } = { engines: [], warehouses: [] };

  afterEach(async () => {
    for (const engine of open.engines.splice(0)) await engine.close();
    for (const warehouse of open.warehouses.splice(0)) await warehouse.close();
  });

  async function warehouse(options: Partial<ReferenceWarehouseOptions> = {}): Promise<ReferenceWarehouse> {
    const started = await startReferenceWarehouse({ dataDir: tempDir('sohoa-warehouse-'), ...options });
    open.warehouses.push(started);
    return started;
  }

  async function station(settings: Parameters<typeof writeStationConfig>[1]): Promise<Engine> {
    const dir = tempDir('sohoa-station-');
    const engine = await openStation(dir, writeStationConfig(dir, settings));
    open.engines.push(engine);
    return engine;
  }

  it('renews an expiring token and one the warehouse revokes mid-run, losing nothing', async () => {
    const receiver = await warehouse({ accessTokenTtlSeconds: 2 });
    // 200 kB/s: eight results of 110–120 kB take over 4 s, longer than two token lifetimes (the
    // sizes are bounded: random ones from 20 kB up once made the whole run shorter than 3 s).
    const engine = await station({ url: receiver.url, clientId: receiver.client.id, bandwidthKbps: 1600 });
    await engine.sync.setSecret(receiver.client.secret);
    const expected = await seedResults(engine, 8, { minBytes: 110_000, maxBytes: 120_000 });
    let revoked = false;
    engine.events.onAny((name, payload) => {
      if (name === 'sync:item-changed' && (payload as { state: string }).state === 'verified' && !revoked) {
        revoked = true;
        receiver.revokeTokens();
      }
    });
    const started = Date.now();
    const summary = await engine.sync.runOnce();
    expect(summary).toMatchObject({ verified: 8, remaining: 0, failed: 0 });
    expect(Date.now() - started).toBeGreaterThan(3000);
    expect(receiver.stats.tokensIssued).toBeGreaterThanOrEqual(3);
    // The revoked token was refused once and replaced, not counted as a failure.
    expect(receiver.stats.unauthorized).toBeGreaterThanOrEqual(1);
    expect(receiver.records().map((record) => [record.documentId, record.sha256])).toEqual(
      [...expected.entries()].sort(),
    );
  });

  it('says clearly when the credentials are wrong, and loses nothing', async () => {
    const receiver = await warehouse();
    const engine = await station({ url: receiver.url, clientId: receiver.client.id });
    await engine.sync.setSecret('not-the-secret');
    await seedResults(engine, 3);
    const refused = await engine.sync.runOnce();
    expect(refused.stoppedBy).toMatchObject({ code: 'sync/auth-failed' });
    expect(refused.stoppedBy?.message).toMatch(/refused client test-station: invalid_client/);
    expect(refused).toMatchObject({ verified: 0, failed: 0, remaining: 3 });
    for (const item of engine.sync.list()) {
      expect(item).toMatchObject({ state: 'waiting', lastError: { code: 'sync/auth-failed' } });
    }
    expect(receiver.records()).toHaveLength(0);

    await engine.sync.setSecret(receiver.client.secret);
    const fixed = await engine.sync.runOnce();
    expect(fixed).toMatchObject({ verified: 3, remaining: 0, failed: 0 });
    expect(receiver.records()).toHaveLength(3);
  });

  it('keeps everything waiting while the warehouse is down for the whole run, and sends when it comes back', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const engine = await station({
      url,
      clientId: 'test-station',
      probeIntervalSeconds: 1,
      retryBaseSeconds: 0.2,
      retryMaxSeconds: 2,
    });
    await engine.sync.setSecret('whatever');
    await seedResults(engine, 5);

    const once = await engine.sync.runOnce();
    expect(once.stoppedBy?.code).toBe('sync/offline');
    expect(once).toMatchObject({ failed: 0, remaining: 5, verified: 0 });

    engine.sync.start();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const status = engine.sync.status();
    expect(status.online).toBe(false);
    expect(status.counts).toMatchObject({ waiting: 5, failed: 0, verified: 0 });
    for (const item of engine.sync.list()) {
      expect(item.lastError?.code).toBe('sync/offline');
      // Probing, not hammering: a handful of attempts in three seconds, not hundreds.
      expect(item.attempts).toBeLessThanOrEqual(3);
    }

    const receiver = await startReferenceWarehouse({ dataDir: tempDir('sohoa-warehouse-'), port });
    open.warehouses.push(receiver);
    await engine.sync.setSecret(receiver.client.secret);
    await until(() => engine.sync.status().counts.verified === 5, 20_000);
    expect(receiver.records()).toHaveLength(5);
    await engine.sync.stop();
  });

  it('trusts a provincial private CA from caBundleFile, and refuses the link without it', async () => {
    const ca = makeTestCa(tempDir('sohoa-ca-'));
    const receiver = await warehouse({
      tls: { key: fs.readFileSync(ca.keyFile), cert: fs.readFileSync(ca.certFile), ca: fs.readFileSync(ca.caFile) },
    });
    expect(receiver.url).toMatch(/^https:\/\/127\.0\.0\.1:/);

    const trusting = await station({ url: receiver.url, clientId: receiver.client.id, caBundleFile: ca.caFile });
    await trusting.sync.setSecret(receiver.client.secret);
    await seedResults(trusting, 2);
    expect(await trusting.sync.runOnce()).toMatchObject({ verified: 2, remaining: 0 });

    const untrusting = await station({ url: receiver.url, clientId: receiver.client.id });
    await untrusting.sync.setSecret(receiver.client.secret);
    await seedResults(untrusting, 1, { prefix: 'other' });
    const refused = await untrusting.sync.runOnce();
    expect(refused.stoppedBy?.code).toBe('sync/tls');
    expect(refused).toMatchObject({ failed: 0, remaining: 1 });
    expect(receiver.records()).toHaveLength(2);
  });

  it('refuses plain http to anything but loopback, before any byte leaves', async () => {
    const engine = await station({ url: 'http://10.255.255.1:8080', clientId: 'test-station' });
    await engine.sync.setSecret('x');
    await seedResults(engine, 1);
    const refused = await engine.sync.runOnce();
    expect(refused.stoppedBy).toMatchObject({ code: 'sync/insecure-url' });
    expect(refused.stoppedBy?.message).toMatch(/use https/);
    expect(refused).toMatchObject({ failed: 0, remaining: 1 });
  });

  it('answers the contract calls the UI uses: status, list, pause, resume, retry', async () => {
    const receiver = await warehouse();
    const engine = await station({ url: receiver.url, clientId: receiver.client.id });
    const stored = await callEngine(engine, 'sync:set-secret', { secret: receiver.client.secret });
    expect(stored).toEqual({ ok: true, value: { stored: true } });
    expect(fs.statSync(path.join(engine.dataDir, 'secrets', 'warehouse-client-secret')).mode & 0o777).toBe(0o600);
    await seedResults(engine, 2);
    const paused = await callEngine(engine, 'sync:pause', {});
    expect(paused).toMatchObject({ ok: true, value: { paused: true, configured: true } });
    expect((await engine.sync.runOnce()).stoppedBy?.code).toBe('paused');
    await callEngine(engine, 'sync:resume', {});
    expect((await engine.sync.runOnce()).verified).toBe(2);
    const listed = await callEngine(engine, 'sync:list', { states: ['verified'] });
    expect(listed.ok && listed.value.map((item) => item.state)).toEqual(['verified', 'verified']);
    const status = await callEngine(engine, 'sync:status', {});
    expect(status).toMatchObject({ ok: true, value: { counts: { verified: 2, queued: 0 } } });
    expect(await callEngine(engine, 'sync:retry', { documentId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'sync/not-found' },
    });
  });
});

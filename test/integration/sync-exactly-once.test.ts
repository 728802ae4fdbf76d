import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, seededRandom } from '../support/fault-proxy.js';
import type { FaultProxy } from '../support/fault-proxy.js';
import { repoRoot } from '../support/built-cli.js';
import { useTempDirs } from '../support/temp-dir.js';
import { startReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import type { ReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import { openStation, seedResults, writeStationConfig } from '../support/warehouse/station-fixture.js';

const documents = 200;
const chunkBytes = 64 * 1024;
const kills = 4;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
}

/** Runs the station child until it ends; SIGKILLs it after `killAfterMs` when given. */
function runStation(dataDir: string, config: string, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'test/support/warehouse/sync-child.ts'),
        '--data-dir',
        dataDir,
        '--config',
        config,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
    );
    let killed = false;
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    // Killed only once it is really sending (after its first progress line), so every kill interrupts work.
    let timer: NodeJS.Timeout | undefined;
    child.stdout?.once('data', () => {
      if (killAfterMs !== undefined) timer = setTimeout(() => (killed = child.kill('SIGKILL')), killAfterMs);
    });
    child.stdout?.resume();
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (!killed && code !== 0) reject(new Error(`station exited with ${String(code)}: ${stderr}`));
      else resolve({ code, signal, killed });
    });
  });
}

describe('delivery exactly once through a faulty network and a killed station', () => {
  const tempDir = useTempDirs();
  let warehouse: ReferenceWarehouse | undefined;
  let proxy: FaultProxy | undefined;

  afterEach(async () => {
    await proxy?.close();
    await warehouse?.close();
    proxy = undefined;
    warehouse = undefined;
  });

  it(`delivers ${documents} results once each, with the right SHA-256, re-sending at most one chunk per interruption`, async () => {
    const seed = Number(process.env.SOHOA_FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = seededRandom(seed);
    proxy = await startFaultProxy({
      target: { host: '127.0.0.1', port: 1 },
      seed,
      plan: {
        cutUpstream: 1,
        cutDownstream: 0.3,
        maxOffsetBytes: 600_000,
        stall: 0.15,
        stallMs: [500, 3000],
        error500: 0.08,
        error429: 0.05,
        retryAfterSeconds: 1,
      },
    });
    warehouse = await startReferenceWarehouse({
      dataDir: tempDir('sohoa-warehouse-'),
      publicUrl: proxy.url,
      accessTokenTtlSeconds: 8,
    });
    proxy.setTarget({ host: '127.0.0.1', port: Number(new URL(warehouse.url).port) });

    const stationDir = tempDir('sohoa-station-');
    const config = writeStationConfig(stationDir, {
      url: proxy.url,
      clientId: warehouse.client.id,
      chunkBytes,
      retryBaseSeconds: 0.05,
      retryMaxSeconds: 1,
      requestTimeoutSeconds: 2,
      probeIntervalSeconds: 1,
    });
    const seeding = await openStation(stationDir, config);
    const expected = await seedResults(seeding, documents);
    await seeding.sync.setSecret(warehouse.client.secret);
    await seeding.close();

    const started = Date.now();
    const runs: Run[] = [];
    for (let kill = 0; kill < kills; kill += 1) {
      runs.push(await runStation(stationDir, config, 1000 + Math.floor(random() * 2500)));
    }
    runs.push(await runStation(stationDir, config));
    const seconds = (Date.now() - started) / 1000;

    // What the warehouse holds: every document once, with the station's SHA-256.
    const held = warehouse.records();
    expect(held).toHaveLength(documents);
    expect(new Set(held.map((record) => record.documentId)).size).toBe(documents);
    for (const record of held) expect(record.sha256).toBe(expected.get(record.documentId));
    expect(warehouse.stats.created).toBe(documents);

    // What the station knows: everything verified, and how much went out twice.
    const db = new BetterSqlite3(path.join(stationDir, 'station.db'), { readonly: true });
    const states = db.prepare(`SELECT state, count(*) AS n FROM outbox GROUP BY state`).all();
    const figures = db
      .prepare(
        `SELECT sum(interruptions) AS interruptions, sum(resent_bytes) AS resent, max(max_resent_bytes) AS maxResent,
             sum(sent_bytes) AS sent, sum(file_bytes) AS bytes FROM outbox`,
      )
      .get() as { interruptions: number; resent: number; maxResent: number; sent: number; bytes: number };
    const outliers = db
      .prepare(`SELECT document_id FROM outbox WHERE max_resent_bytes > ? OR sent_bytes - file_bytes <> resent_bytes`)
      .pluck()
      .all(chunkBytes) as string[];
    db.close();
    // A failing run explains itself: what the station logged about the documents outside the bound.
    for (const documentId of outliers.slice(0, 3)) {
      const log = fs.readFileSync(path.join(stationDir, 'logs', 'station.log'), 'utf8');
      console.log(
        `station log of ${documentId}:\n${log
          .split('\n')
          .filter((line) => line.includes(documentId))
          .join('\n')}`,
      );
    }
    expect(states).toEqual([{ state: 'verified', n: documents }]);

    const killed = runs.filter((run) => run.killed).length;
    console.log(
      [
        `exactly-once under faults (seed ${seed}): ${documents} documents, ${(figures.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`,
        `  station runs: ${runs.length}, killed with SIGKILL: ${killed}`,
        `  proxy: ${proxy.stats.connections} connections, ${proxy.stats.cutsUpstream} cut upstream, ${proxy.stats.cutsDownstream} cut downstream, ${proxy.stats.stalls} stalls, ${proxy.stats.injected500}×500, ${proxy.stats.injected429}×429, ${(proxy.stats.bytesUpstream / 1e6).toFixed(1)} MB upstream`,
        `  warehouse: ${warehouse.stats.created} records created, ${warehouse.stats.duplicates} duplicates answered with the existing record, ${warehouse.stats.tokensIssued} tokens issued`,
        `  upload interruptions: ${figures.interruptions}; bytes re-sent: ${figures.resent} (${(figures.resent / Math.max(figures.interruptions, 1) / 1024).toFixed(1)} KiB per interruption on average, at most ${(figures.maxResent / 1024).toFixed(1)} KiB; chunk ${chunkBytes / 1024} KiB)`,
        `  bytes sent / bytes delivered: ${figures.sent} / ${figures.bytes}`,
      ].join('\n'),
    );
    expect(killed).toBe(kills);
    expect(figures.interruptions).toBeGreaterThan(0);
    expect(figures.maxResent).toBeLessThanOrEqual(chunkBytes);
    // Every byte sent beyond the files themselves is accounted for by an interruption, one chunk at most each.
    expect(figures.sent - figures.bytes).toBe(figures.resent);
    expect(figures.resent).toBeLessThanOrEqual(figures.interruptions * chunkBytes);
  }, 240_000);
});

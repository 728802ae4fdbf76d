import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings.js';
import { systemClock } from '../../electron/engine/clock.js';
import { referencedFiles } from '../../electron/engine/store/garbage-collector.js';
import { openStore } from '../../electron/engine/store/store.js';
import { repoRoot } from '../support/built-cli.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const kills = 52;
/** Children started ahead: each loads (the costly part) while earlier rounds run and check. */
const ahead = 2;

interface Writer {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  opened: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  committed: Map<string, string>;
  stderr: () => string;
}

const writerSource = path.join(repoRoot, 'test/support/store-crash-writer.ts');

/**
 * How to start a writer. The cost of a child is its start (loading TypeScript through tsx takes
 * most of a second of CPU), paid 52 times; so the writer is bundled once with esbuild (the build's
 * own bundler) and each child starts from plain JavaScript. `node --import tsx` on the source is
 * the fallback, and the way to run the writer by hand.
 */
function writerCommand(outDir: string): string[] {
  try {
    const outfile = path.join(outDir, 'store-crash-writer.cjs');
    esbuild.buildSync({
      entryPoints: [writerSource],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // The native module stays outside; NODE_PATH (below) finds it in the repository.
      external: ['better-sqlite3'],
      logLevel: 'silent',
    });
    return [outfile];
  } catch {
    return ['--import', 'tsx', writerSource];
  }
}

/** Starts a writer child; it loads, says `ready`, and waits for `go`. */
function startWriter(command: string[], dataDir: string): Writer {
  const child = spawn(process.execPath, [...command, dataDir], {
    cwd: repoRoot,
    env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const committed = new Map<string, string>();
  let buffer = '';
  let stderr = '';
  let onReady: () => void = () => undefined;
  let onOpen: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const opened = new Promise<void>((resolve) => (onOpen = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const [kind, id, sha] = line.split(' ');
      if (kind === 'ready') onReady();
      if (kind === 'open') onOpen();
      if (kind === 'page' && id !== undefined && sha !== undefined) committed.set(id, sha);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, ready, opened, exited, committed, stderr: () => stderr };
}

const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('crash safety of the store', () => {
  it(`survives ${kills} SIGKILLs at random moments: integrity, every committed page, no impossible state, no orphan`, async () => {
    const dataDir = tempDir('sohoa-crash-');
    const command = writerCommand(tempDir('sohoa-crash-writer-'));
    const committed = new Map<string, string>();
    const waiting = Array.from({ length: ahead }, () => startWriter(command, dataDir));
    const started = Date.now();
    let pagesSeen = 0;
    for (let round = 0; round < kills; round += 1) {
      const writer = waiting.shift()!;
      await writer.ready;
      writer.child.stdin.write('go\n');
      // Kill at a random moment, 20–300 ms in: mostly while it writes, sometimes while it opens and recovers.
      if (round % 5 !== 0) await writer.opened;
      await new Promise((resolve) => setTimeout(resolve, 20 + crypto.randomInt(280)));
      writer.child.kill('SIGKILL');
      waiting.push(startWriter(command, dataDir));
      const exit = await writer.exited;
      expect(exit, writer.stderr()).toEqual({ code: null, signal: 'SIGKILL' });
      for (const [id, sha] of writer.committed) committed.set(id, sha);

      // Reopen as the engine does: recovery first, then every check.
      const store = openStore({ dataDir, clock: systemClock, settings: () => defaultSettings() });
      try {
        store.recover('test:recovery');
        expect(store.db.pragma('integrity_check', { simple: true }), `round ${round}`).toBe('ok');
        expect(store.check({ hashFiles: true }), `round ${round}`).toEqual([]);

        const rows = new Map(
          (
            store.db.prepare(`SELECT id, sha256, purged_at FROM pages`).all() as {
              id: string;
              sha256: string;
              purged_at: string | null;
            }[]
          ).map((row) => [row.id, row]),
        );
        for (const [id, sha] of committed) {
          const row = rows.get(id);
          expect(row?.sha256, `committed page ${id} (round ${round})`).toBe(sha);
          if (row?.purged_at === null) expect(sha256(store.files.pathOf(sha))).toBe(sha);
        }
        pagesSeen = rows.size;

        store.collectGarbage(0);
        const onDisk = [...store.files.list()].sort();
        expect(onDisk, `orphans after GC (round ${round})`).toEqual([...referencedFiles(store.db)].sort());
        expect(fs.readdirSync(path.join(store.files.root, 'tmp'))).toEqual([]);
      } finally {
        store.close();
      }
    }
    for (const writer of waiting) writer.child.stdin.end();
    await Promise.all(waiting.map((writer) => writer.exited));

    // The loop must have reached every part of the workflow, or the test proves little.
    const store = openStore({ dataDir, clock: systemClock, settings: () => defaultSettings() });
    const states = store.db.prepare(`SELECT DISTINCT workflow_state FROM documents`).pluck().all();
    const purged = store.db
      .prepare(`SELECT count(*) FROM documents WHERE purged_at IS NOT NULL`)
      .pluck()
      .get() as number;
    store.close();
    console.log(
      `crash test: ${kills} kills in ${((Date.now() - started) / 1000).toFixed(1)} s, ${committed.size} committed pages, ` +
        `${pagesSeen} page rows, states reached: ${states.join(', ')}, purged documents: ${purged}`,
    );
    expect(committed.size).toBeGreaterThan(10);
    expect(states.length).toBeGreaterThanOrEqual(5);
  }, 240_000);
});

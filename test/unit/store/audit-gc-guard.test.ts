import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StationError } from '../../../shared/errors.js';
import { createSilentLogger } from '../../../electron/engine/logging/logger.js';
import { appendAudit, auditHash, verifyAuditChain } from '../../../electron/engine/store/audit-log.js';
import type { BackupResult } from '../../../electron/engine/store/backup.js';
import { createBackupScheduler } from '../../../electron/engine/store/backup.js';
import { createDiskGuard } from '../../../electron/engine/store/disk-guard.js';
import { fileReferenceQueries } from '../../../electron/engine/store/garbage-collector.js';
import type { Store } from '../../../electron/engine/store/store.js';
import { captureBatch, documentWithText, ocrResultOf, openTestStore } from '../../support/store-fixtures.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const open: Store[] = [];
afterEach(() => {
  for (const store of open.splice(0)) store.close();
});
function store(): Store {
  const opened = openTestStore(tempDir('sohoa-store-'));
  open.push(opened);
  return opened;
}

function append(s: Store, count: number): void {
  for (let i = 0; i < count; i += 1) {
    s.db.transaction(() =>
      appendAudit(s.db, `2026-03-02T00:00:0${i}Z`, {
        actor: 'os:clerk',
        action: 'document.metadata',
        objectType: 'document',
        objectId: `d${i}`,
        details: { fields: ['summary'] },
      }),
    )();
  }
}

/** What someone with the sqlite3 shell could do: drop the guard, edit, put the guard back. */
function tamper(s: Store, sql: string): void {
  const triggers = s.db
    .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'audit_log'`)
    .pluck()
    .all() as string[];
  s.db.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;`);
  s.db.exec(sql);
  for (const trigger of triggers) s.db.exec(trigger);
}

describe('audit log', () => {
  it('chains each row to the previous one and verifies', () => {
    const s = store();
    append(s, 5);
    const result = verifyAuditChain(s.db);
    expect(result).toMatchObject({ ok: true, rows: 5 });
    const last = s.db.prepare(`SELECT hash, prev_hash FROM audit_log ORDER BY seq DESC LIMIT 2`).all() as {
      hash: string;
      prev_hash: string;
    }[];
    expect(last[0]?.prev_hash).toBe(last[1]?.hash);
    expect(result.headHash).toBe(last[0]?.hash);
  });

  it('refuses updates and deletes outright', () => {
    const s = store();
    append(s, 2);
    expect(() => s.db.exec(`UPDATE audit_log SET actor = 'someone else'`)).toThrow(/append-only/);
    expect(() => s.db.exec(`DELETE FROM audit_log WHERE seq = 1`)).toThrow(/append-only/);
  });

  it('finds an edited row, a removed row, and a row whose hash was recomputed without the chain', () => {
    const edited = store();
    append(edited, 5);
    tamper(edited, `UPDATE audit_log SET actor = 'os:someone-else' WHERE seq = 3`);
    expect(verifyAuditChain(edited.db)).toMatchObject({
      ok: false,
      brokenAt: { seq: 3, reason: expect.stringContaining('hash') },
    });

    const removed = store();
    append(removed, 5);
    tamper(removed, `DELETE FROM audit_log WHERE seq = 2`);
    expect(verifyAuditChain(removed.db)).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: 'row 2 is missing' } });

    const rehashed = store();
    append(rehashed, 5);
    const row = rehashed.db.prepare(`SELECT * FROM audit_log WHERE seq = 2`).get() as Record<string, string>;
    // A forger who recomputes row 2's own hash still breaks the link from row 3.
    const forgedHash = auditHash(row.prev_hash!, {
      seq: 2,
      at: row.at!,
      actor: 'os:forger',
      action: row.action!,
      objectType: row.object_type!,
      objectId: row.object_id!,
      details: row.details!,
    });
    tamper(rehashed, `UPDATE audit_log SET actor = 'os:forger', hash = '${forgedHash}' WHERE seq = 2`);
    expect(verifyAuditChain(rehashed.db)).toMatchObject({
      ok: false,
      brokenAt: { seq: 3, reason: 'does not chain to the previous row' },
    });
  });
});

describe('garbage collection', () => {
  it('deletes unreferenced files past the grace period, keeps referenced and young ones, and cleans temp files', async () => {
    const s = store();
    const { pageIds } = await captureBatch(s, 3);
    const kept = s.workflow.documents.page(pageIds[0]!);
    const orphanOld = await s.files.put(Buffer.from('written, then the process died before its row'));
    const orphanYoung = await s.files.put(Buffer.from('written a moment ago; its row is on its way'));
    const old = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(s.files.pathOf(orphanOld), old, old);
    fs.utimesSync(s.files.pathOf(kept.sha256), old, old);
    fs.writeFileSync(path.join(s.files.root, 'tmp', 'half-written.tmp'), 'x');
    fs.utimesSync(path.join(s.files.root, 'tmp', 'half-written.tmp'), old, old);

    const report = s.collectGarbage(3_600_000);
    expect(report).toMatchObject({ removed: 1, tempRemoved: 1 });
    expect(s.files.has(orphanOld)).toBe(false);
    expect(s.files.has(orphanYoung)).toBe(true);
    expect(s.files.has(kept.sha256)).toBe(true);
    expect(s.files.has(kept.sha256)).toBe(true);
    expect(s.collectGarbage(0).removed).toBe(1); // the young orphan, once no writer can be between file and row
    expect([...s.files.list()].sort()).toEqual(
      (s.db.prepare(`SELECT sha256 FROM pages UNION SELECT thumb_sha256 FROM pages`).pluck().all() as string[]).sort(),
    );
    expect(s.db.prepare(`SELECT action, details FROM audit_log WHERE action = 'store.gc'`).all()).toHaveLength(2);
  });

  it('finds file references by column name, so tables added later are covered', () => {
    const s = store();
    s.db.exec(`CREATE TABLE later_table (id TEXT, signed_original_sha256 TEXT, purged_at TEXT)`);
    expect(fileReferenceQueries(s.db)).toContain(
      `SELECT "signed_original_sha256" FROM "later_table" WHERE "signed_original_sha256" IS NOT NULL AND purged_at IS NULL`,
    );
  });

  it('re-storing content refreshes its time, so a file about to be referenced again is not collected', async () => {
    const s = store();
    const data = Buffer.from('blank page');
    const sha = await s.files.put(data);
    const old = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(s.files.pathOf(sha), old, old);
    await s.files.put(data);
    expect(s.collectGarbage(3_600_000).removed).toBe(0);
  });
});

describe('disk guard', () => {
  it('refuses below the reserve with the figures and the setting named, and passes above it', () => {
    let free = 600 * 1024 * 1024;
    const guard = createDiskGuard({
      dir: '/data',
      reserveMb: () => 500,
      statfs: () => ({ bavail: free / 4096, bsize: 4096 }),
    });
    expect(() => guard.check()).not.toThrow();
    free = 499 * 1024 * 1024;
    expect(guard.status()).toEqual({ freeBytes: free, reserveBytes: 500 * 1024 * 1024, ok: false });
    expect(() => guard.check()).toThrow(
      expect.objectContaining({
        code: 'store/disk-full',
        message: expect.stringMatching(
          /Only 499\.0 MB free .* reserve of 500 MB \(storage\.reserveMb\): new captures are refused/,
        ),
      }),
    );
  });

  it('reads the real free space of the data folder', () => {
    const s = store();
    expect(s.diskGuard.status().freeBytes).toBeGreaterThan(0);
  });
});

describe('OCR repository', () => {
  it('stores NFC text with lines, words, boxes and confidences, and marks the page done', async () => {
    const s = store();
    const id = await documentWithText(s, ['placeholder']);
    const page = s.workflow.documents.pages(id)[0]!;
    const decomposed = 'Quyết định'.normalize('NFD');
    s.ocr.save(page.id, { ...ocrResultOf(decomposed), orientation: 90 }, '2026-03-02T00:00:00Z');
    const stored = s.ocr.get(page.id)!;
    expect(stored.text).toBe('Quyết định'.normalize('NFC'));
    expect(stored.lines[0]?.words.map((word) => word.text)).toEqual(['Quyết', 'định']);
    expect(stored.lines[0]?.words[0]).toMatchObject({ confidence: 91, bbox: { x0: 100, y0: 100, x1: 280, y1: 150 } });
    expect(stored.orientation).toBe(90);
    expect(s.workflow.documents.page(page.id).ocrState).toBe('done');
  });

  it('lists waiting pages, marks failures, and resets pages left running by a crash', async () => {
    const s = store();
    const { pageIds } = await captureBatch(s, 3);
    expect(s.ocr.listWaiting(10).map((work) => work.pageId)).toEqual(pageIds);
    s.ocr.setState(pageIds[0]!, 'running');
    s.ocr.setState(pageIds[1]!, 'failed', 'ocr/timeout');
    expect(s.ocr.listWaiting(10, ['pending']).map((work) => work.pageId)).toEqual([pageIds[2]]);
    expect(s.ocr.resetRunning()).toBe(1);
    expect(s.workflow.documents.page(pageIds[0]!).ocrState).toBe('pending');
    expect(() => s.ocr.save('nope', ocrResultOf('x'), 'now')).toThrow(
      expect.objectContaining({ code: 'store/not-found' }),
    );
    expect(() => s.ocr.save(pageIds[2]!, { ...ocrResultOf('x'), orientation: 45 as never }, 'now')).toThrow();
  });
});

describe('back-up schedule', () => {
  it('runs once a day per target after the hour, keeps going when one target fails, and retries it', async () => {
    const s = store();
    let now = new Date(2026, 2, 2, 9, 0, 0);
    const ran: string[] = [];
    const broken = new Set(['/media/usb-b']);
    const scheduler = createBackupScheduler({
      db: s.db,
      clock: { now: () => now },
      targets: () => ['/media/usb-a', '/media/usb-b'],
      hour: () => 12,
      run: (target) => {
        ran.push(`${now.getDate()} ${target}`);
        if (broken.has(target)) return Promise.reject(new StationError('store/not-found', 'unplugged'));
        return Promise.resolve({ target } as BackupResult);
      },
      logger: createSilentLogger(),
      intervalMs: 0,
    });
    expect(await scheduler.runDue()).toEqual([]);
    now = new Date(2026, 2, 2, 12, 30, 0);
    expect((await scheduler.runDue()).map((result) => result.target)).toEqual(['/media/usb-a']);
    broken.clear();
    now = new Date(2026, 2, 2, 13, 30, 0);
    expect((await scheduler.runDue()).map((result) => result.target)).toEqual(['/media/usb-b']);
    expect(await scheduler.runDue()).toEqual([]);
    now = new Date(2026, 2, 3, 12, 0, 0);
    expect((await scheduler.runDue()).map((result) => result.target)).toEqual(['/media/usb-a', '/media/usb-b']);
    expect(ran).toEqual(['2 /media/usb-a', '2 /media/usb-b', '2 /media/usb-b', '3 /media/usb-a', '3 /media/usb-b']);
    scheduler.stop();
  });
});

describe('hash columns that are not files of the store', () => {
  it('are neither a missing file for the check nor a loss for the back-up, and keep a stored file from collection', async () => {
    const s = store();
    s.workflow.createFromBatch((await captureBatch(s, 1)).batchId, 'test');
    const kept = await s.files.put(Buffer.from('a signed original, kept byte for byte'));
    const old = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(s.files.pathOf(kept), old, old);
    s.db.exec(`CREATE TABLE imported_things (sha256 TEXT, original_sha256 TEXT)`);
    s.db.prepare(`INSERT INTO imported_things VALUES (?, ?)`).run('e'.repeat(64), kept);
    expect(s.check({ hashFiles: true })).toEqual([]);
    expect(s.collectGarbage(0).removed).toBe(0);
    expect(s.files.has(kept)).toBe(true);
    const result = await s.backup(tempDir('sohoa-backup-'), 'full', 'test');
    expect(result.problems).toEqual([]);
    expect(result.files).toBe(3); // the page, its thumbnail, the original
  });
});

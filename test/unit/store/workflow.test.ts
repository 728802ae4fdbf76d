import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowState } from '../../../shared/domain.js';
import { WorkflowState as WorkflowStateSchema } from '../../../shared/domain.js';
import type { Settings } from '../../../shared/settings.js';
import { auditHistory, verifyAuditChain } from '../../../electron/engine/store/audit-log.js';
import type { Store } from '../../../electron/engine/store/store.js';
import { transitions } from '../../../electron/engine/workflow/transitions.js';
import {
  captureBatch,
  documentWithText,
  openTestStore,
  sealDocument,
  settingsWith,
} from '../../support/store-fixtures.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const open: Store[] = [];
afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

function store(settings: Settings = settingsWith()): { s: Store; settings: { current: Settings } } {
  const holder = { current: settings };
  const s = openTestStore(tempDir('sohoa-workflow-'), () => holder.current);
  open.push(s);
  return { s, settings: holder };
}

/** Brings a new document to `state` by the legal path (signing off). */
async function documentAt(s: Store, state: WorkflowState): Promise<string> {
  const id = await documentWithText(s, ['Giấy chứng nhận đăng ký'], {
    documentNumber: '12/GCN',
    issuedDate: '2020-01-02',
  });
  const order = WorkflowStateSchema.options;
  const target = order.indexOf(state);
  if (target >= order.indexOf('reviewed')) s.workflow.review(id, 'clerk');
  if (target >= order.indexOf('operator-signed')) s.workflow.signByOperator(id, 'clerk');
  if (target >= order.indexOf('extracted')) s.workflow.extract(id, 'clerk');
  if (target >= order.indexOf('coded')) s.workflow.assignCode(id, 'clerk', '051234567890.KQ.12/GCN.01');
  if (target >= order.indexOf('sealed')) {
    const pdf = await s.files.put(Buffer.from(`%PDF ${id}`));
    s.workflow.seal(id, 'system:pdf', { pdfSha256: pdf });
  }
  if (target >= order.indexOf('queued')) s.workflow.enqueue(id, 'clerk');
  if (target >= order.indexOf('delivered')) s.workflow.markDelivered(id, 'system:sync', { recordId: `R-${id}` });
  if (target >= order.indexOf('verified')) {
    s.workflow.markVerified(id, 'system:sync', s.workflow.documents.summary(id).pdfSha256!);
  }
  expect(s.workflow.documents.summary(id).state).toBe(state);
  return id;
}

describe('document workflow', () => {
  it('walks captured → verified, recording each step, and the skipped signatures, in the audit log', async () => {
    const { s } = store();
    const id = await documentAt(s, 'verified');
    const steps = auditHistory(s.db, 'document', id).filter((entry) => entry.action === 'workflow.transition');
    expect(steps.map((entry) => entry.details.to)).toEqual(WorkflowStateSchema.options.slice(1));
    const signing = steps.filter((entry) => entry.details.signature !== undefined);
    expect(signing.map((entry) => [entry.details.to, entry.details.signature, entry.details.policy])).toEqual([
      ['operator-signed', 'skipped', 'signing.enabled=false'],
      ['sealed', 'skipped', 'signing.enabled=false'],
    ]);
    expect(verifyAuditChain(s.db).ok).toBe(true);
    expect(s.check({ hashFiles: true })).toEqual([]);
  });

  it('refuses every transition the table does not allow, from every state, and changes nothing', async () => {
    const { s } = store();
    for (const from of WorkflowStateSchema.options) {
      const id = await documentAt(s, from);
      const before = s.workflow.documents.row(id);
      const auditRows = s.db.prepare('SELECT count(*) FROM audit_log').pluck().get();
      for (const to of WorkflowStateSchema.options.filter((state) => !transitions[from].includes(state))) {
        expect(
          () => s.workflow.transition(id, to, 'clerk', { pdfSha256: 'a'.repeat(64), receipt: {} }),
          `${from} → ${to}`,
        ).toThrow(
          expect.objectContaining({
            code: 'workflow/illegal-transition',
            message: expect.stringContaining(`cannot become ${to}`),
          }),
        );
      }
      expect(s.workflow.documents.row(id)).toEqual(before);
      expect(s.db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(auditRows);
    }
  });

  it('asks for the required fields and finished OCR before extraction, naming what is missing', async () => {
    const { s } = store();
    const { batchId } = await captureBatch(s, 2);
    const id = s.workflow.createFromBatch(batchId, 'clerk')!;
    s.workflow.review(id, 'clerk');
    s.workflow.signByOperator(id, 'clerk');
    let error: unknown;
    try {
      s.workflow.extract(id, 'clerk');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'workflow/not-ready',
      message: expect.stringContaining('2 page(s) still waiting for OCR'),
      fields: [
        { path: 'metadata.documentNumber', message: 'required' },
        { path: 'metadata.issuedDate', message: 'required' },
      ],
    });
    expect(() => s.workflow.assignCode(id, 'clerk')).toThrow(
      expect.objectContaining({ code: 'workflow/illegal-transition' }),
    );
  });

  it('needs real signatures once signing is enabled, and records who signed', async () => {
    const { s, settings } = store();
    const id = await documentAt(s, 'reviewed');
    settings.current = settingsWith({ signing: { enabled: true } });
    expect(() => s.workflow.signByOperator(id, 'clerk')).toThrow(
      expect.objectContaining({ code: 'workflow/signature-required' }),
    );
    s.workflow.signByOperator(id, 'clerk', { signer: 'Nguyễn Văn A', certificateSha256: 'c'.repeat(64) });
    expect(JSON.parse(s.workflow.documents.row(id).operator_signature!)).toEqual({
      signer: 'Nguyễn Văn A',
      certificateSha256: 'c'.repeat(64),
    });
    expect(auditHistory(s.db, 'document', id).at(-1)?.details).toMatchObject({
      signature: 'signed',
      signer: 'Nguyễn Văn A',
    });
  });

  it('never uploads a document marked "mật" or out of scope, and pulls a queued one back', async () => {
    const { s } = store();
    const secret = await documentAt(s, 'sealed');
    s.workflow.setClassified(secret, true, 'clerk');
    expect(() => s.workflow.enqueue(secret, 'clerk')).toThrow(
      expect.objectContaining({ code: 'workflow/blocked', message: expect.stringContaining('"mật"') }),
    );
    expect(s.workflow.detail(secret)).toMatchObject({ blocked: 'classified', next: [] });

    const copy = await documentAt(s, 'sealed');
    s.workflow.setOutOfScope(copy, 'photocopy', 'clerk');
    expect(() => s.workflow.enqueue(copy, 'clerk')).toThrow(expect.objectContaining({ code: 'workflow/blocked' }));
    s.workflow.setOutOfScope(copy, null, 'clerk');
    expect(s.workflow.enqueue(copy, 'clerk').state).toBe('queued');

    const queued = await documentAt(s, 'queued');
    expect(s.workflow.setClassified(queued, true, 'clerk')).toMatchObject({ state: 'sealed', classified: true });
    const delivered = await documentAt(s, 'delivered');
    expect(() => s.workflow.setClassified(delivered, true, 'clerk')).toThrow(
      expect.objectContaining({ code: 'workflow/locked' }),
    );
    // Even a direct write cannot store a queued classified document.
    expect(() => s.db.prepare(`UPDATE documents SET classified = 1 WHERE id = ?`).run(delivered)).toThrow(/CHECK/);
  });

  it('purges the local copy only after verification, keeping hashes, receipt and metadata', async () => {
    const { s } = store();
    const delivered = await documentAt(s, 'delivered');
    expect(() => s.workflow.purgeLocalCopy(delivered, 'system:sync')).toThrow(
      expect.objectContaining({ code: 'workflow/illegal-transition', message: expect.stringContaining('only after') }),
    );
    expect(() => s.workflow.markVerified(delivered, 'system:sync', 'f'.repeat(64))).toThrow(
      expect.objectContaining({ code: 'workflow/not-ready' }),
    );
    const id = await documentAt(s, 'verified');
    const pages = s.workflow.documents.pages(id);
    const pdf = s.workflow.documents.summary(id).pdfSha256!;
    // Make the files old enough to leave the grace period.
    const old = new Date(Date.now() - 3_600_000);
    for (const sha of [pdf, ...pages.map((page) => page.sha256)]) {
      (await import('node:fs')).utimesSync(s.files.pathOf(sha), old, old);
    }
    const result = s.workflow.purgeLocalCopy(id, 'system:sync');
    expect(result.released).toContain(pdf);
    expect(s.files.has(pdf)).toBe(false);
    for (const page of pages) expect(s.files.has(page.sha256)).toBe(false);
    const after = s.workflow.detail(id);
    expect(after.purgedAt).not.toBeNull();
    expect(after.pages.map((page) => page.sha256)).toEqual(pages.map((page) => page.sha256));
    expect(after.pdfSha256).toBe(pdf);
    expect(JSON.parse(s.workflow.documents.row(id).receipt!)).toEqual({ recordId: `R-${id}` });
    expect(s.ocr.get(pages[0]!.id)).toBeUndefined();
    expect(s.search.query('giay chung nhan').hits.map((hit) => hit.document.id)).not.toContain(id);
    expect(s.search.query('12 gcn').hits.map((hit) => hit.document.id)).toContain(id);
    expect(s.check()).toEqual([]);
  });

  it('keeps a file another document still uses when one is purged', async () => {
    const { s } = store();
    const id = await documentAt(s, 'verified');
    const shared = s.workflow.documents.pages(id)[0]!;
    // The same bytes captured again in a new batch (e.g. a blank sheet).
    const { batchId } = await captureBatch(s, 1);
    s.db.prepare(`UPDATE pages SET sha256 = ? WHERE batch_id = ?`).run(shared.sha256, batchId);
    const old = new Date(Date.now() - 3_600_000);
    (await import('node:fs')).utimesSync(s.files.pathOf(shared.sha256), old, old);
    s.workflow.purgeLocalCopy(id, 'system:sync');
    expect(s.files.has(shared.sha256)).toBe(true);
  });

  it('keeps cancelled results: never deleted, never merged away', async () => {
    const { s } = store();
    const id = await documentAt(s, 'captured');
    s.workflow.setValidity(id, 'cancelled', 'clerk');
    expect(() => s.workflow.discard(id, 'clerk')).toThrow(expect.objectContaining({ code: 'workflow/locked' }));
    const page = s.workflow.documents.pages(id)[0]!;
    expect(() => s.workflow.removePage(page.id, 'clerk')).toThrow(expect.objectContaining({ code: 'workflow/locked' }));
    const other = await documentAt(s, 'captured');
    expect(() => s.workflow.merge(other, id, 'clerk')).toThrow(expect.objectContaining({ code: 'workflow/locked' }));
    expect(s.workflow.documents.summary(id).validity).toBe('cancelled');
    // A verified result can become cancelled later and stays.
    const verified = await documentAt(s, 'verified');
    expect(s.workflow.setValidity(verified, 'cancelled', 'clerk')).toMatchObject({
      state: 'verified',
      validity: 'cancelled',
    });
  });

  it('edits pages (split, merge, reorder, remove, transforms) before signing, and locks them after', async () => {
    const { s } = store();
    const { batchId, pageIds } = await captureBatch(s, 6);
    const id = s.workflow.createFromBatch(batchId, 'clerk')!;
    const second = s.workflow.split(id, pageIds[3]!, 'clerk');
    expect(s.workflow.documents.pages(id).map((page) => page.id)).toEqual(pageIds.slice(0, 3));
    expect(s.workflow.documents.pages(second).map((page) => [page.id, page.position])).toEqual(
      pageIds.slice(3).map((pageId, position) => [pageId, position]),
    );
    s.workflow.reorderPages(id, [pageIds[2]!, pageIds[0]!, pageIds[1]!], 'clerk');
    expect(s.workflow.documents.pages(id).map((page) => page.id)).toEqual([pageIds[2], pageIds[0], pageIds[1]]);
    expect(() => s.workflow.reorderPages(id, [pageIds[0]!], 'clerk')).toThrow(
      expect.objectContaining({ code: 'ipc/invalid-args' }),
    );
    s.workflow.removePage(pageIds[0]!, 'clerk');
    s.workflow.setPageTransforms(pageIds[1]!, [{ kind: 'rotate', degrees: 90 }], 'clerk');
    expect(s.workflow.documents.page(pageIds[1]!).transforms).toEqual([{ kind: 'rotate', degrees: 90 }]);
    s.workflow.merge(id, second, 'clerk');
    expect(s.workflow.documents.pages(id).map((page) => page.position)).toEqual([0, 1, 2, 3, 4]);
    expect(() => s.workflow.documents.summary(second)).toThrow(expect.objectContaining({ code: 'store/not-found' }));
    expect(s.captures.listBatches(10)[0]?.pageCount).toBe(5);

    s.workflow.review(id, 'clerk');
    s.workflow.signByOperator(id, 'clerk');
    expect(() => s.workflow.setPageTransforms(pageIds[1]!, [], 'clerk')).toThrow(
      expect.objectContaining({ code: 'workflow/locked' }),
    );
    expect(() => s.workflow.removePage(pageIds[1]!, 'clerk')).toThrow(
      expect.objectContaining({ code: 'workflow/locked' }),
    );
    // Reopening drops the operator signature and unlocks the pages.
    s.workflow.reopen(id, 'clerk', 'page 2 upside down');
    expect(s.workflow.documents.row(id).operator_signature).toBeNull();
    s.workflow.setPageTransforms(pageIds[1]!, [], 'clerk');
    expect(s.check()).toEqual([]);
  });

  it('locks the text of a sealed document against OCR writes', async () => {
    const { s } = store();
    const id = await documentAt(s, 'sealed');
    const page = s.workflow.documents.pages(id)[0]!;
    expect(() => s.ocr.save(page.id, s.ocr.get(page.id)!, new Date().toISOString())).toThrow(
      expect.objectContaining({ code: 'workflow/locked' }),
    );
    expect(() => s.workflow.updateMetadata(id, { summary: 'x' }, 'clerk')).toThrow(
      expect.objectContaining({ code: 'workflow/locked' }),
    );
  });

  it('joins the queue view to the delivery state the outbox reports', async () => {
    const { s } = store();
    const queued = await documentAt(s, 'queued');
    const captured = await documentAt(s, 'captured');
    const items = s.queue(
      { states: ['queued'], limit: 10 },
      (ids) => new Map(ids.map((id) => [id, { documentId: id, state: 'uploading' } as never])),
    );
    expect(items).toEqual([
      expect.objectContaining({
        id: queued,
        state: 'queued',
        delivery: expect.objectContaining({ state: 'uploading' }),
      }),
    ]);
    expect(
      s
        .queue({ limit: 10 })
        .map((item) => item.id)
        .sort(),
    ).toEqual([queued, captured].sort());
  });

  it('lists the work longest waiting first, and what went out newest first when asked', async () => {
    const { s } = store();
    const first = await documentAt(s, 'verified');
    const second = await documentAt(s, 'verified');
    const third = await documentAt(s, 'verified');
    expect(s.queue({ states: ['verified'], limit: 2 }).map((item) => item.id)).toEqual([first, second]);
    // A desk with more deliveries than one page holds sees the latest ones.
    expect(s.queue({ states: ['delivered', 'verified'], limit: 2, newest: true }).map((item) => item.id)).toEqual([
      third,
      second,
    ]);
  });

  it('seals only with a stored PDF', async () => {
    const { s } = store();
    const id = await documentAt(s, 'coded');
    expect(() => s.workflow.seal(id, 'system:pdf', { pdfSha256: 'e'.repeat(64) })).toThrow(
      expect.objectContaining({ code: 'workflow/not-ready', message: expect.stringContaining('not in the store') }),
    );
    await sealDocument(s, await documentWithText(s, ['x']));
  });
});

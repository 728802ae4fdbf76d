import type { Database } from 'better-sqlite3';
import type { PageTransform } from '../../../shared/transforms.js';
import type {
  DocumentDetail,
  DocumentSummary,
  OutOfScope,
  ResultMetadata,
  Validity,
  WorkflowState,
} from '../../../shared/domain.js';
import { ResultMetadata as ResultMetadataSchema } from '../../../shared/domain.js';
import { StationError, fieldIssuesFromZod } from '../../../shared/errors.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import { appendAudit, auditHistory } from '../store/audit-log.js';
import type { AuditInput } from '../store/audit-log.js';
import type { DocumentRow, DocumentsRepository } from '../store/documents-repository.js';
import { createDocumentsRepository } from '../store/documents-repository.js';
import type { FileStore } from '../store/file-store.js';
import { isSha256 } from '../store/file-store.js';
import { collectGarbage } from '../store/garbage-collector.js';
import { reindexDocument } from '../store/search-index.js';
import { withStoreErrors } from '../store/store-errors.js';
import {
  blockReason,
  isAllowed,
  metadataEditableStates,
  nextStates,
  outboundStates,
  pageEditableStates,
  transitions,
} from './transitions.js';

/** What a signing step hands over: who signed and what proves it. */
export interface SignatureEvidence {
  signer: string;
  /** SHA-256 of the signed file in the store, when the signature is embedded in a PDF. */
  signedSha256?: string;
  /** SHA-256 of the signing certificate (DER). */
  certificateSha256?: string;
}

/** The evidence a step needs; each step reads only its own part. */
export interface TransitionEvidence {
  /** `operator-signed` (operator) and `sealed` (agency) when `signing.enabled`. */
  signature?: SignatureEvidence;
  /** `sealed`: the document's PDF/A in the file store. */
  pdfSha256?: string;
  /** `delivered`: the warehouse's answer (record id, time…); kept after purge. */
  receipt?: Record<string, unknown>;
  /** `verified`: the SHA-256 the warehouse reports for the file it holds. */
  verifiedSha256?: string;
  /** Why a document goes back (reopen, withdraw, re-queue). */
  reason?: string;
}

export interface WorkflowOptions {
  db: Database;
  clock: Clock;
  settings: () => Settings;
  /** When given, sealing checks the PDF is stored and purging removes the released files. */
  files?: FileStore | undefined;
  /** Called after each committed change of a document (the engine emits `documents:changed`). */
  onChange?: ((document: DocumentSummary) => void) | undefined;
}

/**
 * The one module that moves documents through the workflow and edits their structure.
 *
 * Every change runs in an IMMEDIATE transaction together with its audit row, so a crash leaves the
 * change and its record both or neither. Called inside a caller's transaction (the outbox queues a
 * document together with its job), it becomes a savepoint of that transaction. Refusals are
 * StationErrors: `workflow/illegal-transition`, `workflow/blocked`, `workflow/not-ready`,
 * `workflow/signature-required`, `workflow/locked`.
 */
export interface Workflow {
  readonly documents: DocumentsRepository;
  /** Any allowed step, with the evidence it needs. */
  transition(documentId: string, to: WorkflowState, actor: string, evidence?: TransitionEvidence): DocumentSummary;
  review(documentId: string, actor: string): DocumentSummary;
  signByOperator(documentId: string, actor: string, signature?: SignatureEvidence): DocumentSummary;
  extract(documentId: string, actor: string): DocumentSummary;
  assignCode(documentId: string, actor: string, digitizationCode?: string): DocumentSummary;
  seal(documentId: string, actor: string, input: { pdfSha256: string; signature?: SignatureEvidence }): DocumentSummary;
  enqueue(documentId: string, actor: string): DocumentSummary;
  withdraw(documentId: string, actor: string, reason: string): DocumentSummary;
  markDelivered(documentId: string, actor: string, receipt: Record<string, unknown>): DocumentSummary;
  markVerified(documentId: string, actor: string, verifiedSha256: string): DocumentSummary;
  requeue(documentId: string, actor: string, reason: string): DocumentSummary;
  reopen(documentId: string, actor: string, reason: string): DocumentSummary;
  /**
   * Drops the local copy of a verified document: page images, thumbnails, PDF and OCR text.
   * The rows, hashes, metadata and receipt stay. Returns the file hashes released.
   */
  purgeLocalCopy(documentId: string, actor: string): { released: string[]; filesRemoved: number };
  setValidity(documentId: string, validity: Validity, actor: string): DocumentSummary;
  /** Marks "mật"; a queued document is withdrawn in the same step. Refused once it has left. */
  setClassified(documentId: string, classified: boolean, actor: string): DocumentSummary;
  setOutOfScope(documentId: string, reason: OutOfScope | null, actor: string): DocumentSummary;
  updateMetadata(documentId: string, patch: Partial<ResultMetadata>, actor: string): DocumentSummary;
  /** One document from the pages of a batch that are in no document yet; null when there are none. */
  createFromBatch(batchId: string, actor: string): string | null;
  /** createFromBatch for every ended batch with loose pages (recovery at start). */
  adoptLoosePages(actor: string): number;
  /** Splits before `firstPageId`: it and the pages after it become a new document. */
  split(documentId: string, firstPageId: string, actor: string): string;
  /** Appends the pages of `sourceId` to `targetId` and deletes `sourceId`. */
  merge(targetId: string, sourceId: string, actor: string): DocumentSummary;
  reorderPages(documentId: string, pageIds: readonly string[], actor: string): DocumentSummary;
  removePage(pageId: string, actor: string): void;
  setPageTransforms(pageId: string, transforms: readonly PageTransform[], actor: string): void;
  setPageBlank(pageId: string, blank: boolean, actor: string): void;
  /** Deletes a document that was never signed (a mis-scan), with its pages. A cancelled result is never deleted. */
  discard(documentId: string, actor: string): void;
  detail(documentId: string): DocumentDetail;
}

const requiredForExtraction = ['documentNumber', 'issuedDate'] as const satisfies readonly (keyof ResultMetadata)[];

function summaryFlags(row: DocumentRow): { classified: boolean; outOfScope: OutOfScope | null } {
  return { classified: row.classified === 1, outOfScope: row.out_of_scope };
}

export function createWorkflow(options: WorkflowOptions): Workflow {
  const { db, clock } = options;
  const documents = createDocumentsRepository(db);
  const now = (): string => clock.now().toISOString();

  /** Runs a change with its audit rows in one IMMEDIATE transaction, then announces the documents it touched. */
  function change<T>(what: string, touched: (result: T) => string[], fn: (at: string) => T): T {
    const result = withStoreErrors(what, () => db.transaction(() => fn(now())).immediate());
    if (options.onChange !== undefined) {
      for (const id of touched(result)) {
        try {
          options.onChange(documents.summary(id));
        } catch {
          // A deleted document has nothing to announce.
        }
      }
    }
    return result;
  }

  function audit(at: string, input: AuditInput): void {
    appendAudit(db, at, input);
  }

  function illegal(row: DocumentRow, to: WorkflowState): StationError {
    const allowed = transitions[row.workflow_state];
    return new StationError(
      'workflow/illegal-transition',
      `Document ${row.id} is ${row.workflow_state}; it cannot become ${to} (allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none, it is final'})`,
    );
  }

  function requireEditablePages(row: DocumentRow): void {
    if (!pageEditableStates.has(row.workflow_state)) {
      throw new StationError(
        'workflow/locked',
        `Document ${row.id} is ${row.workflow_state}: its pages are fixed once the operator has signed; reopen it first`,
      );
    }
  }

  function signingEnabled(): boolean {
    return options.settings().signing.enabled;
  }

  function signatureOrSkip(
    row: DocumentRow,
    step: string,
    signature: SignatureEvidence | undefined,
  ): { stored: string; details: Record<string, unknown> } {
    if (signingEnabled()) {
      if (signature === undefined || signature.signer.trim() === '') {
        throw new StationError(
          'workflow/signature-required',
          `Document ${row.id}: the ${step} signature is required (signing.enabled is true) and none was given`,
        );
      }
      if (signature.signedSha256 !== undefined && !isSha256(signature.signedSha256)) {
        throw new StationError('ipc/invalid-args', 'signedSha256 must be a SHA-256', [
          { path: 'signature.signedSha256', message: 'not a SHA-256' },
        ]);
      }
      return { stored: JSON.stringify(signature), details: { signature: 'signed', signer: signature.signer } };
    }
    // Signing is off by machine policy (the default until signing is built): the step passes and
    // the log says so, so nobody later mistakes the document for a signed one.
    return {
      stored: JSON.stringify({ skipped: true, policy: 'signing.enabled=false' }),
      details: { signature: 'skipped', policy: 'signing.enabled=false' },
    };
  }

  /** Checks the step's preconditions and returns the columns to write and the audit details. */
  function prepare(
    row: DocumentRow,
    to: WorkflowState,
    evidence: TransitionEvidence,
  ): { fields: Partial<DocumentRow>; details: Record<string, unknown> } {
    const from = row.workflow_state;
    if (!isAllowed(from, to)) throw illegal(row, to);
    const details: Record<string, unknown> = { from, to };
    const fields: Partial<DocumentRow> = {};
    if (evidence.reason !== undefined) details.reason = evidence.reason;

    if (to === 'captured') {
      fields.operator_signature = null;
      return { fields, details };
    }
    if (outboundStates.has(to)) {
      const blocked = blockReason(summaryFlags(row));
      if (blocked !== null && to !== 'verified') {
        throw new StationError(
          'workflow/blocked',
          blocked === 'classified'
            ? `Document ${row.id} is marked "mật" (classified) and is never uploaded`
            : `Document ${row.id} is marked out of scope (${row.out_of_scope ?? ''}) and is never uploaded`,
        );
      }
    }
    switch (to) {
      case 'reviewed': {
        if (documents.pages(row.id).length === 0) {
          throw new StationError('workflow/not-ready', `Document ${row.id} has no page to review`);
        }
        break;
      }
      case 'operator-signed': {
        const signed = signatureOrSkip(row, 'operator', evidence.signature);
        fields.operator_signature = signed.stored;
        Object.assign(details, signed.details);
        break;
      }
      case 'extracted': {
        const waiting = documents
          .pages(row.id)
          .filter((page) => page.ocrState === 'pending' || page.ocrState === 'running');
        const metadata = documents.metadata(row.id);
        const missing = requiredForExtraction.filter((name) => metadata[name] === null || metadata[name] === '');
        if (waiting.length > 0 || missing.length > 0) {
          throw new StationError(
            'workflow/not-ready',
            `Document ${row.id} is not ready for extraction: ${[
              waiting.length > 0 ? `${waiting.length} page(s) still waiting for OCR` : '',
              missing.length > 0 ? `missing ${missing.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join('; ')}`,
            missing.map((name) => ({ path: `metadata.${name}`, message: 'required' })),
          );
        }
        break;
      }
      case 'coded': {
        const code = documents.metadata(row.id).digitizationCode;
        if (code === null || code.trim() === '') {
          throw new StationError('workflow/not-ready', `Document ${row.id} has no digitization code yet`, [
            { path: 'metadata.digitizationCode', message: 'required' },
          ]);
        }
        break;
      }
      case 'sealed': {
        if (from === 'queued') break; // withdrawn from the queue: the PDF is already there
        const pdf = evidence.pdfSha256;
        if (pdf === undefined || !isSha256(pdf)) {
          throw new StationError('workflow/not-ready', `Document ${row.id} has no PDF to seal yet`);
        }
        if (options.files !== undefined && !options.files.has(pdf)) {
          throw new StationError('workflow/not-ready', `The PDF ${pdf} of document ${row.id} is not in the store`);
        }
        const signed = signatureOrSkip(row, 'agency', evidence.signature);
        fields.pdf_sha256 = pdf;
        fields.agency_signature = signed.stored;
        Object.assign(details, { pdfSha256: pdf }, signed.details);
        break;
      }
      case 'queued':
        break;
      case 'delivered': {
        if (evidence.receipt === undefined) {
          throw new StationError('workflow/not-ready', `Document ${row.id}: delivery needs the warehouse's receipt`);
        }
        fields.receipt = JSON.stringify(evidence.receipt);
        break;
      }
      case 'verified': {
        if (evidence.verifiedSha256 !== row.pdf_sha256) {
          throw new StationError(
            'workflow/not-ready',
            `Document ${row.id}: the warehouse holds ${evidence.verifiedSha256 ?? 'no hash'}, not ${row.pdf_sha256 ?? ''}; not verified`,
          );
        }
        details.verifiedSha256 = evidence.verifiedSha256;
        break;
      }
    }
    return { fields, details };
  }

  function transitionIn(
    at: string,
    documentId: string,
    to: WorkflowState,
    actor: string,
    evidence: TransitionEvidence,
  ): void {
    const row = documents.row(documentId);
    const { fields, details } = prepare(row, to, evidence);
    documents.update(documentId, { ...fields, workflow_state: to, updated_at: at, state_changed_at: at });
    audit(at, { actor, action: 'workflow.transition', objectType: 'document', objectId: documentId, details });
  }

  function transition(
    documentId: string,
    to: WorkflowState,
    actor: string,
    evidence: TransitionEvidence = {},
  ): DocumentSummary {
    change(
      `moving document ${documentId} to ${to}`,
      () => [documentId],
      (at) => transitionIn(at, documentId, to, actor, evidence),
    );
    return documents.summary(documentId);
  }

  function createIn(
    at: string,
    batchId: string | null,
    pageIds: readonly string[],
    actor: string,
    details: Record<string, unknown>,
  ): string {
    const id = documents.create({ batchId, pageIds, at });
    audit(at, {
      actor,
      action: 'document.created',
      objectType: 'document',
      objectId: id,
      details: { batchId, pages: pageIds.length, ...details },
    });
    return id;
  }

  function setFlag(
    documentId: string,
    actor: string,
    action: string,
    fields: Partial<DocumentRow>,
    details: Record<string, unknown>,
    blocking: boolean,
  ): DocumentSummary {
    change(
      action,
      () => [documentId],
      (at) => {
        const row = documents.row(documentId);
        if (blocking && (row.workflow_state === 'delivered' || row.workflow_state === 'verified')) {
          throw new StationError(
            'workflow/locked',
            `Document ${documentId} has already been delivered; it cannot be marked now. Ask the warehouse to withdraw it.`,
          );
        }
        if (blocking && row.workflow_state === 'queued') {
          // Never let a document marked "mật" or out of scope wait in the outbox.
          transitionIn(at, documentId, 'sealed', actor, { reason: action });
        }
        documents.update(documentId, { ...fields, updated_at: at });
        audit(at, { actor, action, objectType: 'document', objectId: documentId, details });
      },
    );
    return documents.summary(documentId);
  }

  const workflow: Workflow = {
    documents,
    transition,
    review: (id, actor) => transition(id, 'reviewed', actor),
    signByOperator: (id, actor, signature) =>
      transition(id, 'operator-signed', actor, signature === undefined ? {} : { signature }),
    extract: (id, actor) => transition(id, 'extracted', actor),
    assignCode(id, actor, digitizationCode) {
      change(
        `coding document ${id}`,
        () => [id],
        (at) => {
          if (digitizationCode !== undefined) {
            const row = documents.row(id);
            if (row.workflow_state !== 'extracted') throw illegal(row, 'coded');
            documents.saveMetadata(id, { digitizationCode }, at);
            audit(at, {
              actor,
              action: 'document.metadata',
              objectType: 'document',
              objectId: id,
              details: { fields: ['digitizationCode'] },
            });
          }
          transitionIn(at, id, 'coded', actor, {});
        },
      );
      return documents.summary(id);
    },
    seal: (id, actor, { pdfSha256, signature }) =>
      transition(id, 'sealed', actor, signature === undefined ? { pdfSha256 } : { pdfSha256, signature }),
    enqueue: (id, actor) => transition(id, 'queued', actor),
    withdraw: (id, actor, reason) => transition(id, 'sealed', actor, { reason }),
    markDelivered: (id, actor, receipt) => transition(id, 'delivered', actor, { receipt }),
    markVerified: (id, actor, verifiedSha256) => transition(id, 'verified', actor, { verifiedSha256 }),
    requeue: (id, actor, reason) => transition(id, 'queued', actor, { reason }),
    reopen: (id, actor, reason) => transition(id, 'captured', actor, { reason }),

    purgeLocalCopy(documentId, actor) {
      const released = change(
        `purging document ${documentId}`,
        () => [documentId],
        (at) => {
          const row = documents.row(documentId);
          if (row.workflow_state !== 'verified') {
            throw new StationError(
              'workflow/illegal-transition',
              `Document ${documentId} is ${row.workflow_state}; its local copy is purged only after the warehouse has verified it`,
            );
          }
          if (row.purged_at !== null) return [];
          const pages = documents.pages(documentId);
          const hashes = new Set<string>(pages.flatMap((page) => [page.sha256]));
          for (const thumb of db
            .prepare(`SELECT thumb_sha256 FROM pages WHERE document_id = ?`)
            .pluck()
            .all(documentId) as string[]) {
            hashes.add(thumb);
          }
          if (row.pdf_sha256 !== null) hashes.add(row.pdf_sha256);
          db.prepare(`DELETE FROM ocr_results WHERE page_id IN (SELECT id FROM pages WHERE document_id = ?)`).run(
            documentId,
          );
          db.prepare(`UPDATE pages SET purged_at = ? WHERE document_id = ?`).run(at, documentId);
          documents.update(documentId, { purged_at: at, updated_at: at });
          // The search entry keeps the metadata only.
          reindexDocument(db, documentId);
          audit(at, {
            actor,
            action: 'document.purged',
            objectType: 'document',
            objectId: documentId,
            details: { pages: pages.length, files: hashes.size },
          });
          return [...hashes];
        },
      );
      let filesRemoved = 0;
      if (options.files !== undefined && released.length > 0) {
        // A minute of grace: identical bytes captured again right now (a blank page) keep their file.
        filesRemoved = collectGarbage(db, options.files, { graceMs: 60_000, candidates: released }).removed;
      }
      return { released, filesRemoved };
    },

    setValidity: (id, validity, actor) => setFlag(id, actor, 'document.validity', { validity }, { validity }, false),
    setClassified: (id, classified, actor) =>
      setFlag(id, actor, 'document.classified', { classified: classified ? 1 : 0 }, { classified }, classified),
    setOutOfScope: (id, reason, actor) =>
      setFlag(id, actor, 'document.out-of-scope', { out_of_scope: reason }, { outOfScope: reason }, reason !== null),

    updateMetadata(documentId, patch, actor) {
      const parsed = ResultMetadataSchema.partial().safeParse(patch);
      if (!parsed.success) {
        throw new StationError('ipc/invalid-args', 'Invalid metadata', fieldIssuesFromZod(parsed.error));
      }
      change(
        `saving the metadata of document ${documentId}`,
        () => [documentId],
        (at) => {
          const row = documents.row(documentId);
          if (!metadataEditableStates.has(row.workflow_state)) {
            throw new StationError(
              'workflow/locked',
              `Document ${documentId} is ${row.workflow_state}; its metadata is sealed`,
            );
          }
          const fields = documents.saveMetadata(documentId, parsed.data, at);
          audit(at, {
            actor,
            action: 'document.metadata',
            objectType: 'document',
            objectId: documentId,
            details: { fields },
          });
        },
      );
      return documents.summary(documentId);
    },

    createFromBatch(batchId, actor) {
      return change(
        `making a document of batch ${batchId}`,
        (id) => (id === null ? [] : [id]),
        (at) => {
          const pageIds = documents.loosePages(batchId);
          return pageIds.length === 0 ? null : createIn(at, batchId, pageIds, actor, {});
        },
      );
    },

    adoptLoosePages(actor) {
      let count = 0;
      for (const batchId of documents.batchesWithLoosePages()) {
        if (workflow.createFromBatch(batchId, actor) !== null) count += 1;
      }
      return count;
    },

    split(documentId, firstPageId, actor) {
      return change(
        `splitting document ${documentId}`,
        (id) => [documentId, id],
        (at) => {
          const row = documents.row(documentId);
          requireEditablePages(row);
          const pageIds = documents.pages(documentId).map((page) => page.id);
          const at0 = pageIds.indexOf(firstPageId);
          if (at0 <= 0) {
            throw new StationError('ipc/invalid-args', 'Split at a page of the document other than its first', [
              { path: 'firstPageId', message: at0 === 0 ? 'is the first page' : 'not in this document' },
            ]);
          }
          const moved = pageIds.slice(at0);
          const id = createIn(at, row.batch_id, [], actor, { splitFrom: documentId, moved: moved.length });
          documents.movePages(moved, id, at);
          audit(at, {
            actor,
            action: 'document.split',
            objectType: 'document',
            objectId: documentId,
            details: { into: id, pages: moved.length },
          });
          return id;
        },
      );
    },

    merge(targetId, sourceId, actor) {
      if (targetId === sourceId) throw new StationError('ipc/invalid-args', 'A document cannot be merged into itself');
      change(
        `merging document ${sourceId} into ${targetId}`,
        () => [targetId],
        (at) => {
          const target = documents.row(targetId);
          const source = documents.row(sourceId);
          requireEditablePages(target);
          requireEditablePages(source);
          if (source.validity === 'cancelled') {
            throw new StationError(
              'workflow/locked',
              `Document ${sourceId} is cancelled; a cancelled result is kept as it is`,
            );
          }
          const moved = documents.pages(sourceId).map((page) => page.id);
          documents.movePages(moved, targetId, at);
          documents.deleteDocument(sourceId);
          audit(at, {
            actor,
            action: 'document.merged',
            objectType: 'document',
            objectId: targetId,
            details: { from: sourceId, pages: moved.length },
          });
        },
      );
      return documents.summary(targetId);
    },

    reorderPages(documentId, pageIds, actor) {
      change(
        `reordering document ${documentId}`,
        () => [documentId],
        (at) => {
          requireEditablePages(documents.row(documentId));
          documents.setPageOrder(documentId, pageIds, at);
          audit(at, {
            actor,
            action: 'document.pages-reordered',
            objectType: 'document',
            objectId: documentId,
            details: { pages: pageIds.length },
          });
        },
      );
      return documents.summary(documentId);
    },

    removePage(pageId, actor) {
      change(
        `removing page ${pageId}`,
        () => [],
        (at) => {
          const page = documents.page(pageId);
          if (page.documentId !== null) {
            const row = documents.row(page.documentId);
            requireEditablePages(row);
            if (documents.pages(page.documentId).length === 1 && row.validity === 'cancelled') {
              throw new StationError(
                'workflow/locked',
                `Document ${row.id} is cancelled; a cancelled result is never deleted`,
              );
            }
          }
          documents.deletePage(pageId);
          audit(at, {
            actor,
            action: 'page.removed',
            objectType: 'page',
            objectId: pageId,
            details: { documentId: page.documentId, sha256: page.sha256 },
          });
          if (page.documentId !== null && documents.pages(page.documentId).length === 0) {
            documents.deleteDocument(page.documentId);
            audit(at, {
              actor,
              action: 'document.deleted',
              objectType: 'document',
              objectId: page.documentId,
              details: { reason: 'last page removed' },
            });
          }
        },
      );
    },

    setPageTransforms(pageId, transforms, actor) {
      change(
        `editing page ${pageId}`,
        () => [],
        (at) => {
          const page = documents.page(pageId);
          if (page.documentId !== null) requireEditablePages(documents.row(page.documentId));
          documents.setTransforms(pageId, transforms);
          audit(at, {
            actor,
            action: 'page.transforms',
            objectType: 'page',
            objectId: pageId,
            details: { kinds: transforms.map((t) => t.kind) },
          });
        },
      );
    },

    setPageBlank(pageId, blank, actor) {
      change(
        `marking page ${pageId}`,
        () => [],
        (at) => {
          const page = documents.page(pageId);
          if (page.documentId !== null) requireEditablePages(documents.row(page.documentId));
          documents.setBlank(pageId, blank);
          audit(at, { actor, action: 'page.blank', objectType: 'page', objectId: pageId, details: { blank } });
        },
      );
    },

    discard(documentId, actor) {
      change(
        `discarding document ${documentId}`,
        () => [],
        (at) => {
          const row = documents.row(documentId);
          requireEditablePages(row);
          if (row.validity === 'cancelled') {
            throw new StationError(
              'workflow/locked',
              `Document ${documentId} is cancelled; a cancelled result is never deleted`,
            );
          }
          const pages = documents.pages(documentId);
          for (const page of pages) documents.deletePage(page.id);
          documents.deleteDocument(documentId);
          audit(at, {
            actor,
            action: 'document.deleted',
            objectType: 'document',
            objectId: documentId,
            details: { pages: pages.length },
          });
        },
      );
    },

    detail(documentId) {
      const summary = documents.summary(documentId);
      return {
        ...summary,
        pages: documents.pages(documentId),
        metadata: documents.metadata(documentId),
        blocked: blockReason(summary),
        next: nextStates(summary),
        history: auditHistory(db, 'document', documentId),
      };
    },
  };
  return workflow;
}

import type { Database } from 'better-sqlite3';
import type { DocumentDetail, OutboxItem } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { Logger } from '../logging/logger.js';
import type { OcrRepository } from '../store/ocr-repository.js';
import type { Workflow } from '../workflow/workflow-service.js';
import type { DeliveryHooks } from './outbox-worker.js';
import type { RecordInput, SyncService } from './sync-service.js';

/** The actor the audit log shows for steps the delivery worker takes. */
export const syncActor = 'system:sync';

function present<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

/** The result record of a sealed document: its metadata, validity, page count and OCR text (NFC later). */
export function recordFromDocument(detail: DocumentDetail, ocrText: string | undefined): RecordInput {
  const { metadata } = detail;
  const pages = detail.pages.filter((page) => !page.blank).length || detail.pages.length;
  const optional: Partial<RecordInput> = {
    digitizationCode: present(metadata.digitizationCode),
    resultTypeCode: present(metadata.resultTypeCode),
    ownerId: present(metadata.ownerId),
    ownerName: present(metadata.ownerName),
    validUntil: present(metadata.validUntil),
    permanent: metadata.permanent ? true : undefined,
    validityScope: present(metadata.validityScope),
    summary: present(metadata.summary),
    issuingAgency: present(metadata.issuingAgency),
    signer: present(metadata.signer),
    dossierCode: present(metadata.dossierCode),
    procedureCode: present(metadata.procedureCode),
    sectorCode: present(metadata.sectorCode),
    digitizedBy: present(metadata.digitizedBy),
    digitizedAt: present(metadata.digitizedAt),
    ocrText: ocrText === '' ? undefined : ocrText,
  };
  const defined = Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined));
  return {
    ...defined,
    documentNumber: metadata.documentNumber ?? '',
    issuedDate: metadata.issuedDate ?? '',
    kind: metadata.kind ?? 1,
    status: detail.validity,
    pages: Math.max(pages, 1),
  };
}

/**
 * The workflow's part in delivery: it refuses "mật", out-of-scope and withdrawn documents,
 * records `delivered` and `verified`, and purges the local copy. A document it does not know
 * (a bag from another station) is delivered on the outbox row alone.
 */
export function createWorkflowDeliveryHooks(workflow: Workflow, logger: Logger): DeliveryHooks {
  const known = (documentId: string): DocumentDetail['state'] | undefined => {
    try {
      return workflow.documents.row(documentId).workflow_state;
    } catch (error) {
      if (error instanceof StationError && error.code === 'store/not-found') return undefined;
      throw error;
    }
  };
  const step = (what: string, documentId: string, run: () => void): void => {
    try {
      run();
    } catch (error) {
      // The outbox row is the truth of delivery; the workflow catches up at the next step or start.
      logger.error(`workflow step "${what}" refused after delivery`, { documentId, error });
    }
  };
  return {
    checkDeliverable(documentId) {
      const state = known(documentId);
      if (state === undefined) return null;
      const row = workflow.documents.row(documentId);
      if (row.classified === 1 || row.out_of_scope !== null) return 'sync/classified';
      if (state !== 'queued' && state !== 'delivered' && state !== 'verified') return 'sync/withdrawn';
      return null;
    },
    delivered(documentId, record) {
      if (known(documentId) !== 'queued') return;
      step('delivered', documentId, () =>
        workflow.markDelivered(documentId, syncActor, {
          recordId: record.id,
          receivedAt: record.receivedAt,
          sha256: record.sha256,
          bytes: record.bytes,
        }),
      );
    },
    verified(documentId, record) {
      if (known(documentId) === 'queued') this.delivered?.(documentId, record);
      if (known(documentId) !== 'delivered') return;
      step('verified', documentId, () => workflow.markVerified(documentId, syncActor, record.sha256));
    },
    purge(documentId) {
      if (known(documentId) === undefined) return false;
      workflow.purgeLocalCopy(documentId, syncActor);
      return true;
    },
  };
}

/**
 * Queues a sealed document for delivery: the workflow step and the outbox row in one
 * transaction, so a document is never `queued` without its job, nor the reverse.
 */
export function queueDocument(
  deps: { db: Database; workflow: Workflow; ocr: OcrRepository; sync: SyncService },
  documentId: string,
  actor: string,
): OutboxItem {
  return deps.db.transaction(() => {
    const before = deps.workflow.detail(documentId);
    if (before.state !== 'queued') deps.workflow.enqueue(documentId, actor);
    const detail = deps.workflow.detail(documentId);
    if (detail.pdfSha256 === null) {
      throw new StationError('workflow/not-ready', `Document ${documentId} has no PDF to deliver`);
    }
    const text = detail.pages
      .map((page) => deps.ocr.get(page.id)?.text ?? '')
      .join('\f')
      .replace(/\f+$/, '');
    const existing = deps.sync.get(documentId);
    if (existing?.state === 'blocked' && existing.sha256 === detail.pdfSha256) {
      return deps.sync.setClassified(documentId, false);
    }
    return deps.sync.enqueue({
      documentId,
      fileSha256: detail.pdfSha256,
      record: recordFromDocument(detail, text),
    });
  })();
}

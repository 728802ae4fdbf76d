import type { OutOfScope, WorkflowState } from '../../../shared/domain.js';

/**
 * The document workflow of TT 01/2023 art. 7 as data: which step may follow which.
 *
 * Forward: captured → reviewed → operator-signed → extracted → coded → sealed → queued →
 * delivered → verified. Backward, only where nothing signed is undone: a document not yet sealed
 * can be reopened to `captured` (its operator signature is dropped), a queued one withdrawn to
 * `sealed`, and a delivered one whose read-back failed queued again.
 */
export const transitions: Readonly<Record<WorkflowState, readonly WorkflowState[]>> = {
  captured: ['reviewed'],
  reviewed: ['operator-signed', 'captured'],
  'operator-signed': ['extracted', 'captured'],
  extracted: ['coded', 'captured'],
  coded: ['sealed', 'captured'],
  sealed: ['queued'],
  queued: ['delivered', 'sealed'],
  delivered: ['verified', 'queued'],
  verified: [],
};

/** Pages may be reordered, rotated, removed, split and merged only before the operator signs. */
export const pageEditableStates: ReadonlySet<WorkflowState> = new Set(['captured', 'reviewed']);

/** Metadata may change until the document is sealed (the sealed PDF carries it). */
export const metadataEditableStates: ReadonlySet<WorkflowState> = new Set([
  'captured',
  'reviewed',
  'operator-signed',
  'extracted',
  'coded',
]);

/** States from which the document may be on its way out, or already out. */
export const outboundStates: ReadonlySet<WorkflowState> = new Set(['queued', 'delivered', 'verified']);

export function isAllowed(from: WorkflowState, to: WorkflowState): boolean {
  return transitions[from].includes(to);
}

/** Why a document may not be uploaded: "mật" (TT 02/2019) or out of scope (TT 01/2023 art. 4). */
export function blockReason(document: {
  classified: boolean;
  outOfScope: OutOfScope | null;
}): 'classified' | 'out-of-scope' | null {
  if (document.classified) return 'classified';
  if (document.outOfScope !== null) return 'out-of-scope';
  return null;
}

/** The steps the document may take from its state, leaving out the upload while it is blocked. */
export function nextStates(document: {
  state: WorkflowState;
  classified: boolean;
  outOfScope: OutOfScope | null;
}): WorkflowState[] {
  const blocked = blockReason(document) !== null;
  return transitions[document.state].filter((to) => !(blocked && outboundStates.has(to)));
}

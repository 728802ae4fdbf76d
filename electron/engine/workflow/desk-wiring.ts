import { StationError } from '../../../shared/errors.js';
import type { CallHandlers } from '../dispatcher.js';

export type DeskCalls =
  | 'documents:split'
  | 'documents:split-at-blanks'
  | 'documents:merge'
  | 'documents:reorder-pages'
  | 'documents:suggest'
  | 'documents:propose-code'
  | 'documents:finish'
  | 'pages:remove'
  | 'pages:set-transforms'
  | 'pages:set-blank'
  | 'pages:image'
  | 'scan:insert'
  | 'sync:send-now';

const notYet = (): never => {
  throw new StationError('ipc/unknown-call', 'not built yet');
};

/** The contract calls of the clerk's desk (review, index, finish), spread into the engine's dispatch table. */
export function deskCallHandlers(): Pick<CallHandlers, DeskCalls> {
  return {
    'documents:split': notYet,
    'documents:split-at-blanks': notYet,
    'documents:merge': notYet,
    'documents:reorder-pages': notYet,
    'documents:suggest': notYet,
    'documents:propose-code': notYet,
    'documents:finish': notYet,
    'pages:remove': notYet,
    'pages:set-transforms': notYet,
    'pages:set-blank': notYet,
    'pages:image': notYet,
    'scan:insert': notYet,
    'sync:send-now': notYet,
  };
}

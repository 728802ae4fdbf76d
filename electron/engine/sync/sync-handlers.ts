import type { CallHandlers } from '../dispatcher.js';
import type { SyncService } from './sync-service.js';

type SyncCalls = 'sync:status' | 'sync:list' | 'sync:pause' | 'sync:resume' | 'sync:retry' | 'sync:set-secret';

/** The contract calls of delivery, spread into the engine's dispatch table. */
export function syncHandlers(sync: SyncService): Pick<CallHandlers, SyncCalls> {
  return {
    'sync:status': () => sync.status(),
    'sync:list': ({ states, limit }) => sync.list({ states, limit }),
    'sync:pause': () => sync.pause(),
    'sync:resume': () => sync.resume(),
    'sync:retry': ({ documentId }) => sync.retry(documentId),
    'sync:set-secret': async ({ secret }) => {
      await sync.setSecret(secret);
      return { stored: true as const };
    },
  };
}

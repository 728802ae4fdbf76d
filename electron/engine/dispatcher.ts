import type { CallArgs, CallName, CallValue } from '../../shared/contract.js';
import { calls, isCallName } from '../../shared/contract.js';
import type { CallResult, StationErrorShape } from '../../shared/errors.js';
import { fieldIssuesFromZod, isStationError } from '../../shared/errors.js';
import type { Logger } from './logging/logger.js';

/** The engine's implementation of every call, arguments already validated. */
export type CallHandlers = {
  [N in CallName]: (args: CallArgs<N> & object) => Promise<CallValue<N>> | CallValue<N>;
};

/** Validates and routes calls; knows no transport, so IPC, the bridge and tests share it. */
export interface Dispatcher {
  dispatch(name: string, args: unknown): Promise<CallResult<unknown>>;
}

export function createDispatcher(handlers: CallHandlers, logger: Logger): Dispatcher {
  return {
    async dispatch(name, args) {
      if (!isCallName(name)) {
        return failure({ code: 'ipc/unknown-call', message: `Unknown call: ${name}` });
      }
      const parsed = calls[name].args.safeParse(args ?? {});
      if (!parsed.success) {
        return failure({
          code: 'ipc/invalid-args',
          message: `Invalid arguments for ${name}`,
          fields: fieldIssuesFromZod(parsed.error),
        });
      }
      try {
        const handler = handlers[name] as (input: unknown) => unknown;
        const value = await handler(parsed.data);
        return { ok: true, value };
      } catch (error) {
        if (isStationError(error)) {
          return failure(error.toShape());
        }
        logger.error('call failed', { call: name, error });
        return failure({ code: 'internal', message: 'Internal error' });
      }
    },
  };
}

function failure(error: StationErrorShape): CallResult<never> {
  return { ok: false, error };
}

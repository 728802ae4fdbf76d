import type { CallArgs, CallName, CallValue } from '../../shared/contract.js';
import type { CallResult } from '../../shared/errors.js';
import type { Engine } from '../../electron/engine/engine.js';

/** A typed call through the engine's dispatcher, the same path the transports take. */
export async function callEngine<N extends CallName>(
  engine: Engine,
  name: N,
  args: CallArgs<N>,
): Promise<CallResult<CallValue<N>>> {
  return (await engine.dispatcher.dispatch(name, args)) as CallResult<CallValue<N>>;
}

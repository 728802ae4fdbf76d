import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { callNames, calls, eventNames } from '../../shared/contract.js';
import { callPath, eventPath, stationApiPaths } from '../../shared/api-shape.js';
import { StationError } from '../../shared/errors.js';
import type { CallHandlers } from '../../electron/engine/dispatcher.js';
import { createDispatcher } from '../../electron/engine/dispatcher.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';

/** Handlers that must never run: the dispatcher has to refuse before reaching them. */
function unreachableHandlers(): CallHandlers {
  return Object.fromEntries(
    callNames.map((name) => [
      name,
      () => {
        throw new Error(`handler ${name} reached with invalid arguments`);
      },
    ]),
  ) as unknown as CallHandlers;
}

/** One malformed argument object per call, and the field path the error must name. */
function malformed(name: (typeof callNames)[number]): { args: unknown; path: string } {
  const shape = (calls[name].args as z.ZodObject).shape as Record<string, z.ZodType>;
  const first = Object.keys(shape)[0];
  if (first === undefined) return { args: { bogus: 1 }, path: 'bogus' };
  // A symbol is valid for no JSON-shaped schema, whatever the field's type.
  return { args: { [first]: Symbol('malformed') }, path: first };
}

describe('contract', () => {
  const dispatcher = createDispatcher(unreachableHandlers(), createSilentLogger());

  it.each(callNames)('%s rejects malformed arguments with ipc/invalid-args and the field path', async (name) => {
    const { args, path } = malformed(name);
    const result = await dispatcher.dispatch(name, args);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('ipc/invalid-args');
    expect(result.error.fields?.map((field) => field.path)).toContain(path);
  });

  it('names the nested path of a bad value', async () => {
    const result = await dispatcher.dispatch('settings:update', { patch: { scan: { dpi: 'high' } } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'ipc/invalid-args', fields: [{ path: 'patch.scan.dpi' }] },
    });
  });

  it('refuses a date that is not a day of the calendar, naming the field', async () => {
    for (const issuedDate of ['2024-13-45', '2023-02-29', '2024-04-31']) {
      const result = await dispatcher.dispatch('documents:update', { documentId: 'd', metadata: { issuedDate } });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'ipc/invalid-args', fields: [{ path: 'metadata.issuedDate' }] },
      });
    }
    expect(
      calls['documents:update'].args.safeParse({ documentId: 'd', metadata: { issuedDate: '2024-02-29' } }).success,
    ).toBe(true);
  });

  it('refuses an unknown call', async () => {
    const result = await dispatcher.dispatch('fs:delete-everything', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc/unknown-call' } });
  });

  it('refuses names inherited from Object.prototype', async () => {
    const result = await dispatcher.dispatch('constructor', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc/unknown-call' } });
  });

  it('passes validated arguments to the handler and wraps the value', async () => {
    const handlers = {
      ...unreachableHandlers(),
      'scan:cancel': ({ batchId }: { batchId: string }) => ({ cancelled: batchId === 'b1' }),
    };
    const result = await createDispatcher(handlers, createSilentLogger()).dispatch('scan:cancel', { batchId: 'b1' });
    expect(result).toEqual({ ok: true, value: { cancelled: true } });
  });

  it('maps an expected failure to its code and anything else to internal', async () => {
    const handlers = {
      ...unreachableHandlers(),
      'scan:cancel': () => {
        throw new StationError('scan/busy', 'busy');
      },
      'batches:list': () => {
        throw new TypeError('secret detail');
      },
    };
    const dispatcher = createDispatcher(handlers, createSilentLogger());
    expect(await dispatcher.dispatch('scan:cancel', { batchId: 'x' })).toEqual({
      ok: false,
      error: { code: 'scan/busy', message: 'busy' },
    });
    expect(await dispatcher.dispatch('batches:list', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Internal error' },
    });
  });

  it('maps names to preload paths without collisions', () => {
    expect(callPath('scan:start')).toEqual(['scan', 'start']);
    expect(eventPath('scan:page-captured')).toEqual(['scan', 'onPageCaptured']);
    const paths = stationApiPaths();
    expect(new Set(paths).size).toBe(callNames.length + eventNames.length);
  });
});

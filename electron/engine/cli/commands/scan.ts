import type { EventPayload } from '../../../../shared/contract.js';
import type { Engine } from '../../engine.js';
import type { CliCommand } from '../command.js';
import { call, integerOption, print } from '../command.js';
import { readPages, readPagesOption, readPagesTuning } from '../read-pages.js';

type BatchEnd =
  | { name: 'scan:finished'; payload: EventPayload<'scan:finished'> }
  | { name: 'scan:failed'; payload: EventPayload<'scan:failed'> };

/** Resolves when the batch ends; reports each page as it lands. Subscribed before the scan starts, so no event is missed. */
function watchBatch(
  engine: Engine,
  batchId: () => string | undefined,
  onPage: (payload: EventPayload<'scan:page-captured'>) => void,
): Promise<BatchEnd> {
  return new Promise((resolve) => {
    const stop = engine.events.onAny((name, payload) => {
      if ((payload as { batchId?: string }).batchId !== batchId()) return;
      if (name === 'scan:page-captured') onPage(payload as EventPayload<'scan:page-captured'>);
      if (name === 'scan:finished' || name === 'scan:failed') {
        stop();
        resolve({ name, payload } as BatchEnd);
      }
    });
  });
}

export const scanCommand: CliCommand = {
  name: 'scan',
  usage: 'scan [--device ID] [--profile NAME] [--count N] [--ocr]',
  summary:
    'scan pages into the store of --data-dir (`sohoa devices` lists devices and profiles); --ocr reads their text before it ends',
  options: { device: { type: 'string' }, count: { type: 'string' }, profile: { type: 'string' }, ...readPagesOption },
  ocr: readPagesTuning,
  async run(context) {
    const { engine, io, json } = context;
    const deviceId =
      (context.values.device as string | undefined) ?? engine.settings.current().values.scan.defaultDevice;
    const count = integerOption(context.values.count, 'count', 1, 1000);
    const profile = context.values.profile as string | undefined;
    const batch: { id?: string } = {};
    const ended = watchBatch(
      engine,
      () => batch.id,
      (captured) => {
        if (!json)
          io.stderr.write(
            `page ${captured.page.index + 1}: ${captured.page.widthPx}×${captured.page.heightPx} px, ${captured.page.sha256.slice(0, 12)}\n`,
          );
      },
    );
    const started = await call(engine, 'scan:start', {
      deviceId,
      ...(count === undefined ? {} : { count }),
      ...(profile === undefined ? {} : { profile }),
    });
    batch.id = started.batchId;
    void io.untilStopped().then(() => engine.capture.cancel(started.batchId));
    const end = await ended;
    const pages = await call(engine, 'pages:list', { batchId: started.batchId });
    if (end.name === 'scan:failed') {
      const { error } = end.payload;
      if (json) io.stdout.write(`${JSON.stringify({ ok: false, batchId: started.batchId, pages, error })}\n`);
      else
        io.stderr.write(
          `sohoa: scan stopped after ${pages.length} page(s), which are kept: ${error.message} (${error.code})\n`,
        );
      return 1;
    }
    const { cancelled } = end.payload;
    const ocr = context.values.ocr === true && !cancelled ? await readPages(engine, io, json) : undefined;
    print(
      context,
      { ok: true, batchId: started.batchId, cancelled, pages, ...(ocr === undefined ? {} : { ocr }) },
      `Batch ${started.batchId}: ${pages.length} page(s) stored in ${engine.dataDir}${cancelled ? ' (cancelled)' : ''}${ocr === undefined ? '' : `; OCR read ${ocr.read} page(s), ${ocr.failed} failed`}`,
    );
    return cancelled ? 130 : 0;
  },
};

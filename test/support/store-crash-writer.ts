// The child of the crash-safety test: `node --import tsx test/support/store-crash-writer.ts DIR`.
//
// It loads everything, prints `ready`, and waits for `go` on stdin, so the test can start the next
// child while it checks the store the last one left (the start-up cost overlaps the checks). Then it
// opens the store of DIR as the engine does (recovery included) and works in a loop — captures,
// OCR, metadata, every workflow step, splits, merges, purges, garbage collection — until the test
// kills it with SIGKILL. After each commit it writes `page <id> <sha256>` for the pages it
// committed, with a synchronous write, so the test knows what must have survived.
import crypto from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import { StationError } from '../../shared/errors.js';
import { defaultSettings } from '../../shared/settings.js';
import { systemClock } from '../../electron/engine/clock.js';
import { openStore } from '../../electron/engine/store/store.js';
import type { Store } from '../../electron/engine/store/store.js';
import { ocrResultOf } from './store-fixtures.js';

const dataDir = process.argv[2];
if (dataDir === undefined) {
  process.stderr.write('usage: store-crash-writer.ts DIR\n');
  process.exit(2);
}

const say = (line: string): void => void fs.writeSync(1, `${line}\n`);
const pick = <T>(items: readonly T[]): T | undefined => items[crypto.randomInt(Math.max(1, items.length))];
const words = [
  'Quyết định',
  'Đăng ký',
  'Giấy chứng nhận',
  'hoạt động',
  'khoa học',
  'Ủy ban nhân dân',
  'tỉnh Quảng Ngãi',
  'cấp phép',
];

async function capture(store: Store): Promise<void> {
  const batchId = crypto.randomUUID();
  store.captures.createBatch({ id: batchId, deviceId: 'crash', startedAt: new Date().toISOString() });
  const count = 1 + crypto.randomInt(5);
  for (let index = 0; index < count; index += 1) {
    // Sometimes the same bytes again (blank sheets), so purge and GC meet shared files.
    const data =
      crypto.randomInt(8) === 0
        ? Buffer.from('blank sheet '.repeat(50))
        : crypto.randomBytes(500 + crypto.randomInt(3000));
    const sha256 = await store.files.put(data);
    const thumbSha256 = await store.files.put(Buffer.concat([Buffer.from('thumb'), data.subarray(0, 100)]));
    const id = crypto.randomUUID();
    store.captures.addPage({
      id,
      batchId,
      index,
      sha256,
      thumbSha256,
      mimeType: 'image/jpeg',
      widthPx: 1240,
      heightPx: 1754,
      dpi: 200,
      colourMode: 'color',
      deviceId: 'crash',
      capturedAt: new Date().toISOString(),
      source: 'adf',
      bytes: data.length,
    });
    say(`page ${id} ${sha256}`);
  }
  store.captures.endBatch(batchId, 'finished', new Date().toISOString(), null);
  store.workflow.createFromBatch(batchId, 'crash:capture');
}

async function step(store: Store): Promise<void> {
  const { workflow } = store;
  const roll = crypto.randomInt(100);
  if (roll < 30) return capture(store);
  if (roll < 42) {
    for (const work of store.ocr.listWaiting(3)) {
      const text = `${pick(words)} ${pick(words)}\n${pick(words)} số ${crypto.randomInt(999)}`;
      store.ocr.save(work.pageId, ocrResultOf(text), new Date().toISOString());
    }
    return;
  }
  if (roll < 46) {
    store.collectGarbage(0);
    return;
  }
  const documents = workflow.documents.list({ limit: 50, states: roll < 90 ? undefined : ['verified'] });
  const document = pick(documents);
  if (document === undefined) return;
  const id = document.id;
  switch (document.state) {
    case 'captured': {
      const pages = workflow.documents.pages(id);
      if (pages.length > 2 && crypto.randomInt(3) === 0) {
        workflow.split(id, pages[1 + crypto.randomInt(pages.length - 1)]!.id, 'crash:clerk');
      } else if (crypto.randomInt(4) === 0) {
        const other = pick(documents.filter((candidate) => candidate.state === 'captured' && candidate.id !== id));
        if (other !== undefined) workflow.merge(id, other.id, 'crash:clerk');
      } else if (crypto.randomInt(3) === 0) {
        workflow.reorderPages(id, pages.map((page) => page.id).reverse(), 'crash:clerk');
      } else {
        workflow.review(id, 'crash:clerk');
      }
      return;
    }
    case 'reviewed':
      workflow.signByOperator(id, 'crash:clerk');
      return;
    case 'operator-signed':
      workflow.updateMetadata(
        id,
        {
          documentNumber: `${crypto.randomInt(999)}/GCN-SKHCN`,
          issuedDate: '2021-09-22',
          summary: `${pick(words)} ${pick(words)}`,
        },
        'crash:clerk',
      );
      if (crypto.randomInt(6) === 0) workflow.setClassified(id, true, 'crash:clerk');
      workflow.extract(id, 'crash:clerk');
      return;
    case 'extracted':
      workflow.assignCode(id, 'crash:clerk', `051234567890.KQ.${id.slice(0, 8)}.01`);
      return;
    case 'coded': {
      const pdf = await store.files.put(crypto.randomBytes(2000));
      workflow.seal(id, 'crash:pdf', { pdfSha256: pdf });
      return;
    }
    case 'sealed':
      if (document.classified) workflow.setClassified(id, false, 'crash:clerk');
      else workflow.enqueue(id, 'crash:clerk');
      return;
    case 'queued':
      if (crypto.randomInt(5) === 0) workflow.setClassified(id, true, 'crash:clerk');
      else workflow.markDelivered(id, 'crash:sync', { recordId: `R-${id}` });
      return;
    case 'delivered':
      workflow.markVerified(id, 'crash:sync', document.pdfSha256 ?? '');
      return;
    case 'verified':
      if (document.purgedAt === null) workflow.purgeLocalCopy(id, 'crash:sync');
      return;
  }
}

async function main(): Promise<void> {
  say('ready');
  const lines = readline.createInterface({ input: process.stdin });
  let go = false;
  for await (const line of lines) {
    if (line.trim() === 'go') {
      go = true;
      break;
    }
  }
  if (!go) return; // stdin closed: the test is done with this child
  const store = openStore({ dataDir: dataDir!, clock: systemClock, settings: () => defaultSettings() });
  store.recover('crash:recovery');
  say('open');
  for (;;) {
    try {
      await step(store);
    } catch (error) {
      // A refusal of the workflow is expected when the dice pick a step that is not ready.
      if (!(error instanceof StationError)) throw error;
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

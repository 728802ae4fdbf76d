import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.js';
import { callEngine } from '../support/call.js';
import { openDemoEngine } from '../support/demo-engine.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

function openEngine(dataDir: string): Promise<Engine> {
  return openDemoEngine(dataDir, { separators: true });
}

function blankFlags(engine: Engine, documentId: string): boolean[] {
  return engine.store.workflow.documents.pages(documentId).map((page) => page.blank);
}

describe('blank separator sheets across a restart', () => {
  it('measures at the next start the pages a stop left unmeasured, and keeps what the clerk decided', async () => {
    const dataDir = tempDir('sohoa-blank-restart-');
    const first = await openEngine(dataDir);
    let documentId = '';
    let measured: boolean[] = [];
    try {
      await first.capture.start({ deviceId: 'demo', count: 8 });
      await first.capture.idle();
      await first.desk.idle();
      documentId = await firstDocument(first);
      measured = blankFlags(first, documentId);
      expect(measured.filter(Boolean).length).toBeGreaterThanOrEqual(3);

      // The store as a stop right after capture leaves it: no page measured yet, no flag set.
      first.store.db.prepare('UPDATE pages SET blank = 0, blank_checked = 0').run();
      // The clerk looked at one separator sheet first and said it is not blank.
      const kept = first.store.workflow.documents.pages(documentId)[measured.indexOf(true)]!;
      const answer = await callEngine(first, 'pages:set-blank', { pageId: kept.id, blank: false });
      expect(answer.ok).toBe(true);
    } finally {
      await first.close();
    }

    const second = await openEngine(dataDir);
    try {
      await second.desk.idle();
      const expected = [...measured];
      expected[measured.indexOf(true)] = false;
      expect(blankFlags(second, documentId)).toEqual(expected);
      // Every page counts as measured now: a third start measures nothing again.
      const unchecked = second.store.db.prepare('SELECT count(*) AS n FROM pages WHERE blank_checked = 0').get();
      expect(unchecked).toEqual({ n: 0 });
    } finally {
      await second.close();
    }
  }, 120_000);
});

async function firstDocument(engine: Engine): Promise<string> {
  const listed = await callEngine(engine, 'documents:list', {});
  if (!listed.ok || listed.value[0] === undefined) throw new Error('no document');
  return listed.value[0].id;
}

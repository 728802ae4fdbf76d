import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, createRotatingFileSink } from '../../../electron/engine/logging/logger.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

describe('logger', () => {
  it('writes structured lines with scope and fields, above the level only', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      sinks: [{ write: (line) => lines.push(line) }],
      now: () => new Date('2026-03-02T02:15:30Z'),
    });
    logger.debug('hidden');
    logger
      .child('capture')
      .child('sane')
      .warn('paper jam', { jobId: 'j1', error: new Error('jammed') });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      time: '2026-03-02T02:15:30.000Z',
      level: 'warn',
      scope: 'capture.sane',
      message: 'paper jam',
      jobId: 'j1',
      error: { name: 'Error', message: 'jammed' },
    });
  });

  it('rotates files past the size limit and keeps only maxFiles', () => {
    const dir = tempDir();
    const sink = createRotatingFileSink(dir, 1000, 3);
    for (let index = 0; index < 100; index += 1) sink.write(JSON.stringify({ index, pad: 'x'.repeat(80) }));
    expect(fs.readdirSync(dir).sort()).toEqual(['station.1.log', 'station.2.log', 'station.log']);
    for (const file of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, file)).size).toBeLessThanOrEqual(1000);
    const last = fs.readFileSync(path.join(dir, 'station.log'), 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(last).index).toBe(99);
  });
});

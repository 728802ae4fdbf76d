import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = path.resolve('scripts/test-summary.mjs');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes vitest JSON reports (only the counts the summary reads) and runs the summary on them. */
function summarise(reports: Record<string, Record<string, number>>): { code: number | null; lines: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-summary-'));
  dirs.push(dir);
  for (const [project, counts] of Object.entries(reports)) {
    const report = {
      numPassedTests: 0,
      numFailedTests: 0,
      numFailedTestSuites: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      ...counts,
    };
    fs.writeFileSync(path.join(dir, `vitest-${project}.json`), JSON.stringify(report));
  }
  const run = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
  return { code: run.status, lines: run.stdout.trim().split('\n') };
}

describe('the closing line of the test command', () => {
  it('counts a failed test once, not again for the suites around it', () => {
    const { code, lines } = summarise({
      unit: { numPassedTests: 10, numPendingTests: 1 },
      integration: { numPassedTests: 5, numFailedTests: 1, numFailedTestSuites: 2 },
    });
    expect(lines).toEqual([
      'integration: 5 passed, 1 failed, 0 skipped',
      'unit: 10 passed, 0 failed, 1 skipped',
      'tests: 15 passed, 1 failed, 1 skipped',
    ]);
    expect(code).toBe(1);
  });

  it('counts a file that could not load as a failure, and passes only when something passed', () => {
    expect(summarise({ e2e: { numPassedTests: 3, numFailedTestSuites: 1 } })).toEqual({
      code: 1,
      lines: ['e2e: 3 passed, 1 failed, 0 skipped', 'tests: 3 passed, 1 failed, 0 skipped'],
    });
    expect(summarise({ unit: { numPassedTests: 0 } }).code).toBe(1);
    expect(summarise({ unit: { numPassedTests: 2 } }).code).toBe(0);
  });
});

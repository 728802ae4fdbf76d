// Sums vitest's JSON reports into the one closing line CI reads: "tests: N passed, N failed, N skipped".
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? 'test-results';
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of fs.readdirSync(dir).filter((name) => /^vitest-.*\.json$/.test(name))) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  // A failed test fails its suites too; a suite counts on its own only when no test of it could run
  // (a file that does not load), so the closing line counts each failure once.
  const failures = report.numFailedTests > 0 ? report.numFailedTests : (report.numFailedTestSuites ?? 0);
  passed += report.numPassedTests;
  failed += failures;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(
    `${file.replace(/^vitest-|\.json$/g, '')}: ${report.numPassedTests} passed, ${failures} failed, ${report.numPendingTests} skipped`,
  );
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

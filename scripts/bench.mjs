// `npm run bench [NAME…]`: runs every bench/*.bench.ts (or those whose name contains NAME),
// one after another so they do not compete for the two cores, each printing its own table.
// Benchmarks are not tests: they measure and print; correctness is asserted by `npm test`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
const benches = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmark matches ${filters.join(' ')}`);
  process.exit(2);
}
spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit', cwd: root });
let failed = 0;
for (const file of benches) {
  console.log(
    `\n### ${file.replace(/\.bench\.ts$/, '')}  (${new Date().toISOString()}, ${process.platform}-${process.arch}, node ${process.version})`,
  );
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', file)], {
    stdio: 'inherit',
    cwd: root,
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);

// A station process for the delivery tests: builds the engine on a data folder and runs the
// outbox worker until nothing is left to deliver, printing one JSON line per second. The fault
// test starts it with `node --import tsx` and kills it with SIGKILL along the way.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../../../electron/engine/engine.js';
import { createLogger, createRotatingFileSink } from '../../../electron/engine/logging/logger.js';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, config: { type: 'string' } },
});
const dataDir = path.resolve(values['data-dir'] ?? '.');
const engine = await createEngine({
  dataDir,
  resourcesDir: path.resolve(import.meta.dirname, '..', '..', '..', 'resources'),
  transport: 'direct',
  configFile: values.config,
  policyFile: null,
  logger: createLogger({ level: 'info', sinks: [createRotatingFileSink(path.join(dataDir, 'logs'), 20_000_000, 3)] }),
});
engine.sync.start();
for (let tick = 0; ; tick += 1) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  const { counts } = engine.sync.status();
  const left = counts.queued + counts.token + counts.uploading + counts.registering + counts.verifying + counts.waiting;
  if (tick % 10 === 0 || left === 0) process.stdout.write(`${JSON.stringify({ pid: process.pid, counts })}\n`);
  if (left === 0) {
    await engine.close();
    process.exit(counts.failed > 0 ? 2 : 0);
  }
}

import type { WorkflowState } from '../../../../shared/domain.js';
import { WorkflowState as WorkflowStateSchema } from '../../../../shared/domain.js';
import type { CliCommand } from '../command.js';
import { UsageError, call, integerOption, print } from '../command.js';

function parseStates(value: unknown): WorkflowState[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError('--state takes a comma-separated list of states');
  const states = value
    .split(',')
    .map((state) => state.trim())
    .filter((state) => state !== '');
  for (const state of states) {
    if (!WorkflowStateSchema.safeParse(state).success) {
      throw new UsageError(
        `--state must be among ${WorkflowStateSchema.options.join(', ')}, not ${JSON.stringify(state)}`,
      );
    }
  }
  return states as WorkflowState[];
}

export const queueCommand: CliCommand = {
  name: 'queue',
  usage: 'queue [--state S[,S…]] [--limit N]',
  summary: 'documents with their workflow and delivery state, longest waiting first',
  options: { state: { type: 'string' }, limit: { type: 'string' } },
  async run(context) {
    const states = parseStates(context.values.state);
    const limit = integerOption(context.values.limit, 'limit', 1, 1000);
    const items = await call(context.engine, 'queue:list', {
      ...(states === undefined ? {} : { states }),
      ...(limit === undefined ? {} : { limit }),
    });
    const rows = items.map((item) => [
      item.id.slice(0, 8),
      item.state,
      item.blocked ?? item.delivery?.state ?? '-',
      String(item.pageCount),
      item.documentNumber ?? '',
      item.stateChangedAt.replace('T', ' ').slice(0, 19),
    ]);
    const header = ['document', 'workflow', 'delivery', 'pages', 'number', 'since'];
    const widths = header.map((title, column) =>
      Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
    );
    const line = (cells: string[]): string =>
      cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd();
    const human = items.length === 0 ? 'No document in the queue.' : [line(header), ...rows.map(line)].join('\n');
    print(context, { ok: true, items }, human);
    return 0;
  },
};

import fs from 'node:fs';
import type { OutboxItem } from '../../../../shared/domain.js';
import type { SyncSummary } from '../../sync/outbox-worker.js';
import type { CliCommand, CommandContext } from '../command.js';
import { UsageError, print } from '../command.js';

function readSecret(source: string): string {
  let text: string;
  try {
    text = fs.readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (error) {
    throw new UsageError(`--secret-file: cannot read ${source}: ${(error as Error).message}`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '' || secret.includes('\n')) throw new UsageError('--secret-file must hold the secret on one line');
  return secret;
}

function describeItem(item: OutboxItem): string {
  const error = item.lastError === null ? '' : `  ${item.lastError.code}: ${item.lastError.message}`;
  const next = item.state === 'waiting' && item.nextAttemptAt !== null ? `  next ${item.nextAttemptAt}` : '';
  return `  ${item.documentId}  ${item.state} (${item.step})  attempts ${item.attempts}${next}${error}`;
}

function summaryText(summary: SyncSummary, unfinished: OutboxItem[]): string {
  const lines = [
    `Verified in the warehouse this run: ${summary.verified} (attempted ${summary.attempted})`,
    `Still to deliver: ${summary.remaining}; failed (need a person): ${summary.failed}; blocked ("mật" or withdrawn): ${summary.blocked}`,
  ];
  if (summary.stoppedBy !== null) lines.push(`Stopped early: ${summary.stoppedBy.message} (${summary.stoppedBy.code})`);
  if (unfinished.length > 0) lines.push('Not delivered:', ...unfinished.slice(0, 50).map(describeItem));
  if (unfinished.length > 50) lines.push(`  … and ${unfinished.length - 50} more (sohoa sync --status --json)`);
  return lines.join('\n');
}

function unfinishedItems(context: CommandContext): OutboxItem[] {
  return context.engine.sync.list({
    states: ['queued', 'token', 'uploading', 'registering', 'verifying', 'waiting', 'failed'],
    limit: 5000,
  });
}

export const syncCommand: CliCommand = {
  name: 'sync',
  usage: 'sync [--once] [--status] [--pause|--resume] [--secret-file FILE|-]',
  summary: 'deliver queued results to the warehouse (until stopped, or one pass with --once)',
  options: {
    once: { type: 'boolean' },
    status: { type: 'boolean' },
    pause: { type: 'boolean' },
    resume: { type: 'boolean' },
    'secret-file': { type: 'string' },
  },
  async run(context) {
    const { engine, io, json, values } = context;
    const { sync } = engine;
    const secretFile = values['secret-file'] as string | undefined;
    if (secretFile !== undefined) {
      await sync.setSecret(readSecret(secretFile));
      print(context, { ok: true, stored: true }, 'The warehouse client secret is stored for this station.');
      return 0;
    }
    if (values.pause === true && values.resume === true)
      throw new UsageError('--pause and --resume exclude each other');
    if (values.pause === true || values.resume === true) {
      const status = values.pause === true ? sync.pause() : sync.resume();
      print(context, { ok: true, status }, status.paused ? 'Delivery is paused.' : 'Delivery resumed.');
      return 0;
    }
    if (values.status === true) {
      const status = sync.status();
      const items = sync.list({ limit: 5000 });
      const counts = Object.entries(status.counts)
        .filter(([, count]) => count > 0)
        .map(([state, count]) => `${state} ${count}`)
        .join(', ');
      print(
        context,
        { ok: true, status, items },
        [
          `Warehouse ${status.configured ? 'configured' : 'NOT configured'}; ${status.paused ? 'paused' : 'not paused'}; ${status.inSendWindow ? 'inside' : 'outside'} the send window`,
          `Outbox: ${counts === '' ? 'empty' : counts}`,
          ...items.filter((item) => item.state !== 'verified').map(describeItem),
        ].join('\n'),
      );
      return 0;
    }

    if (values.once === true) {
      const controller = new AbortController();
      void io.untilStopped().then(() => controller.abort());
      const summary = await sync.runOnce(controller.signal);
      const unfinished = unfinishedItems(context);
      const done = summary.remaining === 0 && summary.failed === 0;
      if (json) io.stdout.write(`${JSON.stringify({ ok: done, ...summary, unfinished })}\n`);
      else (done ? io.stdout : io.stderr).write(`${summaryText(summary, unfinished)}\n`);
      return done ? 0 : 1;
    }

    const stop = engine.events.onAny((name, payload) => {
      if (json || name !== 'sync:item-changed') return;
      const item = payload as OutboxItem;
      if (item.state === 'verified' || item.state === 'failed' || item.state === 'blocked') {
        io.stderr.write(`${describeItem(item).trim()}\n`);
      }
    });
    if (!json) io.stderr.write('Delivering to the warehouse; Ctrl+C stops (unfinished uploads resume next time).\n');
    sync.start();
    await io.untilStopped();
    await sync.stop();
    stop();
    const status = sync.status();
    print(context, { ok: true, status }, `Stopped. Outbox: ${JSON.stringify(status.counts)}`);
    return 0;
  },
};

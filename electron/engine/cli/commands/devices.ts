import type { CliCommand } from '../command.js';
import { call, print } from '../command.js';

export const devicesCommand: CliCommand = {
  name: 'devices',
  usage: 'devices',
  summary: 'list the scanners every driver sees',
  async run(context) {
    const devices = await call(context.engine, 'devices:list', {});
    const lines = devices.map(
      (device) =>
        `${device.id}\t${device.kind}\t${device.name}\t${device.sources.join(',')}\t${device.resolutions.join(',')} dpi${device.allowed ? '' : '\t(not allowed by policy)'}`,
    );
    print(context, { ok: true, devices }, lines.length === 0 ? 'No scanner found.' : lines.join('\n'));
    return 0;
  },
};

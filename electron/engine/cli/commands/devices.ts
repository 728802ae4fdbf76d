import type { CliCommand } from '../command.js';
import { call, print } from '../command.js';

export const devicesCommand: CliCommand = {
  name: 'devices',
  usage: 'devices',
  summary: 'list the scanners every driver sees, and the scan profiles',
  async run(context) {
    const devices = await call(context.engine, 'devices:list', {});
    const profiles = await call(context.engine, 'profiles:list', {});
    const lines = devices.map(
      (device) =>
        `${device.id}\t${device.kind}\t${device.name}\t${device.sources.join(',')}\t${device.resolutions.join(',')} dpi\t${device.colourModes.join(',')}${device.maxAreaMm === undefined ? '' : `\t≤ ${device.maxAreaMm.width}×${device.maxAreaMm.height} mm`}${device.allowed ? '' : '\t(not allowed by policy)'}`,
    );
    const profileLines = profiles.map(
      (profile) =>
        `  ${profile.name}${profile.isDefault ? ' (default)' : ''}\t${profile.label}\t${profile.source}${profile.duplex ? ', both sides' : ''}, ${profile.dpi} dpi, ${profile.colourMode}, ${profile.pageSize}, blank pages: ${profile.blankPages}${profile.locked ? '\t(locked by policy)' : ''}`,
    );
    print(
      context,
      { ok: true, devices, profiles },
      `${lines.length === 0 ? 'No scanner found.' : lines.join('\n')}\n\nScan profiles (--profile NAME):\n${profileLines.join('\n')}`,
    );
    return 0;
  },
};

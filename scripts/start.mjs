// `npm start`: the Electron app where its binary is installed; otherwise browser mode,
// which starts the same engine and serves the UI on 127.0.0.1 (see docs/bridge-protocol.md).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const passThrough = process.argv.slice(2);

function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const binary = process.env.SOHOA_BROWSER_MODE === '1' ? undefined : electronBinary();
const child = binary
  ? spawn(binary, [root, ...passThrough], { stdio: 'inherit' })
  : (() => {
      console.log(
        process.env.SOHOA_BROWSER_MODE === '1'
          ? 'SOHOA_BROWSER_MODE=1: starting in browser mode.'
          : 'No Electron binary is installed here (it cannot be downloaded on this machine), so the station starts in browser mode:\nthe same engine, with the UI served on 127.0.0.1. Open the address below in Chromium.',
      );
      return spawn(process.execPath, [path.join(root, 'bin', 'sohoa.cjs'), ...passThrough, 'serve'], { stdio: 'inherit' });
    })();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

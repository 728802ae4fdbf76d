// `npm start`: the Electron app where its binary is installed; otherwise browser mode,
// which starts the same engine and serves the UI on 127.0.0.1 (see docs/bridge-protocol.md).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const passThrough = process.argv.slice(2);
const forced = process.env.SOHOA_BROWSER_MODE === '1';
const binary = forced ? undefined : findElectronBinary();

let child;
if (binary !== undefined) {
  child = spawn(binary, [path.join(root, 'dist', 'main', 'main.cjs'), ...passThrough], { stdio: 'inherit' });
} else {
  console.log(
    forced
      ? 'SOHOA_BROWSER_MODE=1: starting in browser mode.'
      : 'No Electron binary is installed here (it cannot be downloaded on this machine), so the station starts in browser mode:\nthe same engine, with the UI served on 127.0.0.1. Open the address below in Chromium.',
  );
  child = spawn(process.execPath, [path.join(root, 'bin', 'sohoa.cjs'), ...passThrough, 'serve'], { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

#!/usr/bin/env node
'use strict';
// The `sohoa` command: runs the bundled CLI (build it with `npm run build`).
const path = require('node:path');
const fs = require('node:fs');

const appRoot = path.resolve(__dirname, '..');
const bundle = path.join(appRoot, 'dist', 'cli', 'sohoa.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('sohoa: the station is not built yet; run `npm run build` first.\n');
  process.exit(2);
}
require(bundle).main(appRoot);

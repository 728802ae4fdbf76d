import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appIndexUrl,
  appOrigin,
  contentTypeOf,
  createAppProtocolHandler,
  resolveAppFile,
} from '../../../electron/main/app-protocol.js';
import { contentSecurityPolicy } from '../../../electron/main/security.js';

let root: string;
let outside: string;

beforeAll(() => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-protocol-'));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'ocr'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Trạm Số hóa</title>');
  fs.writeFileSync(path.join(root, 'ocr', 'vie.traineddata.gz'), Buffer.from([0x1f, 0x8b, 8, 0]));
  fs.writeFileSync(path.join(root, 'ocr', 'core.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  outside = path.join(base, 'secret.txt');
  fs.writeFileSync(outside, 'not for the page');
});

afterAll(() => {
  fs.rmSync(path.dirname(root), { recursive: true, force: true });
});

describe('resolveAppFile', () => {
  it('maps app://station paths into the renderer folder, / to index.html', () => {
    expect(resolveAppFile(appIndexUrl, root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(`${appOrigin}/`, root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(`${appOrigin}/ocr/vie.traineddata.gz?v=1#x`, root)).toBe(
      path.join(root, 'ocr', 'vie.traineddata.gz'),
    );
  });

  it('refuses paths that climb out of the folder, however they are spelled', () => {
    for (const url of [
      `${appOrigin}/../secret.txt`,
      `${appOrigin}/%2e%2e/secret.txt`,
      `${appOrigin}/ocr/%2E%2E/%2E%2E/secret.txt`,
      `${appOrigin}/..%2fsecret.txt`,
      `${appOrigin}/..%5csecret.txt`,
      `${appOrigin}/index.html%00.png`,
      `${appOrigin}/%E0%A4%A`,
    ]) {
      const file = resolveAppFile(url, root);
      expect(file === null || file.startsWith(root + path.sep), url).toBe(true);
    }
    expect(resolveAppFile(`${appOrigin}/..%5csecret.txt`, root)).toBeNull();
  });

  it('refuses other hosts and schemes', () => {
    expect(resolveAppFile('app://other/index.html', root)).toBeNull();
    expect(resolveAppFile('file:///index.html', root)).toBeNull();
    expect(resolveAppFile('garbage', root)).toBeNull();
  });
});

describe('createAppProtocolHandler', () => {
  const handler = () => createAppProtocolHandler({ rootDir: root });

  it('serves the page with the CSP and its content type', async () => {
    const response = await handler()(new Request(appIndexUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('Trạm Số hóa');
  });

  it('serves OCR data and WebAssembly as bytes fetch can stream', async () => {
    const data = await handler()(new Request(`${appOrigin}/ocr/vie.traineddata.gz`));
    expect(data.status).toBe(200);
    expect(new Uint8Array(await data.arrayBuffer())).toEqual(new Uint8Array([0x1f, 0x8b, 8, 0]));
    const wasm = await handler()(new Request(`${appOrigin}/ocr/core.wasm`));
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
  });

  it('answers 404 for a missing file or one outside the folder, 405 for writes', async () => {
    expect((await handler()(new Request(`${appOrigin}/nope.js`))).status).toBe(404);
    const escaped = await handler()(new Request(`${appOrigin}/%2e%2e/secret.txt`));
    expect(escaped.status).toBe(404);
    expect(await escaped.text()).not.toContain('not for the page');
    expect((await handler()(new Request(appIndexUrl, { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('names content types by extension', () => {
    expect(contentTypeOf('a/b.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('a/b.unknown')).toBe('application/octet-stream');
  });
});

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/built-cli.js';
import { useTempDirs } from '../support/temp-dir.js';
import { startReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import type { ReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';

/** The reference warehouse answers the protocol of docs/warehouse-protocol.md, checked here over plain HTTP. */
describe('reference warehouse (development and test infrastructure)', () => {
  let warehouse: ReferenceWarehouse;
  let dataDir: string;
  let token: string;

  async function requestToken(secret: string): Promise<Response> {
    const discovery = (await (await fetch(`${warehouse.url}/.well-known/openid-configuration`)).json()) as {
      token_endpoint: string;
      grant_types_supported: string[];
    };
    expect(discovery.grant_types_supported).toContain('client_credentials');
    return fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${warehouse.client.id}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=records',
    });
  }

  const auth = (): Record<string, string> => ({ Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' });

  async function upload(data: Buffer, complete = true): Promise<string> {
    const created = await fetch(`${warehouse.url}/files/`, {
      method: 'POST',
      headers: { ...auth(), 'Upload-Length': String(data.length) },
    });
    expect(created.status).toBe(201);
    const location = new URL(created.headers.get('location') ?? '', warehouse.url).toString();
    const body = complete ? data : data.subarray(0, data.length - 10);
    const patched = await fetch(location, {
      method: 'PATCH',
      headers: { ...auth(), 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(body),
    });
    expect(patched.status).toBe(204);
    expect(patched.headers.get('upload-offset')).toBe(String(body.length));
    return location;
  }

  function record(documentId: string, data: Buffer, upload: string): Record<string, unknown> {
    return {
      documentId,
      stationId: 'st-1',
      agencyId: '000.00.17.H48',
      documentNumber: '5/QĐ-UBND',
      issuedDate: '2024-05-06',
      kind: 1,
      status: 'valid',
      pages: 1,
      bytes: data.length,
      sha256: crypto.createHash('sha256').update(data).digest('hex'),
      fileName: `${documentId}.pdf`,
      mimeType: 'application/pdf',
      summary: 'Quyết định',
      upload,
    };
  }

  function register(body: Record<string, unknown>, key = String(body.documentId)): Promise<Response> {
    return fetch(`${warehouse.url}/api/v1/records`, {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(body),
    });
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-warehouse-'));
    warehouse = await startReferenceWarehouse({ dataDir });
    token = ((await (await requestToken(warehouse.client.secret)).json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await warehouse.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('issues a JWT access token for the right secret only', async () => {
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ iss: warehouse.url, aud: `${warehouse.url}/api/v1`, scope: 'records' });
    const refused = await requestToken('wrong');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses the API and uploads without a valid bearer token, but answers the health probe', async () => {
    expect((await fetch(`${warehouse.url}/api/v1/health`)).status).toBe(200);
    const anonymous = await fetch(`${warehouse.url}/api/v1/records`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    const forged = await fetch(`${warehouse.url}/files/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token.slice(0, -4)}AAAA`, 'Tus-Resumable': '1.0.0', 'Upload-Length': '1' },
    });
    expect(forged.status).toBe(401);
  });

  it('registers once: 201, then 200 with the same record, 409 for another file under the same id', async () => {
    const data = crypto.randomBytes(3000);
    const location = await upload(data);
    const first = await register(record('doc-a', data, location));
    expect(first.status).toBe(201);
    const created = (await first.json()) as { id: string; sha256: string };
    expect(created.sha256).toBe(crypto.createHash('sha256').update(data).digest('hex'));
    const again = await register(record('doc-a', data, location));
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(created.id);
    const other = crypto.randomBytes(3000);
    const conflict = await register(record('doc-a', other, await upload(other)));
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: 'conflict' });

    const read = await fetch(`${warehouse.url}/api/v1/records/doc-a`, { headers: auth() });
    expect(await read.json()).toMatchObject({ id: created.id, documentId: 'doc-a', sha256: created.sha256 });
    const list = (await (await fetch(`${warehouse.url}/api/v1/records`, { headers: auth() })).json()) as {
      records: { documentId: string; sha256: string }[];
    };
    expect(list.records).toEqual([expect.objectContaining({ documentId: 'doc-a', sha256: created.sha256 })]);
  });

  it('computes the SHA-256 itself and refuses a record that does not match its upload', async () => {
    const data = crypto.randomBytes(2000);
    const location = await upload(data);
    const lying = await register({ ...record('doc-b', data, location), sha256: 'f'.repeat(64) });
    expect(lying.status).toBe(422);
    expect(await lying.json()).toMatchObject({ error: 'sha256_mismatch' });
    const partial = await register(record('doc-c', data, await upload(data, false)));
    expect(partial.status).toBe(409);
    expect(await partial.json()).toMatchObject({ error: 'upload_incomplete' });
    const nowhere = await register(record('doc-d', data, `${warehouse.url}/files/doesnotexist`));
    expect(nowhere.status).toBe(422);
    expect(await nowhere.json()).toMatchObject({ error: 'upload_not_found' });
  });

  it('refuses an invalid or non-NFC record, and a key that is not the document id', async () => {
    const data = crypto.randomBytes(1000);
    const location = await upload(data);
    const invalid = await register({ ...record('doc-e', data, location), issuedDate: '06/05/2024' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: 'invalid_record', fields: [{ path: 'issuedDate' }] });
    const nfd = await register({ ...record('doc-e', data, location), summary: 'Quyết định'.normalize('NFD') });
    expect(nfd.status).toBe(400);
    expect(await nfd.json()).toMatchObject({ error: 'invalid_record', message: expect.stringMatching(/NFC/) });
    const keyed = await register(record('doc-e', data, location), 'another');
    expect(keyed.status).toBe(400);
    expect(await keyed.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('npm run warehouse', () => {
  const tempDir = useTempDirs();

  it('starts on 127.0.0.1, prints its address and a test client, and keeps them across restarts', async () => {
    const data = tempDir('sohoa-warehouse-');
    const start = (): Promise<{ stop: () => Promise<void>; text: string }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['scripts/warehouse.mjs', '--port', '0', '--data', data], {
          cwd: repoRoot,
        });
        let text = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('Ctrl+C stops it.')) {
            resolve({
              text,
              stop: () =>
                new Promise<void>((done) => {
                  child.on('exit', () => done());
                  child.kill('SIGTERM');
                }),
            });
          }
        });
        child.on('exit', (code) => reject(new Error(`warehouse exited early with ${String(code)}: ${text}`)));
      });
    const first = await start();
    expect(first.text).toMatch(/Reference warehouse \(development and tests only\) at http:\/\/127\.0\.0\.1:\d+/);
    const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(first.text)?.[1] ?? '';
    const secret = /client secret\s+(\S+)/.exec(first.text)?.[1] ?? '';
    expect(first.text).toContain('warehouse.clientId      test-station');
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    await first.stop();
    const second = await start();
    expect(second.text).toContain(`client secret           ${secret}`);
    await second.stop();
  });
});

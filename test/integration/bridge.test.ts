import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Bridge } from '../../electron/engine/bridge/bridge-server.js';
import { startBridge } from '../../electron/engine/bridge/bridge-server.js';
import type { Engine } from '../../electron/engine/engine.js';
import { createEngine } from '../../electron/engine/engine.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';
import fs from 'node:fs';

interface Reply {
  status: number;
  body: string;
}

/** A raw HTTP request, so the test controls Host and Origin exactly as a hostile page or a foreign host would send them. */
function request(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string; host?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.host ?? '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path,
        headers: { 'Content-Type': 'application/json', ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body ?? '{}');
  });
}

function openSocket(url: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

const scanStory = ['scan:started', 'scan:page-captured', 'scan:finished', 'scan:failed'];

describe('browser bridge', () => {
  let engine: Engine;
  let bridge: Bridge;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bridge-'));
    engine = await createEngine({
      dataDir,
      resourcesDir: 'resources',
      transport: 'bridge',
      policyFile: null,
      logger: createSilentLogger(),
    });
    bridge = await startBridge({
      dispatcher: engine.dispatcher,
      events: engine.events,
      logger: createSilentLogger(),
      rendererDir: undefined,
      port: 0,
    });
  });
  afterAll(async () => {
    await bridge.close();
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const auth = () => ({ Authorization: `Bearer ${bridge.token}` });

  it('answers a call with the token and its own Origin', async () => {
    const reply = await request(bridge.port, { path: '/api/app:info', headers: { ...auth(), Origin: bridge.origin } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { name: 'SoHoa Station', transport: 'bridge' } });
  });

  it('refuses a call without the token or with a wrong one', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: bridge.token }] as Record<
      string,
      string
    >[]) {
      const reply = await request(bridge.port, { path: '/api/devices:list', headers });
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'bridge/unauthorized' } });
    }
  });

  it('refuses a foreign Origin even with the token', async () => {
    const reply = await request(bridge.port, {
      path: '/api/devices:list',
      headers: { ...auth(), Origin: 'http://evil.example' },
    });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'bridge/forbidden-origin' } });
  });

  it('refuses a foreign Host (DNS rebinding)', async () => {
    const reply = await request(bridge.port, {
      path: '/api/devices:list',
      headers: { ...auth(), Host: `evil.example:${bridge.port}` },
    });
    expect(reply.status).toBe(403);
  });

  it('validates arguments exactly as IPC does', async () => {
    const reply = await request(bridge.port, {
      path: '/api/scan:start',
      headers: auth(),
      body: JSON.stringify({ deviceId: 'demo', count: 0 }),
    });
    expect(JSON.parse(reply.body)).toMatchObject({
      ok: false,
      error: { code: 'ipc/invalid-args', fields: [{ path: 'count' }] },
    });
    const unknown = await request(bridge.port, { path: '/api/files:delete', headers: auth() });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'ipc/unknown-call' } });
  });

  it('listens on loopback only', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal);
    expect(bridge.origin).toBe(`http://127.0.0.1:${bridge.port}`);
    if (external === undefined) return;
    await expect(
      request(bridge.port, { path: '/api/app:info', headers: auth(), host: external.address }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses an event socket without the token or from a foreign Origin', async () => {
    const base = `ws://127.0.0.1:${bridge.port}/events`;
    await expect(openSocket(base, bridge.origin)).rejects.toThrow(/403/);
    await expect(openSocket(`${base}?token=${bridge.token}`, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(openSocket(`${base}?token=${bridge.token}`, undefined)).rejects.toThrow(/403/);
  });

  it('streams each page of a demo scan as an event, in order', async () => {
    const socket = await openSocket(`ws://127.0.0.1:${bridge.port}/events?token=${bridge.token}`, bridge.origin);
    const received: { event: string; payload: { page?: { index: number } } }[] = [];
    const finished = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as (typeof received)[number];
        received.push(message);
        if (message.event === 'scan:finished' || message.event === 'scan:failed') resolve();
      });
    });
    const reply = await request(bridge.port, {
      path: '/api/scan:start',
      headers: auth(),
      body: JSON.stringify({ deviceId: 'demo', count: 3 }),
    });
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true });
    await finished;
    socket.close();
    // Other domains (progress, OCR) may interleave; the scan's own story must be whole and ordered.
    const story = received.filter((message) => scanStory.includes(message.event));
    expect(
      story.map((message) => message.event),
      JSON.stringify(story.at(-1)),
    ).toEqual(['scan:started', 'scan:page-captured', 'scan:page-captured', 'scan:page-captured', 'scan:finished']);
    expect(received.filter((m) => m.event === 'scan:page-captured').map((m) => m.payload.page?.index)).toEqual([
      0, 1, 2,
    ]);
  });
});

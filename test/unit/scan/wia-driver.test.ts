import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ScannedPage, ScanRequest } from '../../../electron/engine/scan/scan-driver.js';
import { WiaScanDriver, parseWiaLine, wiaErrorCode } from '../../../electron/engine/scan/wia-driver.js';
import { useTempDirs } from '../../support/temp-dir.js';

// PowerShell and WIA cannot run here; a fake process plays the part of resources/wia/wia-scan.ps1,
// speaking exactly its output format, so what is tested is the invocation and the parsing.

const tempDir = useTempDirs();

interface FakeRun {
  command: string;
  args: string[];
  child: ChildProcess & { stdout: PassThrough; stderr: PassThrough };
  killed: boolean;
  /** Writes one JSON line as the script would (`ConvertTo-Json -Compress`, CRLF on Windows). */
  say(message: object): void;
  exit(code: number): void;
}

function fakeSpawn(play: (run: FakeRun) => void | Promise<void>): {
  spawn: (command: string, args: string[]) => ChildProcess;
  runs: FakeRun[];
} {
  const runs: FakeRun[] = [];
  const spawn = (command: string, args: string[]): ChildProcess => {
    const child = new EventEmitter() as FakeRun['child'];
    Object.assign(child, { stdout: new PassThrough(), stderr: new PassThrough() });
    const run: FakeRun = {
      command,
      args,
      child,
      killed: false,
      say: (message) => child.stdout.write(`${JSON.stringify(message)}\r\n`),
      exit: (code) => {
        child.stdout.end();
        child.stderr.end();
        setImmediate(() => child.emit('close', code, null));
      },
    };
    child.kill = () => {
      run.killed = true;
      run.exit(1);
      return true;
    };
    runs.push(run);
    setImmediate(() => void play(run));
    return child;
  };
  return { spawn, runs };
}

function argument(run: FakeRun, name: string): string {
  const at = run.args.indexOf(name);
  if (at < 0) throw new Error(`no ${name} in ${run.args.join(' ')}`);
  return run.args[at + 1] ?? '';
}

async function writePage(folder: string, number: number): Promise<string> {
  const file = path.join(folder, `page-${String(number).padStart(4, '0')}.jpg`);
  const image = await sharp({ create: { width: 248, height: 351, channels: 3, background: '#ffffff' } })
    .jpeg()
    .toBuffer();
  fs.writeFileSync(file, image);
  return file;
}

function request(overrides: Partial<ScanRequest> = {}): ScanRequest {
  return {
    deviceId: 'wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001',
    source: 'adf-duplex',
    dpi: 300,
    colourMode: 'color',
    pageSize: 'a4',
    maxPages: undefined,
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function collect(pages: AsyncIterable<ScannedPage>): Promise<{ pages: ScannedPage[]; error: unknown }> {
  const seen: ScannedPage[] = [];
  try {
    for await (const page of pages) seen.push(page);
    return { pages: seen, error: undefined };
  } catch (error) {
    return { pages: seen, error };
  }
}

describe('WIA driver (PowerShell script faked)', () => {
  it('parses the lines the script prints, tolerating PowerShell one-element arrays', () => {
    expect(
      parseWiaLine(
        '{"type":"device","id":"{6BDD}\\\\0001","name":"Canon DR-C225","sources":"adf","resolutions":[150,300,600],"colourModes":["color","gray"],"maxWidthMm":216,"maxHeightMm":356}',
      ),
    ).toEqual({
      type: 'device',
      id: '{6BDD}\\0001',
      name: 'Canon DR-C225',
      sources: ['adf'],
      resolutions: [150, 300, 600],
      colourModes: ['color', 'gray'],
      maxWidthMm: 216,
      maxHeightMm: 356,
    });
    expect(
      parseWiaLine('{"type":"page","index":0,"path":"C:\\\\t\\\\page-0001.jpg","width":2480,"height":3508,"dpi":300}'),
    ).toEqual({
      type: 'page',
      index: 0,
      path: 'C:\\t\\page-0001.jpg',
      width: 2480,
      height: 3508,
      dpi: 300,
    });
    expect(parseWiaLine('{"type":"error","code":"paper-jam","hresult":"0x80210002","message":"jam"}')).toMatchObject({
      type: 'error',
      code: 'paper-jam',
    });
    expect(parseWiaLine('WARNING: something PowerShell printed')).toBeUndefined();
    expect(parseWiaLine('{"type":"page"}')).toBeUndefined();
    expect(parseWiaLine('{not json')).toBeUndefined();
    expect(wiaErrorCode('cover-open')).toBe('scan/cover-open');
    expect(wiaErrorCode('something-new')).toBe('scan/io');
  });

  it('lists devices from the script with the arguments of a listing', async () => {
    const fake = fakeSpawn((run) => {
      run.say({
        type: 'device',
        id: '{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001',
        name: 'Fujitsu fi-7160',
        sources: ['flatbed', 'adf', 'adf-duplex'],
        resolutions: [200, 300, 600],
        colourModes: ['color', 'gray', 'lineart'],
        maxWidthMm: 215.9,
        maxHeightMm: 355.6,
      });
      run.say({ type: 'warning', id: 'x', message: 'a camera' });
      run.say({ type: 'done', pages: 0 });
      run.exit(0);
    });
    const driver = new WiaScanDriver({
      script: 'C:\\SoHoa\\resources\\wia\\wia-scan.ps1',
      workDir: tempDir(),
      spawn: fake.spawn,
    });
    const devices = await driver.listDevices();
    expect(fake.runs[0]?.command).toBe('powershell.exe');
    expect(fake.runs[0]?.args).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-File',
      'C:\\SoHoa\\resources\\wia\\wia-scan.ps1',
      '-Action',
      'list',
    ]);
    expect(devices).toEqual([
      {
        id: 'wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001',
        kind: 'wia',
        name: 'Fujitsu fi-7160',
        sources: ['flatbed', 'adf', 'adf-duplex'],
        resolutions: [200, 300, 600],
        colourModes: ['color', 'gray', 'lineart'],
        maxAreaMm: { width: 215.9, height: 355.6 },
        pageSizes: ['auto', 'a5', 'a4', 'letter', 'legal'],
      },
    ]);
  });

  it('starts a duplex feeder scan with the right arguments and hands on each page as its line arrives', async () => {
    const seenBeforeExit: number[] = [];
    let delivered = 0;
    const fake = fakeSpawn(async (run) => {
      const folder = argument(run, '-OutDir');
      for (let index = 0; index < 3; index += 1) {
        const file = await writePage(folder, index + 1);
        run.say({ type: 'page', index, path: file, width: 248, height: 351, dpi: 300 });
        // The consumer has the page before the script goes on: streaming, not batching.
        await new Promise((resolve) => setTimeout(resolve, 30));
        seenBeforeExit.push(delivered);
      }
      run.say({ type: 'done', pages: 3 });
      run.exit(0);
    });
    const workDir = tempDir();
    const driver = new WiaScanDriver({ script: 'wia-scan.ps1', workDir, spawn: fake.spawn, powershell: 'pwsh' });
    const pages: ScannedPage[] = [];
    for await (const page of driver.scan(request())) {
      pages.push(page);
      delivered += 1;
    }
    const run = fake.runs[0]!;
    expect(run.command).toBe('pwsh');
    expect(argument(run, '-Action')).toBe('scan');
    expect(argument(run, '-DeviceId')).toBe('{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001');
    expect(argument(run, '-Source')).toBe('duplex');
    expect(argument(run, '-Dpi')).toBe('300');
    expect(argument(run, '-Colour')).toBe('color');
    expect(argument(run, '-WidthMm')).toBe('210');
    expect(argument(run, '-HeightMm')).toBe('297');
    expect(argument(run, '-MaxPages')).toBe('0');
    expect(pages.map((page) => [page.mimeType, page.widthPx, page.heightPx, page.dpi])).toEqual([
      ['image/jpeg', 248, 351, 300],
      ['image/jpeg', 248, 351, 300],
      ['image/jpeg', 248, 351, 300],
    ]);
    expect(seenBeforeExit).toEqual([1, 2, 3]);
    // The temporary folder is gone.
    expect(fs.readdirSync(workDir)).toEqual([]);
  });

  it.each([
    ['paper-jam', 'scan/paper-jam'],
    ['cover-open', 'scan/cover-open'],
    ['busy', 'scan/busy'],
    ['offline', 'scan/offline'],
  ])('maps the script error %s to %s, keeping the pages before it', async (code, expected) => {
    const fake = fakeSpawn(async (run) => {
      const file = await writePage(argument(run, '-OutDir'), 1);
      run.say({ type: 'page', index: 0, path: file, width: 248, height: 351, dpi: 300 });
      run.say({ type: 'error', code, hresult: '0x80210002', message: 'from WIA' });
      run.exit(1);
    });
    const driver = new WiaScanDriver({ script: 'wia-scan.ps1', workDir: tempDir(), spawn: fake.spawn });
    const result = await collect(driver.scan(request({ source: 'adf' })));
    expect(argument(fake.runs[0]!, '-Source')).toBe('feeder');
    expect(result.pages).toHaveLength(1);
    expect(result.error).toMatchObject({ code: expected });
  });

  it('treats an empty feeder as no-paper only when nothing was scanned', async () => {
    const empty = fakeSpawn((run) => {
      run.say({ type: 'error', code: 'no-paper', hresult: '0x80210003', message: 'empty' });
      run.exit(1);
    });
    const driver = new WiaScanDriver({ script: 'wia-scan.ps1', workDir: tempDir(), spawn: empty.spawn });
    expect((await collect(driver.scan(request()))).error).toMatchObject({ code: 'scan/no-paper' });
  });

  it('stops the script when cancelled and keeps the pages already reported', async () => {
    const controller = new AbortController();
    const fake = fakeSpawn(async (run) => {
      const file = await writePage(argument(run, '-OutDir'), 1);
      run.say({ type: 'page', index: 0, path: file, width: 248, height: 351, dpi: 300 });
      // Then the script sits in Transfer() until it is killed.
    });
    const driver = new WiaScanDriver({ script: 'wia-scan.ps1', workDir: tempDir(), spawn: fake.spawn });
    const pages: ScannedPage[] = [];
    let error: unknown;
    try {
      for await (const page of driver.scan(
        request({ signal: controller.signal, source: 'flatbed', colourMode: 'lineart' }),
      )) {
        pages.push(page);
        controller.abort();
      }
    } catch (caught) {
      error = caught;
    }
    expect(pages).toHaveLength(1);
    expect(error).toMatchObject({ code: 'scan/cancelled' });
    expect(fake.runs[0]?.killed).toBe(true);
    expect(argument(fake.runs[0]!, '-Colour')).toBe('lineart');
    expect(argument(fake.runs[0]!, '-Source')).toBe('flatbed');
  });

  it('says PowerShell is missing when it cannot be started', async () => {
    const spawn = (): ChildProcess => {
      const child = new EventEmitter() as ChildProcess;
      Object.assign(child, { stdout: new PassThrough(), stderr: new PassThrough(), kill: () => true });
      setImmediate(() =>
        child.emit('error', Object.assign(new Error('spawn powershell.exe ENOENT'), { code: 'ENOENT' })),
      );
      return child;
    };
    const driver = new WiaScanDriver({ script: 'wia-scan.ps1', workDir: tempDir(), spawn });
    expect((await collect(driver.scan(request()))).error).toMatchObject({ code: 'scan/offline' });
    expect(await driver.listDevices()).toEqual([]);
  });
});

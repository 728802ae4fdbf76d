import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { EsclScannerOptions, EsclTestScanner } from '../support/escl-scanner/escl-scanner.js';
import { startEsclScanner } from '../support/escl-scanner/escl-scanner.js';
import { selfSignedCertificate } from '../support/escl-scanner/self-signed.js';
import type { SaneConfig } from '../support/sane.js';
import { hasSaneAirscan, hasScanimage, makeAirscanConfig } from '../support/sane.js';
import { useTempDirs } from '../support/temp-dir.js';

// Before the station's eSCL client is tested against the test scanner, the test scanner is proved
// faithful to the protocol by scanning from it with a real, independent client: sane-airscan.

const tempDir = useTempDirs();
const device = 'airscan:e0:SoHoa Test';
let scanner: EsclTestScanner | undefined;
let sane: SaneConfig | undefined;

afterEach(async () => {
  await scanner?.close();
  sane?.cleanup();
  scanner = undefined;
  sane = undefined;
});

interface Run {
  code: number;
  stderr: string;
  files: string[];
  folder: string;
}

/** Runs scanimage asynchronously: the test scanner lives in this process and must keep answering. */
function scanimage(args: string[], env: NodeJS.ProcessEnv, folder?: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'scanimage',
      args,
      { env, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 },
      (error, _stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        const files =
          folder === undefined
            ? []
            : fs.readdirSync(folder).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
        resolve({ code, stderr: stderr.replace(/Progress: [^\r\n]*[\r\n]/g, ''), files, folder: folder ?? '' });
      },
    );
  });
}

async function withScanner(options: EsclScannerOptions): Promise<{ scanner: EsclTestScanner; sane: SaneConfig }> {
  scanner = await startEsclScanner(options);
  sane = makeAirscanConfig({ name: 'SoHoa Test', url: scanner.url });
  return { scanner, sane };
}

async function batch(source: string, mode: string, resolution: number, env: NodeJS.ProcessEnv): Promise<Run> {
  const folder = tempDir('sohoa-airscan-');
  return scanimage(
    [
      '-d',
      device,
      '--source',
      source,
      '--mode',
      mode,
      '--resolution',
      String(resolution),
      '--format=png',
      `--batch=${folder}/p%d.png`,
    ],
    env,
    folder,
  );
}

function jobRequests(scanner: EsclTestScanner): string[] {
  return scanner.requests.map(
    (request) => `${request.method} ${request.path.replace(/ScanJobs\/[0-9a-f-]+/, 'ScanJobs/{job}')}`,
  );
}

describe.skipIf(!hasScanimage() || !hasSaneAirscan())('the eSCL test scanner, driven by sane-airscan', () => {
  it('is listed from a manual [devices] entry and reports its sources, modes and resolutions', async () => {
    const { sane } = await withScanner({});
    const listed = await scanimage(['-L'], sane.env);
    expect(listed.code).toBe(0);
    const options = await new Promise<string>((resolve) => {
      execFile('scanimage', ['-d', device, '-A'], { env: sane.env, encoding: 'utf8' }, (_error, stdout) =>
        resolve(stdout),
      );
    });
    expect(options).toMatch(/--source Flatbed\|ADF\|ADF Duplex/);
    expect(options).toMatch(/--mode Color\|Gray/);
    expect(options).toMatch(/--resolution 75\|100\|150\|200\|300\|600dpi/);
  });

  it('feeds a three-sheet ADF batch page by page until the feeder is empty (404)', async () => {
    const { scanner, sane } = await withScanner({ feeder: 3 });
    const run = await batch('ADF', 'Color', 100, sane.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Document feeder out of documents');
    expect(run.files).toEqual(['p1.png', 'p2.png', 'p3.png']);
    // 100 dpi over the whole feeder area of 2550 × 4200 three-hundredths of an inch.
    const metadata = await sharp(path.join(run.folder, 'p1.png')).metadata();
    expect(metadata).toMatchObject({ width: 850, height: 1400, channels: 3 });
    const post = scanner.requests.find((request) => request.method === 'POST');
    expect(post?.body).toContain('<pwg:InputSource>Feeder</pwg:InputSource>');
    expect(post?.body).toContain('<scan:ColorMode>RGB24</scan:ColorMode>');
    expect(post?.body).toContain('<scan:XResolution>100</scan:XResolution>');
    expect(jobRequests(scanner)).toEqual([
      'GET /eSCL/ScannerCapabilities',
      'GET /eSCL/ScannerStatus',
      'POST /eSCL/ScanJobs',
      'GET /eSCL/ScanJobs/{job}/NextDocument',
      'GET /eSCL/ScanJobs/{job}/NextDocument',
      'GET /eSCL/ScanJobs/{job}/NextDocument',
      'GET /eSCL/ScanJobs/{job}/NextDocument',
      'GET /eSCL/ScannerStatus',
      'DELETE /eSCL/ScanJobs/{job}',
    ]);
    expect(scanner.feeder).toBe(0);
  });

  it('scans both sides from the duplex feeder and one page in grey from the platen', async () => {
    const { scanner, sane } = await withScanner({ feeder: 2 });
    const duplex = await batch('ADF Duplex', 'Color', 75, sane.env);
    expect(duplex.code, duplex.stderr).toBe(0);
    expect(duplex.files).toHaveLength(4);
    expect(scanner.requests.find((request) => request.method === 'POST')?.body).toContain(
      '<scan:Duplex>true</scan:Duplex>',
    );

    const folder = tempDir('sohoa-airscan-');
    const platen = await scanimage(
      [
        '-d',
        device,
        '--source',
        'Flatbed',
        '--mode',
        'Gray',
        '--resolution',
        '75',
        '--format=png',
        `--batch=${folder}/p%d.png`,
        '--batch-count=1',
      ],
      sane.env,
      folder,
    );
    expect(platen.code, platen.stderr).toBe(0);
    expect(platen.files).toEqual(['p1.png']);
    const body = scanner.requests.filter((request) => request.method === 'POST').at(-1)?.body ?? '';
    expect(body).toContain('<pwg:InputSource>Platen</pwg:InputSource>');
    expect(body).toContain('<scan:ColorMode>Grayscale8</scan:ColorMode>');
    // The page has the size the job asked for (three-hundredths of an inch at 75 dpi) and one channel.
    const width = Number(/<pwg:Width>(\d+)</.exec(body)?.[1]);
    const height = Number(/<pwg:Height>(\d+)</.exec(body)?.[1]);
    expect(await sharp(path.join(folder, 'p1.png')).metadata()).toMatchObject({
      width: Math.floor((width * 75) / 300),
      height: Math.floor((height * 75) / 300),
      channels: 1,
    });
  });

  it('reports a jam from ScannerStatus after the pages already fed', async () => {
    const { sane } = await withScanner({ feeder: 3, jamAfter: 1 });
    const run = await batch('ADF', 'Gray', 100, sane.env);
    expect(run.code).toBe(6); // SANE_STATUS_JAMMED
    expect(run.stderr).toContain('Document feeder jammed');
    expect(run.files).toEqual(['p1.png']);
  });

  it('reports an empty feeder (409 to the job, ScannerAdfEmpty in the status)', async () => {
    const { scanner, sane } = await withScanner({ feeder: 0 });
    const run = await batch('ADF', 'Gray', 100, sane.env);
    expect(run.code).toBe(7); // SANE_STATUS_NO_DOCS
    expect(run.files).toEqual([]);
    expect(jobRequests(scanner)).not.toContain('GET /eSCL/ScanJobs/{job}/NextDocument');
  });

  it('is retried while busy (503) and then scans', async () => {
    const { scanner, sane } = await withScanner({ feeder: 1, busyJobs: 2 });
    const run = await batch('ADF', 'Gray', 100, sane.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.files).toEqual(['p1.png']);
    expect(scanner.requests.filter((request) => request.method === 'POST')).toHaveLength(3);
  });

  it('serves the same protocol over HTTPS with a self-signed certificate', async () => {
    const { sane } = await withScanner({ feeder: 2, tls: selfSignedCertificate() });
    expect(scanner?.url).toMatch(/^https:/);
    const run = await batch('ADF', 'Gray', 75, sane.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.files).toEqual(['p1.png', 'p2.png']);
  });

  it('cancels the job with DELETE when the client stops', async () => {
    const { scanner, sane } = await withScanner({ feeder: 20, pageDelayMs: 300 });
    const folder = tempDir('sohoa-airscan-');
    const child = execFile(
      'scanimage',
      [
        '-d',
        device,
        '--source',
        'ADF',
        '--mode',
        'Gray',
        '--resolution',
        '75',
        '--format=png',
        `--batch=${folder}/p%d.png`,
      ],
      { env: sane.env },
    );
    const until = (done: () => boolean): Promise<void> =>
      new Promise((resolve) => {
        const timer = setInterval(() => {
          if (done()) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
      });
    await until(() => scanner.jobs.size > 0 && [...scanner.jobs.values()][0]!.imagesCompleted >= 1);
    const first = [...scanner.jobs.values()][0]!;
    child.kill('SIGINT');
    await until(() => jobRequests(scanner).includes('DELETE /eSCL/ScanJobs/{job}'));
    expect(scanner.requests.find((request) => request.method === 'DELETE')?.path).toBe(`/eSCL/ScanJobs/${first.id}`);
    expect(first.state).toBe('Canceled');
    // scanimage's batch loop may start another job after a single SIGINT; a second one ends it.
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(scanner.feeder).toBeGreaterThan(10);
  });
});

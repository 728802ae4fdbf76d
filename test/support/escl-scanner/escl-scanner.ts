import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';

/**
 * An eSCL (AirScan) scanner for tests, following the Mopria eSCL Scan
 * Technical Specification as sane-airscan and the station's client use it:
 *
 * - `GET  /eSCL/ScannerCapabilities` → 200 `scan:ScannerCapabilities`
 * - `GET  /eSCL/ScannerStatus`       → 200 `scan:ScannerStatus` (`pwg:State`, `scan:AdfState`, `scan:Jobs`)
 * - `POST /eSCL/ScanJobs`            → 201 + `Location` of the job; 409 when the feeder is empty or a
 *                                      setting is not offered; 503 while another job runs (busy)
 * - `GET  {job}/NextDocument`        → 200 one page (JPEG or PNG); 404 once the job has no more pages;
 *                                      503 after a jam (the status then says `ScannerAdfJam`)
 * - `DELETE {job}`                   → 200, the job is cancelled
 *
 * It scans in its own time (`pageDelayMs` a page), makes real images of the
 * requested size, resolution and colour mode, and keeps every request so a
 * test can check what a client asked for.
 */
export interface EsclScannerOptions {
  /** Sheets in the document feeder at the start (0 = empty). */
  feeder?: number;
  platen?: boolean;
  adf?: boolean;
  duplex?: boolean;
  resolutions?: number[];
  /** The feeder jams when this many sheets have gone through. */
  jamAfter?: number;
  /** Answer 503 (busy) to this many job requests first. */
  busyJobs?: number;
  /** How long scanning one page takes. */
  pageDelayMs?: number;
  /** A job nobody asks about for this long is aborted, as a real scanner does. */
  jobTimeoutMs?: number;
  /** HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  makeAndModel?: string;
  host?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
}

/** The settings a job was created with, as the scanner understood them. */
export interface EsclTestJob {
  id: string;
  source: 'Platen' | 'Feeder';
  duplex: boolean;
  colorMode: string;
  resolution: number;
  format: string;
  widthPx: number;
  heightPx: number;
  state: 'Processing' | 'Completed' | 'Canceled' | 'Aborted';
  reasons: string[];
  imagesCompleted: number;
  /** Sides still to deliver of the sheet being scanned (duplex back). */
  pendingBack: boolean;
  platenDone: boolean;
  createdAt: number;
  touchedAt: number;
}

export interface EsclTestScanner {
  /** Base URL of the eSCL service, `http(s)://127.0.0.1:PORT/eSCL`. */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly jobs: Map<string, EsclTestJob>;
  /** Sheets left in the feeder. */
  feeder: number;
  jammed: boolean;
  busyJobs: number;
  jamAfter: number | undefined;
  close(): Promise<void>;
}

const scanNs = 'http://schemas.hp.com/imaging/escl/2011/05/03';
const pwgNs = 'http://www.pwg.org/schemas/2010/12/sm';

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true });

function inputCaps(resolutions: number[], maxHeight: number): string {
  const discrete = resolutions
    .map(
      (dpi) =>
        `<scan:DiscreteResolution><scan:XResolution>${dpi}</scan:XResolution><scan:YResolution>${dpi}</scan:YResolution></scan:DiscreteResolution>`,
    )
    .join('');
  return `<scan:MinWidth>16</scan:MinWidth>
<scan:MaxWidth>2550</scan:MaxWidth>
<scan:MinHeight>16</scan:MinHeight>
<scan:MaxHeight>${maxHeight}</scan:MaxHeight>
<scan:MaxScanRegions>1</scan:MaxScanRegions>
<scan:SettingProfiles><scan:SettingProfile>
<scan:ColorModes><scan:ColorMode>BlackAndWhite1</scan:ColorMode><scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
<scan:DocumentFormats><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat><pwg:DocumentFormat>image/png</pwg:DocumentFormat><scan:DocumentFormatExt>image/jpeg</scan:DocumentFormatExt><scan:DocumentFormatExt>image/png</scan:DocumentFormatExt></scan:DocumentFormats>
<scan:SupportedResolutions><scan:DiscreteResolutions>${discrete}</scan:DiscreteResolutions></scan:SupportedResolutions>
</scan:SettingProfile></scan:SettingProfiles>
<scan:MaxOpticalXResolution>${Math.max(...resolutions)}</scan:MaxOpticalXResolution>
<scan:MaxOpticalYResolution>${Math.max(...resolutions)}</scan:MaxOpticalYResolution>`;
}

/** Starts the test scanner on an ephemeral port of 127.0.0.1. */
export async function startEsclScanner(options: EsclScannerOptions = {}): Promise<EsclTestScanner> {
  const resolutions = options.resolutions ?? [75, 100, 150, 200, 300, 600];
  const uuid = crypto.randomUUID();
  const makeAndModel = options.makeAndModel ?? 'SoHoa eSCL Test Scanner';
  const jobTimeoutMs = options.jobTimeoutMs ?? 30_000;
  const pageDelayMs = options.pageDelayMs ?? 20;
  const requests: RecordedRequest[] = [];
  const jobs = new Map<string, EsclTestJob>();
  let sheetsFed = 0;

  const capabilities = `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities xmlns:scan="${scanNs}" xmlns:pwg="${pwgNs}">
<pwg:Version>2.63</pwg:Version>
<pwg:MakeAndModel>${makeAndModel}</pwg:MakeAndModel>
<pwg:SerialNumber>SOHOA-0001</pwg:SerialNumber>
<scan:UUID>${uuid}</scan:UUID>
${options.platen === false ? '' : `<scan:Platen><scan:PlatenInputCaps>${inputCaps(resolutions, 3508)}</scan:PlatenInputCaps></scan:Platen>`}
${
  options.adf === false
    ? ''
    : `<scan:Adf><scan:AdfSimplexInputCaps>${inputCaps(resolutions, 4200)}</scan:AdfSimplexInputCaps>${
        options.duplex === false
          ? ''
          : `<scan:AdfDuplexInputCaps>${inputCaps(resolutions, 4200)}</scan:AdfDuplexInputCaps>`
      }<scan:FeederCapacity>50</scan:FeederCapacity><scan:AdfOptions><scan:AdfOption>DetectPaperLoaded</scan:AdfOption>${
        options.duplex === false ? '' : '<scan:AdfOption>Duplex</scan:AdfOption>'
      }</scan:AdfOptions></scan:Adf>`
}
</scan:ScannerCapabilities>
`;

  const scanner: EsclTestScanner = {
    url: '',
    port: 0,
    requests,
    jobs,
    feeder: options.feeder ?? 5,
    jammed: false,
    busyJobs: options.busyJobs ?? 0,
    jamAfter: options.jamAfter,
    close: () => Promise.resolve(),
  };

  function expireJobs(): void {
    for (const job of jobs.values()) {
      if (job.state === 'Processing' && Date.now() - job.touchedAt > jobTimeoutMs) {
        job.state = 'Aborted';
        job.reasons = ['JobTimedOut'];
      }
    }
  }

  function adfState(): string {
    if (scanner.jammed) return 'ScannerAdfJam';
    return scanner.feeder > 0 ? 'ScannerAdfLoaded' : 'ScannerAdfEmpty';
  }

  function statusXml(): string {
    expireJobs();
    const processing = [...jobs.values()].some((job) => job.state === 'Processing');
    const jobXml = [...jobs.values()]
      .map(
        (job) => `<scan:JobInfo>
<pwg:JobUri>/eSCL/ScanJobs/${job.id}</pwg:JobUri>
<pwg:JobUuid>${job.id}</pwg:JobUuid>
<scan:Age>${Math.round((Date.now() - job.createdAt) / 1000)}</scan:Age>
<pwg:ImagesCompleted>${job.imagesCompleted}</pwg:ImagesCompleted>
<pwg:ImagesToTransfer>${job.state === 'Processing' ? 1 : 0}</pwg:ImagesToTransfer>
<pwg:JobState>${job.state}</pwg:JobState>
<pwg:JobStateReasons>${job.reasons.map((reason) => `<pwg:JobStateReason>${reason}</pwg:JobStateReason>`).join('')}</pwg:JobStateReasons>
</scan:JobInfo>`,
      )
      .join('\n');
    return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerStatus xmlns:scan="${scanNs}" xmlns:pwg="${pwgNs}">
<pwg:Version>2.63</pwg:Version>
<pwg:State>${processing ? 'Processing' : 'Idle'}</pwg:State>
${options.adf === false ? '' : `<scan:AdfState>${adfState()}</scan:AdfState>`}
<scan:Jobs>${jobXml}</scan:Jobs>
</scan:ScannerStatus>
`;
  }

  function createJob(body: string): { status: number; job?: EsclTestJob } {
    let settings: Record<string, unknown>;
    try {
      const parsed = parser.parse(body) as { ScanSettings?: Record<string, unknown> };
      if (parsed.ScanSettings === undefined) return { status: 400 };
      settings = parsed.ScanSettings;
    } catch {
      return { status: 400 };
    }
    const text = (key: string): string | undefined => (typeof settings[key] === 'string' ? settings[key] : undefined);
    // Clients write the source as pwg:InputSource (eSCL 2.x) or scan:InputSource; both lose their prefix here.
    const source = text('InputSource') ?? 'Platen';
    const colorMode = text('ColorMode') ?? 'RGB24';
    const resolution = Number(text('XResolution') ?? '300');
    const format = text('DocumentFormatExt') ?? text('DocumentFormat') ?? 'image/jpeg';
    const duplex = text('Duplex') === 'true';
    const region = (settings.ScanRegions as { ScanRegion?: Record<string, string> } | undefined)?.ScanRegion;
    const width = Number(region?.Width ?? 2550);
    const height = Number(region?.Height ?? 3508);
    if (source !== 'Platen' && source !== 'Feeder') return { status: 409 };
    if ((source === 'Platen' && options.platen === false) || (source === 'Feeder' && options.adf === false)) {
      return { status: 409 };
    }
    if (duplex && options.duplex === false) return { status: 409 };
    if (!['RGB24', 'Grayscale8', 'BlackAndWhite1'].includes(colorMode)) return { status: 409 };
    if (!resolutions.includes(resolution) || Number(text('YResolution') ?? resolution) !== resolution) {
      return { status: 409 };
    }
    if (!['image/jpeg', 'image/png'].includes(format)) return { status: 409 };
    if (!(width >= 16 && width <= 2550 && height >= 16 && height <= 4200)) return { status: 409 };
    expireJobs();
    if (scanner.busyJobs > 0) {
      scanner.busyJobs -= 1;
      return { status: 503 };
    }
    if ([...jobs.values()].some((job) => job.state === 'Processing')) return { status: 503 };
    if (source === 'Feeder' && (scanner.feeder === 0 || scanner.jammed)) return { status: 409 };
    const job: EsclTestJob = {
      id: crypto.randomUUID(),
      source,
      duplex,
      colorMode,
      resolution,
      format,
      widthPx: Math.floor((width * resolution) / 300),
      heightPx: Math.floor((height * resolution) / 300),
      state: 'Processing',
      reasons: ['JobScanning'],
      imagesCompleted: 0,
      pendingBack: false,
      platenDone: false,
      createdAt: Date.now(),
      touchedAt: Date.now(),
    };
    jobs.set(job.id, job);
    return { status: 201, job };
  }

  async function renderPage(job: EsclTestJob, label: string): Promise<Buffer> {
    const { widthPx: width, heightPx: height } = job;
    const size = Math.max(12, Math.round(width / 12));
    // Only the label is drawn as SVG, in a box of its own: rendering an SVG as large as an A4 page
    // at 300 dpi would make the test scanner slower than the clients it tests.
    const boxWidth = Math.max(1, Math.min(width, size * 12));
    const boxHeight = Math.max(1, Math.min(height, Math.round(size * 1.6)));
    const svg = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${boxWidth}" height="${boxHeight}">
<rect x="0" y="0" width="${boxWidth}" height="${boxHeight}" fill="none" stroke="#1a237e" stroke-width="${Math.max(1, size / 10)}"/>
<text x="${boxWidth / 2}" y="${size * 1.2}" font-family="sans-serif" font-size="${size}" text-anchor="middle" fill="#b71c1c">${label}</text>
</svg>`,
    );
    let image = sharp({ create: { width, height, channels: 3, background: '#fdfcf7' } }).composite([
      { input: svg, left: Math.round((width - boxWidth) / 2), top: Math.round(height / 4) },
    ]);
    if (job.colorMode === 'Grayscale8') image = image.greyscale();
    if (job.colorMode === 'BlackAndWhite1') image = image.threshold(160);
    image = image.withDensity(job.resolution);
    if (job.format === 'image/png') {
      return job.colorMode === 'BlackAndWhite1'
        ? image.png({ palette: true, colours: 2 }).toBuffer()
        : image.png({ compressionLevel: 1 }).toBuffer();
    }
    return image.jpeg({ quality: 80 }).toBuffer();
  }

  /** The next page of a job, or the HTTP status that says why there is none. */
  async function nextDocument(job: EsclTestJob): Promise<{ status: number; page?: Buffer }> {
    job.touchedAt = Date.now();
    if (job.state === 'Aborted' && scanner.jammed) return { status: 503 };
    if (job.state !== 'Processing') return { status: 404 };
    if (job.source === 'Platen') {
      if (job.platenDone) {
        job.state = 'Completed';
        job.reasons = ['JobCompletedSuccessfully'];
        return { status: 404 };
      }
      await delay(pageDelayMs);
      job.platenDone = true;
      job.imagesCompleted += 1;
      return { status: 200, page: await renderPage(job, 'Trang 1') };
    }
    if (job.pendingBack) {
      await delay(pageDelayMs);
      job.pendingBack = false;
      job.imagesCompleted += 1;
      return { status: 200, page: await renderPage(job, `Trang ${sheetsFed} (mặt sau)`) };
    }
    if (scanner.jamAfter !== undefined && sheetsFed >= scanner.jamAfter && scanner.feeder > 0) {
      scanner.jammed = true;
      job.state = 'Aborted';
      job.reasons = ['AdfJam'];
      return { status: 503 };
    }
    if (scanner.feeder === 0) {
      job.state = 'Completed';
      job.reasons = ['JobCompletedSuccessfully'];
      return { status: 404 };
    }
    await delay(pageDelayMs);
    if (job.state !== 'Processing') return { status: 404 };
    scanner.feeder -= 1;
    sheetsFed += 1;
    job.imagesCompleted += 1;
    job.pendingBack = job.duplex;
    return { status: 200, page: await renderPage(job, `Trang ${sheetsFed}`) };
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = new URL(request.url ?? '/', 'http://scanner').pathname;
    requests.push({ method: request.method ?? '', path, body });
    const xml = (status: number, text: string): void => {
      response.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' }).end(text);
    };
    const plain = (status: number, headers: http.OutgoingHttpHeaders = {}): void => {
      response.writeHead(status, headers).end();
    };
    if (request.method === 'GET' && path === '/eSCL/ScannerCapabilities') return xml(200, capabilities);
    if (request.method === 'GET' && path === '/eSCL/ScannerStatus') return xml(200, statusXml());
    if (request.method === 'POST' && path === '/eSCL/ScanJobs') {
      const created = createJob(body);
      if (created.job === undefined) return plain(created.status);
      const host = request.headers.host ?? `127.0.0.1:${scanner.port}`;
      return plain(201, {
        location: `${options.tls === undefined ? 'http' : 'https'}://${host}/eSCL/ScanJobs/${created.job.id}`,
      });
    }
    const match = /^\/eSCL\/ScanJobs\/([0-9a-f-]+)(\/NextDocument)?\/?$/.exec(path);
    const job = match === null ? undefined : jobs.get(match[1] ?? '');
    if (match !== null && job === undefined) return plain(404);
    if (job !== undefined && request.method === 'GET' && match?.[2] !== undefined) {
      const next = await nextDocument(job);
      if (next.page === undefined) return plain(next.status);
      response.writeHead(200, { 'content-type': job.format, 'content-length': next.page.length }).end(next.page);
      return;
    }
    if (job !== undefined && request.method === 'DELETE' && match?.[2] === undefined) {
      if (job.state === 'Processing') {
        job.state = 'Canceled';
        job.reasons = ['JobCanceledByUser'];
      }
      return plain(200);
    }
    return plain(404);
  }

  const listener = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  };
  const server = options.tls === undefined ? http.createServer(listener) : https.createServer(options.tls, listener);
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(scanner, {
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}/eSCL`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return scanner;
}

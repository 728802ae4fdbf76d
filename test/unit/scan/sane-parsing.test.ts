import { describe, expect, it } from 'vitest';
import type { SaneRunOutcome, SaneStderrEvent } from '../../../electron/engine/scan/sane-batch.js';
import { createStderrParser, outcomeError } from '../../../electron/engine/scan/sane-batch.js';
import { SaneScanDriver } from '../../../electron/engine/scan/sane-driver.js';
import {
  classifyMode,
  classifySource,
  extraOptionArgs,
  parseSaneCapabilities,
  parseSaneDeviceList,
} from '../../../electron/engine/scan/sane-options.js';
import type { ScanRequest } from '../../../electron/engine/scan/scan-driver.js';

// What scanimage 1.1/1.2 prints, copied from real runs (the test backend here; a Fujitsu and an HP
// as their users post them), trimmed to the lines that matter.

const testBackend = `
All options specific to device \`test:0':
  Scan Mode:
    --mode Gray|Color [Gray]
        Selects the scan mode (e.g., lineart, monochrome, or color).
    --depth 1|8|16 [8]
        Number of bits per sample, typical values are 1 for "line-art" and 8
    --hand-scanner[=(yes|no)] [no]
        Simulate a hand-scanner.
    --resolution 1..1200dpi (in steps of 1) [0.000762939]
        Sets the resolution of the scanned image.
    --source Flatbed|Automatic Document Feeder [Flatbed]
        If Automatic Document Feeder is selected, the feeder will be 'empty'
  Special Options:
    --read-delay[=(yes|no)] [no]
        Delay the transfer of data to the pipe.
    --read-delay-duration 1000..200000us (in steps of 1000) [inactive]
        How long to wait after transferring each buffer of data through the
  Geometry:
    -l 0..200mm (in steps of 1) [0]
        Top-left x position of scan area.
    -t 0..200mm (in steps of 1) [0]
        Top-left y position of scan area.
    -x 0..200mm (in steps of 1) [80]
        Width of scan-area.
    -y 0..200mm (in steps of 1) [100]
        Height of scan-area.
`;

const fujitsu = `
All options specific to device \`fujitsu:fi-7160:1208958':
  Standard:
    --source Flatbed|ADF Front|ADF Back|ADF Duplex [ADF Front]
        Selects the scan source (such as a document-feeder).
    --mode Lineart|Halftone|Gray|Color [Lineart]
        Selects the scan mode (e.g., lineart, monochrome, or color).
    --resolution 50..600dpi (in steps of 1) [600]
        Sets the resolution of the scanned image.
  Geometry:
    --page-width 0..224.846mm (in steps of 0.0211639) [215.872]
        Specifies the width of the media.
    --page-height 0..863.6mm (in steps of 0.0211639) [279.364]
        Specifies the height of the media.
    -l 0..224.846mm (in steps of 0.0211639) [0]
    -t 0..863.6mm (in steps of 0.0211639) [0]
    -x 0..224.846mm (in steps of 0.0211639) [215.872]
    -y 0..863.6mm (in steps of 0.0211639) [279.364]
`;

const hp = `
All options specific to device \`hpaio:/usb/OfficeJet_Pro_8720?serial=CN12345':
  Scan mode:
    --mode Lineart|Gray|Color [Lineart]
        Selects the scan mode (e.g., lineart, monochrome, or color).
    --resolution 75|100|150|200|300|600|1200dpi [75]
        Sets the resolution of the scanned image.
  Advanced:
    --source Flatbed|ADF|Duplex [Flatbed]
        Selects the scan source (such as a document-feeder).
  Geometry:
    -l 0..215.9mm [0]
    -t 0..381mm [0]
    -x 0..215.9mm [215.9]
    -y 0..381mm [381]
`;

describe('scanimage output', () => {
  it('reads the device list we ask for', () => {
    expect(
      parseSaneDeviceList(
        'test:0\tNoname\tfrontend-tester\tvirtual device\nnet:host:fujitsu:fi\tFUJITSU\tfi-7160\tscanner\n\n',
      ),
    ).toEqual([
      { name: 'test:0', vendor: 'Noname', model: 'frontend-tester', type: 'virtual device' },
      { name: 'net:host:fujitsu:fi', vendor: 'FUJITSU', model: 'fi-7160', type: 'scanner' },
    ]);
  });

  it('maps the test backend options', () => {
    const caps = parseSaneCapabilities(testBackend);
    expect(caps.sources).toEqual({ flatbed: 'Flatbed', adf: 'Automatic Document Feeder' });
    expect(caps.modes).toEqual({ gray: 'Gray', color: 'Color' });
    expect(caps.resolutions).toEqual([75, 100, 150, 200, 240, 300, 400, 600, 1200]);
    expect(caps.maxAreaMm).toEqual({ width: 200, height: 200 });
    expect(caps.optionNames.has('read-delay')).toBe(true);
  });

  it('maps a sheet-fed scanner: ADF Front, ADF Duplex, Lineart before Halftone, page width', () => {
    const caps = parseSaneCapabilities(fujitsu);
    expect(caps.sources).toEqual({ flatbed: 'Flatbed', adf: 'ADF Front', 'adf-duplex': 'ADF Duplex' });
    expect(caps.modes).toEqual({ lineart: 'Lineart', gray: 'Gray', color: 'Color' });
    expect(caps.resolutions).toEqual([75, 100, 150, 200, 240, 300, 400, 600]);
    expect(caps.maxAreaMm).toEqual({ width: 224.846, height: 863.6 });
    expect(caps.hasPageWidth && caps.hasPageHeight).toBe(true);
  });

  it('maps a listed resolution set and a "Duplex" source', () => {
    const caps = parseSaneCapabilities(hp);
    expect(caps.sources).toEqual({ flatbed: 'Flatbed', adf: 'ADF', 'adf-duplex': 'Duplex' });
    expect(caps.resolutions).toEqual([75, 100, 150, 200, 300, 600, 1200]);
    expect(caps.maxAreaMm).toEqual({ width: 215.9, height: 381 });
  });

  it('names sources and modes the way backends spell them', () => {
    expect(
      [
        'Flatbed',
        'Document Table',
        'Platen',
        'ADF',
        'ADF Front',
        'Automatic Document Feeder',
        'ADF Duplex',
        'ADF Back',
      ].map(classifySource),
    ).toEqual(['flatbed', 'flatbed', 'flatbed', 'adf', 'adf', 'adf', 'adf-duplex', undefined]);
    expect(
      ['Color', 'Colour', '24bit Color', 'Gray', 'Grayscale', 'Lineart', 'Binary', 'Halftone'].map(classifyMode),
    ).toEqual(['color', 'color', 'color', 'gray', 'gray', 'lineart', 'lineart', undefined]);
  });

  it('turns device and profile options into scanimage arguments, refusing anything that is not an option name', () => {
    expect(extraOptionArgs({ 'read-delay': 'yes', 'read-delay-duration': '5000', l: '10', preview: '' })).toEqual([
      '--read-delay=yes',
      '--read-delay-duration=5000',
      '-l',
      '10',
      '--preview',
    ]);
    expect(() => extraOptionArgs({ '--batch=/etc/x': 'y' })).toThrow(RangeError);
  });

  it('reads stderr as it streams, lines ended by \\r or \\n and split anywhere', () => {
    const events: SaneStderrEvent[] = [];
    const feed = createStderrParser((event) => events.push(event));
    const text =
      'Scanning infinity pages, incrementing by 1, numbering from 1\nScanning page 1\nProgress: 12.5%\rProgress: 100.0%\rScanned page 1. (scanner status = 5)\nScanning page 2\nscanimage: sane_read: Document feeder jammed\nScanned page 2. (scanner status = 6)\nBatch terminated, 1 page scanned\n';
    for (let at = 0; at < text.length; at += 7) feed(text.slice(at, at + 7));
    expect(events).toEqual([
      { type: 'message', text: 'Scanning infinity pages, incrementing by 1, numbering from 1' },
      { type: 'page-started', page: 1 },
      { type: 'progress', percent: 12.5 },
      { type: 'progress', percent: 100 },
      { type: 'page-ended', page: 1, status: 5 },
      { type: 'page-started', page: 2 },
      { type: 'message', text: 'scanimage: sane_read: Document feeder jammed' },
      { type: 'page-ended', page: 2, status: 6 },
      { type: 'batch-ended', pages: 1 },
    ]);
  });
});

describe('how a scanimage run ended', () => {
  const base: SaneRunOutcome = {
    exitCode: 0,
    signal: null,
    pagesDone: 10,
    failedPageStatus: undefined,
    messages: [],
    cancelled: false,
  };
  const code = (outcome: Partial<SaneRunOutcome>): string | undefined =>
    outcomeError({ ...base, ...outcome }, 'test:0')?.code;

  it('accepts an empty feeder after pages as the end of a batch, and refuses it before any page', () => {
    expect(code({ messages: ['scanimage: sane_start: Document feeder out of documents'] })).toBeUndefined();
    expect(
      code({ exitCode: 7, pagesDone: 0, messages: ['scanimage: sane_start: Document feeder out of documents'] }),
    ).toBe('scan/no-paper');
    expect(
      code({
        exitCode: 0,
        pagesDone: 0,
        failedPageStatus: 7,
        messages: ['scanimage: sane_read: Document feeder out of documents'],
      }),
    ).toBe('scan/no-paper');
  });

  it.each([
    [6, 'scan/paper-jam'],
    [8, 'scan/cover-open'],
    [3, 'scan/busy'],
    [9, 'scan/io'],
    [11, 'scan/offline'],
    [4, 'scan/unsupported-setting'],
    [2, 'scan/cancelled'],
  ])('maps exit status %i to %s', (status, expected) => {
    expect(code({ exitCode: status, pagesDone: 2 })).toBe(expected);
  });

  it('reads the device failure messages of exit code 1', () => {
    expect(
      code({ exitCode: 1, pagesDone: 0, messages: ['scanimage: open of device nonexist:0 failed: Invalid argument'] }),
    ).toBe('scan/device-not-found');
    expect(
      code({ exitCode: 1, pagesDone: 0, messages: ['scanimage: open of device fujitsu:x failed: Device busy'] }),
    ).toBe('scan/busy');
    expect(
      code({
        exitCode: 1,
        pagesDone: 0,
        messages: ['scanimage: open of device fujitsu:x failed: Error during device I/O'],
      }),
    ).toBe('scan/offline');
    expect(
      code({
        exitCode: 1,
        pagesDone: 0,
        messages: ['scanimage: setting of option --source failed (Invalid argument)'],
      }),
    ).toBe('scan/unsupported-setting');
  });

  it('says scan/io for a crash and scan/cancelled whenever we stopped it', () => {
    expect(code({ exitCode: 134, messages: ['libpng error: No IDATs written into file'] })).toBe('scan/io');
    expect(code({ exitCode: null, signal: 'SIGKILL' })).toBe('scan/io');
    expect(code({ exitCode: 0, cancelled: true })).toBe('scan/cancelled');
  });
});

describe('the scanimage command line', () => {
  const driver = new SaneScanDriver({ workDir: '/tmp/unused' });
  const request = (overrides: Partial<ScanRequest>): ScanRequest => ({
    deviceId: 'sane:fujitsu:fi-7160',
    source: 'adf',
    dpi: 300,
    colourMode: 'color',
    pageSize: 'a4',
    maxPages: undefined,
    signal: new AbortController().signal,
    ...overrides,
  });

  it('asks for a JPEG batch from the feeder with the mode, resolution, paper size and page width', () => {
    const { args, ext } = driver.buildArgs(
      'fujitsu:fi-7160',
      parseSaneCapabilities(fujitsu),
      request({ source: 'adf-duplex' }),
      '/tmp/b',
    );
    expect(ext).toBe('jpg');
    expect(args).toEqual([
      '-d',
      'fujitsu:fi-7160',
      '--format=jpeg',
      '--batch=/tmp/b/p%d.jpg',
      '--batch-start=1',
      '--progress',
      '--source=ADF Duplex',
      '--mode=Color',
      '--resolution=300',
      '--page-width=210',
      '--page-height=297',
      '-l',
      '0',
      '-t',
      '0',
      '-x',
      '210',
      '-y',
      '297',
    ]);
  });

  it('scans one sheet from the flatbed, lossless PNG for black and white, clamped to the glass, with extra options last', () => {
    const { args, ext } = driver.buildArgs(
      'test:0',
      parseSaneCapabilities(testBackend),
      request({ source: 'flatbed', colourMode: 'gray', maxPages: 5, options: { 'read-delay': 'yes' } }),
      '/tmp/b',
    );
    expect(ext).toBe('jpg');
    expect(args).toContain('--batch-count=1');
    expect(args.slice(-7)).toEqual(['-t', '0', '-x', '200', '-y', '200', '--read-delay=yes']);
    const lineart = driver.buildArgs(
      'hp',
      parseSaneCapabilities(hp),
      request({ colourMode: 'lineart', maxPages: 3 }),
      '/tmp/b',
    );
    expect(lineart.ext).toBe('png');
    expect(lineart.args).toEqual(
      expect.arrayContaining(['--format=png', '--batch-count=3', '--mode=Lineart', '--source=ADF']),
    );
  });

  it('refuses a source or mode the device lacks', () => {
    const caps = parseSaneCapabilities(testBackend);
    expect(() => driver.buildArgs('test:0', caps, request({ source: 'adf-duplex' }), '/tmp/b')).toThrow(
      expect.objectContaining({ code: 'scan/unsupported-setting' }),
    );
    expect(() => driver.buildArgs('test:0', caps, request({ colourMode: 'lineart' }), '/tmp/b')).toThrow(
      expect.objectContaining({ code: 'scan/unsupported-setting' }),
    );
  });
});

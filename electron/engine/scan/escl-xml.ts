import { XMLParser } from 'fast-xml-parser';
import type { ErrorCode } from '../../../shared/errors.js';
import { resolutionsInRange } from './scan-driver.js';

/** eSCL namespaces (Mopria eSCL Scan Technical Specification). */
export const esclNs = {
  scan: 'http://schemas.hp.com/imaging/escl/2011/05/03',
  pwg: 'http://www.pwg.org/schemas/2010/12/sm',
} as const;

/** What one input source (platen, feeder, feeder both sides) offers. Sizes are in 1/300 inch, as eSCL counts. */
export interface EsclSourceCaps {
  minWidth: number;
  maxWidth: number;
  minHeight: number;
  maxHeight: number;
  colorModes: string[];
  documentFormats: string[];
  resolutions: number[];
}

/** A scanner's `ScannerCapabilities`. */
export interface EsclCapabilities {
  version: string;
  makeAndModel: string;
  uuid: string | undefined;
  platen: EsclSourceCaps | undefined;
  adf: EsclSourceCaps | undefined;
  adfDuplex: EsclSourceCaps | undefined;
}

/** One entry of `ScannerStatus/Jobs`. */
export interface EsclJobInfo {
  uri: string;
  uuid: string | undefined;
  state: string;
  imagesCompleted: number | undefined;
  imagesToTransfer: number | undefined;
  reasons: string[];
}

/** A scanner's `ScannerStatus`. */
export interface EsclStatus {
  /** `Idle`, `Processing`, `Testing`, `Stopped` or `Down`. */
  state: string;
  /** `ScannerAdfLoaded`, `ScannerAdfEmpty`, `ScannerAdfJam`… when the scanner has a feeder. */
  adfState: string | undefined;
  jobs: EsclJobInfo[];
}

const arrays = new Set([
  'SettingProfile',
  'ColorMode',
  'DocumentFormat',
  'DocumentFormatExt',
  'DiscreteResolution',
  'JobInfo',
  'JobStateReason',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => arrays.has(name),
});

type Node = Record<string, unknown>;

function child(node: unknown, name: string): Node | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const value = (node as Node)[name];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
}

function children(node: unknown, name: string): unknown[] {
  if (node === null || typeof node !== 'object') return [];
  const value = (node as Node)[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function text(node: unknown, name: string): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const value = (node as Node)[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function integer(node: unknown, name: string): number | undefined {
  const value = text(node, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function parseSource(node: Node | undefined): EsclSourceCaps | undefined {
  if (node === undefined) return undefined;
  const colorModes = new Set<string>();
  const documentFormats = new Set<string>();
  const resolutions = new Set<number>();
  for (const profile of children(child(node, 'SettingProfiles'), 'SettingProfile')) {
    for (const mode of children(child(profile, 'ColorModes'), 'ColorMode')) {
      if (typeof mode === 'string') colorModes.add(mode);
    }
    const formats = child(profile, 'DocumentFormats');
    for (const format of [...children(formats, 'DocumentFormat'), ...children(formats, 'DocumentFormatExt')]) {
      if (typeof format === 'string') documentFormats.add(format.toLowerCase());
    }
    const supported = child(profile, 'SupportedResolutions');
    for (const resolution of children(child(supported, 'DiscreteResolutions'), 'DiscreteResolution')) {
      const x = integer(resolution, 'XResolution');
      const y = integer(resolution, 'YResolution');
      // Only square resolutions: pages are stored with one dpi.
      if (x !== undefined && x === y && x > 0) resolutions.add(x);
    }
    const range = child(supported, 'ResolutionRange') ?? child(supported, 'XResolutionRange');
    const xRange = child(range, 'XResolution') ?? range;
    const min = integer(xRange, 'Min');
    const max = integer(xRange, 'Max');
    if (min !== undefined && max !== undefined) for (const dpi of resolutionsInRange(min, max)) resolutions.add(dpi);
  }
  return {
    minWidth: integer(node, 'MinWidth') ?? 0,
    maxWidth: integer(node, 'MaxWidth') ?? 0,
    minHeight: integer(node, 'MinHeight') ?? 0,
    maxHeight: integer(node, 'MaxHeight') ?? 0,
    colorModes: [...colorModes],
    documentFormats: [...documentFormats],
    resolutions: [...resolutions].sort((a, b) => a - b),
  };
}

/** Parses `GET /eSCL/ScannerCapabilities`; throws on XML that is not one. */
export function parseCapabilities(xml: string): EsclCapabilities {
  const root = child(parser.parse(xml) as unknown, 'ScannerCapabilities');
  if (root === undefined) throw new Error('not an eSCL ScannerCapabilities document');
  const adf = child(root, 'Adf');
  return {
    version: text(root, 'Version') ?? '2.0',
    makeAndModel: text(root, 'MakeAndModel') ?? text(root, 'ModelName') ?? 'eSCL scanner',
    uuid: text(root, 'UUID'),
    platen: parseSource(child(child(root, 'Platen'), 'PlatenInputCaps')),
    adf: parseSource(child(adf, 'AdfSimplexInputCaps')),
    adfDuplex: parseSource(child(adf, 'AdfDuplexInputCaps')),
  };
}

/** Parses `GET /eSCL/ScannerStatus`. */
export function parseStatus(xml: string): EsclStatus {
  const root = child(parser.parse(xml) as unknown, 'ScannerStatus');
  if (root === undefined) throw new Error('not an eSCL ScannerStatus document');
  return {
    state: text(root, 'State') ?? 'Idle',
    adfState: text(root, 'AdfState'),
    jobs: children(child(root, 'Jobs'), 'JobInfo').map((job) => ({
      uri: text(job, 'JobUri') ?? '',
      uuid: text(job, 'JobUuid'),
      state: text(job, 'JobState') ?? '',
      imagesCompleted: integer(job, 'ImagesCompleted'),
      imagesToTransfer: integer(job, 'ImagesToTransfer'),
      reasons: children(child(job, 'JobStateReasons'), 'JobStateReason').filter(
        (reason): reason is string => typeof reason === 'string',
      ),
    })),
  };
}

/** `scan:AdfState` values (Mopria eSCL) that stop a job, and what the clerk is told. */
const adfProblems: Partial<Record<string, ErrorCode>> = {
  ScannerAdfJam: 'scan/paper-jam',
  ScannerAdfMispick: 'scan/paper-jam',
  ScannerAdfMultipickDetected: 'scan/paper-jam',
  ScannerAdfDoorOpen: 'scan/cover-open',
  ScannerAdfHatchOpen: 'scan/cover-open',
  ScannerAdfEmpty: 'scan/no-paper',
  ScannerAdfInputTrayFailed: 'scan/io',
  ScannerAdfInputTrayOverloaded: 'scan/io',
  ScannerAdfHwFailure: 'scan/io',
};

/** The error a scanner's state explains, if any: a jam, an open door, an empty feeder, a scanner that is down. */
export function statusError(status: EsclStatus, feeder: boolean): ErrorCode | undefined {
  if (status.state === 'Down') return 'scan/offline';
  if ((feeder || status.state === 'Stopped') && status.adfState !== undefined) {
    const problem = adfProblems[status.adfState];
    // An empty feeder matters only to a job that wants the feeder.
    if (problem !== undefined && (problem !== 'scan/no-paper' || feeder)) return problem;
  }
  return status.state === 'Stopped' ? 'scan/io' : undefined;
}

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What a job asks for. Region in 1/300 inch. */
export interface EsclScanSettings {
  version: string;
  inputSource: 'Platen' | 'Feeder';
  duplex: boolean;
  colorMode: 'RGB24' | 'Grayscale8' | 'BlackAndWhite1';
  resolution: number;
  documentFormat: string;
  region: { width: number; height: number };
}

/** The body of `POST /eSCL/ScanJobs`. */
export function scanSettingsXml(settings: EsclScanSettings): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<scan:ScanSettings xmlns:scan="${esclNs.scan}" xmlns:pwg="${esclNs.pwg}">`,
    `  <pwg:Version>${escape(settings.version)}</pwg:Version>`,
    '  <pwg:ScanRegions>',
    '    <pwg:ScanRegion>',
    '      <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>',
    `      <pwg:Height>${Math.round(settings.region.height)}</pwg:Height>`,
    `      <pwg:Width>${Math.round(settings.region.width)}</pwg:Width>`,
    '      <pwg:XOffset>0</pwg:XOffset>',
    '      <pwg:YOffset>0</pwg:YOffset>',
    '    </pwg:ScanRegion>',
    '  </pwg:ScanRegions>',
    `  <pwg:InputSource>${settings.inputSource}</pwg:InputSource>`,
    `  <scan:ColorMode>${settings.colorMode}</scan:ColorMode>`,
    `  <pwg:DocumentFormat>${escape(settings.documentFormat)}</pwg:DocumentFormat>`,
    `  <scan:DocumentFormatExt>${escape(settings.documentFormat)}</scan:DocumentFormatExt>`,
    `  <scan:XResolution>${settings.resolution}</scan:XResolution>`,
    `  <scan:YResolution>${settings.resolution}</scan:YResolution>`,
    ...(settings.inputSource === 'Feeder'
      ? [`  <scan:Duplex>${settings.duplex ? 'true' : 'false'}</scan:Duplex>`]
      : []),
    '</scan:ScanSettings>',
  ];
  return `${lines.join('\n')}\n`;
}

import { z } from 'zod';
import { OcrLanguages, OcrVariant, defaultOcrLanguages, defaultOcrVariant } from './ocr.js';

/** Agency identifier of QĐ 20/2020: up to 35 characters, dot-separated groups of 0-9 A-Z. */
export const agencyIdPattern = /^[0-9A-Z]+(\.[0-9A-Z]+)*$/;

/** A send window list: `18:00-07:00` or `12:00-13:00,18:00-07:00` (a window may wrap midnight); empty = always. */
export const sendWindowPattern =
  /^$|^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d(,([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)*$/;

/** A scan profile name: lower-case letters, digits, `-` and `_`. */
export const profileNamePattern = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** Backend-specific options handed to a driver as they are (SANE: `--name value`). */
const DriverOptions = z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/), z.string());

/** One scan profile as IT or the user writes it; `dpi` absent = `scan.dpi`. */
export const ScanProfileSettings = z
  .object({
    label: z.string().max(100).default(''),
    source: z.enum(['auto', 'flatbed', 'adf']).default('auto'),
    duplex: z.boolean().default(false),
    dpi: z.number().int().min(200).max(1200).optional(),
    colourMode: z.enum(['color', 'gray', 'lineart']).default('color'),
    pageSize: z.enum(['auto', 'a4', 'a5', 'a3', 'letter', 'legal']).default('a4'),
    blankPages: z.enum(['keep', 'flag', 'remove']).default('keep'),
    driverOptions: DriverOptions.default({}),
  })
  .strict();
export type ScanProfileSettings = z.infer<typeof ScanProfileSettings>;

/** A network (eSCL) scanner entered by address: `http(s)://host[:port]/eSCL`. */
export const EsclDeviceEntry = z
  .object({
    name: z.string().min(1).max(100),
    url: z.string().regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'http(s)://host[:port]/path'),
    allowInsecureTls: z.boolean().default(false),
  })
  .strict();
export type EsclDeviceEntry = z.infer<typeof EsclDeviceEntry>;

export const Language = z.enum(['vi', 'en']);
export type Language = z.infer<typeof Language>;

/**
 * Every setting of the station with its built-in default.
 *
 * Layers, lowest first: these defaults, the user's settings file, the machine
 * policy file written by IT. A key present in the policy is locked.
 * docs/settings.md documents each key.
 */
export const Settings = z.object({
  ui: z
    .object({
      language: Language.default('vi'),
    })
    .strict()
    .prefault({}),
  station: z
    .object({
      id: z.string().max(64).default('station-1'),
      agencyId: z.string().max(35).regex(agencyIdPattern, 'dot-separated groups of 0-9 A-Z').default('000.00.00.H48'),
      agencyName: z.string().max(200).default(''),
    })
    .strict()
    .prefault({}),
  scan: z
    .object({
      defaultDevice: z.string().min(1).default('demo'),
      allowedDevices: z.array(z.string().min(1)).default([]),
      demoPageCount: z.number().int().min(1).max(1000).default(5),
      dpi: z.number().int().min(200).max(1200).default(300),
      demoFailure: z.enum(['none', 'paper-jam', 'no-paper']).default('none'),
      demoFailureAfter: z.number().int().min(0).max(1000).default(2),
      /** The demo scanner puts a blank separator sheet after each sample document. */
      demoSeparators: z.boolean().default(true),
      drivers: z.array(z.enum(['demo', 'sane', 'escl', 'wia'])).default(['demo', 'sane', 'escl', 'wia']),
      deviceOptions: z.record(z.string().min(1), DriverOptions).default({}),
      esclDiscovery: z.boolean().default(true),
      esclDevices: z.array(EsclDeviceEntry).default([]),
    })
    .strict()
    .prefault({}),
  profiles: z
    .object({
      default: z.string().regex(profileNamePattern).default('standard'),
      items: z.record(z.string().regex(profileNamePattern), ScanProfileSettings).default({}),
    })
    .strict()
    .prefault({}),
  import: z
    .object({
      hotFolder: z.string().default(''),
      profile: z.string().default(''),
      pollIntervalMs: z.number().int().min(50).max(60_000).default(1000),
      stableChecks: z.number().int().min(1).max(20).default(2),
      unreadableAfterMs: z.number().int().min(0).max(86_400_000).default(120_000),
    })
    .strict()
    .prefault({}),
  storage: z
    .object({
      reserveMb: z.number().int().min(0).max(1_000_000).default(500),
    })
    .strict()
    .prefault({}),
  backup: z
    .object({
      /** Folders that receive the scheduled back-ups (REQUIREMENTS.md section 6: two or more, on independent media). */
      targets: z.array(z.string().min(1)).default([]),
      /** Local hour (0–23) after which the daily back-up runs. */
      hour: z.number().int().min(0).max(23).default(12),
    })
    .strict()
    .prefault({}),
  signing: z
    .object({
      enabled: z.boolean().default(false),
    })
    .strict()
    .prefault({}),
  warehouse: z
    .object({
      url: z.string().default(''),
      clientId: z.string().default(''),
      allowInsecureLoopback: z.boolean().default(false),
      issuer: z.string().default(''),
      scope: z.string().max(200).default('records'),
      resource: z.string().default(''),
      caBundleFile: z.string().default(''),
      chunkBytes: z
        .number()
        .int()
        .min(16 * 1024)
        .max(64 * 1024 * 1024)
        .default(4 * 1024 * 1024),
      sendWindow: z.string().regex(sendWindowPattern, 'HH:MM-HH:MM, comma-separated, or empty').default(''),
      bandwidthKbps: z.number().int().min(0).max(10_000_000).default(0),
      retentionDays: z.number().int().min(0).max(36_500).nullable().default(30),
      probeIntervalSeconds: z.number().min(1).max(86_400).default(60),
      retryBaseSeconds: z.number().min(0.05).max(3600).default(5),
      retryMaxSeconds: z
        .number()
        .min(1)
        .max(7 * 86_400)
        .default(3600),
      requestTimeoutSeconds: z.number().min(1).max(3600).default(60),
    })
    .strict()
    .prefault({}),
  bridge: z
    .object({
      port: z.number().int().min(0).max(65535).default(0),
    })
    .strict()
    .prefault({}),
  ocr: z
    .object({
      /** Recognisers per host (renderer web workers, engine worker threads); 0 = from the core count. */
      workers: z.number().int().min(0).max(16).default(0),
      languages: OcrLanguages.default(defaultOcrLanguages),
      variant: OcrVariant.default(defaultOcrVariant),
      /** Words below this confidence (0–100) are highlighted for review. */
      lowConfidenceThreshold: z.number().min(0).max(100).default(85),
    })
    .strict()
    .prefault({}),
  output: z
    .object({
      /** JPEG quality (mozjpeg) of colour and grey page images in the PDF/A. */
      jpegQuality: z.number().int().min(20).max(100).default(60),
      /** `keep`: each page keeps its capture's colour class (colour stays colour); `measured`: reduce to grey or 1-bit where the page has no colour or no mid-tones. */
      colourPolicy: z.enum(['keep', 'measured']).default('keep'),
      /** Blank pages (found by the imaging): kept as pages without text, or left out of the PDF. */
      blankPages: z.enum(['keep', 'drop']).default('keep'),
      /** Imaging worker threads; 0 = from the core count. */
      imagingWorkers: z.number().int().min(0).max(16).default(0),
    })
    .strict()
    .prefault({}),
  logging: z
    .object({
      level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
      maxFileBytes: z.number().int().min(10_000).default(5_000_000),
      maxFiles: z.number().int().min(1).max(100).default(5),
    })
    .strict()
    .prefault({}),
});
export type Settings = z.infer<typeof Settings>;

/** A settings file (user or policy): any subset of the keys, nothing unknown. */
export const SettingsFile = Settings.partial().strict();
export type SettingsFile = z.input<typeof SettingsFile>;

export const SettingsSource = z.enum(['default', 'user', 'policy']);
export type SettingsSource = z.infer<typeof SettingsSource>;

export const SettingsProblem = z.object({
  source: z.enum(['user', 'policy']),
  file: z.string(),
  key: z.string(),
  message: z.string(),
});
export type SettingsProblem = z.infer<typeof SettingsProblem>;

/** What the UI sees: the values in force, which keys the policy locks, and what was wrong with a file. */
export const EffectiveSettings = z.object({
  values: Settings,
  locked: z.array(z.string()),
  problems: z.array(SettingsProblem),
});
export type EffectiveSettings = z.infer<typeof EffectiveSettings>;

export function defaultSettings(): Settings {
  return Settings.parse({});
}

/** Dotted paths of every leaf in a plain object: `{ scan: { dpi: 1 } }` → `['scan.dpi']`. */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return prefix === '' ? [] : [prefix];
  }
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix === '' ? key : `${prefix}.${key}`));
}

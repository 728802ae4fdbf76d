import { z } from 'zod';

/** Agency identifier of QĐ 20/2020: up to 35 characters, dot-separated groups of 0-9 A-Z. */
export const agencyIdPattern = /^[0-9A-Z]+(\.[0-9A-Z]+)*$/;

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
    })
    .strict()
    .prefault({}),
  storage: z
    .object({
      reserveMb: z.number().int().min(0).max(1_000_000).default(500),
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
    })
    .strict()
    .prefault({}),
  bridge: z
    .object({
      port: z.number().int().min(0).max(65535).default(0),
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

import { z } from 'zod';

export const Id = z.string().min(1).max(100);

export const ColourMode = z.enum(['color', 'gray', 'lineart']);
export type ColourMode = z.infer<typeof ColourMode>;

export const ScanSource = z.enum(['flatbed', 'adf', 'adf-duplex']);
export type ScanSource = z.infer<typeof ScanSource>;

export const DeviceKind = z.enum(['demo', 'sane', 'escl', 'wia', 'import']);
export type DeviceKind = z.infer<typeof DeviceKind>;

export const Device = z.object({
  id: Id,
  kind: DeviceKind,
  name: z.string(),
  sources: z.array(ScanSource),
  resolutions: z.array(z.number().int().positive()),
  colourModes: z.array(ColourMode),
  allowed: z.boolean(),
});
export type Device = z.infer<typeof Device>;

export const Page = z.object({
  id: Id,
  batchId: Id,
  index: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mimeType: z.enum(['image/jpeg', 'image/png', 'image/tiff']),
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  dpi: z.number().int().positive(),
  colourMode: ColourMode,
  deviceId: Id,
  capturedAt: z.string(),
});
export type Page = z.infer<typeof Page>;

export const BatchState = z.enum(['scanning', 'finished', 'cancelled', 'failed']);
export type BatchState = z.infer<typeof BatchState>;

export const Batch = z.object({
  id: Id,
  deviceId: Id,
  state: BatchState,
  pageCount: z.number().int().nonnegative(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  errorCode: z.string().nullable(),
});
export type Batch = z.infer<typeof Batch>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  transport: z.enum(['electron', 'bridge', 'direct']),
  dataDir: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

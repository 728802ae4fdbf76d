import { z } from 'zod';
import { AppInfo, Batch, Device, Id, Page } from './domain.js';
import { StationErrorShape } from './errors.js';
import { EffectiveSettings, SettingsFile } from './settings.js';

/**
 * Every call between renderer and engine, declared once.
 *
 * Names are `domain:method`. The preload exposes `station.<domain>.<method>`
 * (kebab-case becomes camelCase); the bridge serves `POST /api/<name>`.
 */
export const calls = {
  'app:info': { args: z.object({}).strict(), result: AppInfo },
  'settings:get': { args: z.object({}).strict(), result: EffectiveSettings },
  'settings:update': {
    args: z.object({ patch: SettingsFile }).strict(),
    result: EffectiveSettings,
  },
  'devices:list': { args: z.object({}).strict(), result: z.array(Device) },
  'scan:start': {
    args: z
      .object({
        deviceId: Id,
        count: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    result: z.object({ batchId: Id }),
  },
  'scan:cancel': {
    args: z.object({ batchId: Id }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  'batches:list': {
    args: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    result: z.array(Batch),
  },
  'pages:list': {
    args: z.object({ batchId: Id }).strict(),
    result: z.array(Page),
  },
  'pages:thumbnail': {
    args: z.object({ pageId: Id }).strict(),
    result: z.object({ mimeType: z.literal('image/jpeg'), dataBase64: z.string() }),
  },
} as const;

/** Every event the engine emits, declared once. Names are `domain:past-tense`. */
export const events = {
  'scan:started': z.object({ batchId: Id, deviceId: Id, expectedPages: z.number().int().nullable() }),
  'scan:page-captured': z.object({ batchId: Id, page: Page }),
  'scan:finished': z.object({
    batchId: Id,
    pageCount: z.number().int().nonnegative(),
    cancelled: z.boolean(),
  }),
  'scan:failed': z.object({
    batchId: Id,
    pageCount: z.number().int().nonnegative(),
    error: StationErrorShape,
  }),
  'settings:changed': EffectiveSettings,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallArgs<N extends CallName> = z.input<Calls[N]['args']>;
export type CallValue<N extends CallName> = z.output<Calls[N]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

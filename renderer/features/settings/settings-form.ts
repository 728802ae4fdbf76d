import type { FieldIssue } from '../../../shared/errors.js';
import type { Settings, SettingsFile } from '../../../shared/settings.js';

/** A value of one setting as the screen edits it; number boxes hold their text until saved. */
export type SettingValue = string | number | boolean | string[] | null;

/** Why a setting's value was refused: the engine's check, the policy lock, or not a number. */
export type SettingIssue = 'invalid' | 'locked' | 'number';

/** Settings edited in a number box, and those of them where an empty box means `null`. */
export const numberSettings: ReadonlySet<string> = new Set([
  'scan.dpi',
  'warehouse.bandwidthKbps',
  'warehouse.retentionDays',
  'ocr.workers',
  'ocr.lowConfidenceThreshold',
]);
export const nullableSettings: ReadonlySet<string> = new Set(['warehouse.retentionDays']);

/**
 * Whether the machine policy locks a setting: the key itself, a group above it (`warehouse`), or a
 * key below it (a locked `scan.allowedDevices` locks editing the list as a whole). Same rule as the
 * engine's settings service.
 */
export function isSettingLocked(locked: readonly string[], path: string): boolean {
  return locked.some((key) => key === path || path.startsWith(`${key}.`) || key.startsWith(`${path}.`));
}

/** The value in force of a dotted setting path. */
export function settingValue(values: Settings, path: string): unknown {
  let current: unknown = values;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The value a draft entry will be saved as: number boxes become numbers (`null` where empty is allowed). */
export function storedSettingValue(path: string, value: SettingValue): { ok: true; value: unknown } | { ok: false } {
  if (!numberSettings.has(path) || typeof value !== 'string') {
    return { ok: true, value: typeof value === 'string' ? value.normalize('NFC').trim() : value };
  }
  const text = value.trim();
  if (text === '' && nullableSettings.has(path)) return { ok: true, value: null };
  const number = Number(text);
  return text === '' || !Number.isFinite(number) ? { ok: false } : { ok: true, value: number };
}

function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * The patch of `settings:update` for the edited settings that differ from those in force, nested by
 * group (`{ warehouse: { url } }`), and the paths whose text is not a number.
 */
export function settingsPatch(
  draft: Readonly<Record<string, SettingValue>>,
  values: Settings,
): { patch: SettingsFile; changed: string[]; notNumbers: string[] } {
  const patch: SettingsFile & Record<string, Record<string, unknown>> = {};
  const changed: string[] = [];
  const notNumbers: string[] = [];
  for (const [path, raw] of Object.entries(draft)) {
    const stored = storedSettingValue(path, raw);
    if (!stored.ok) {
      notNumbers.push(path);
      continue;
    }
    if (sameValue(stored.value, settingValue(values, path))) continue;
    const [group, key] = path.split('.');
    if (group === undefined || key === undefined) continue;
    patch[group] = { ...patch[group], [key]: stored.value };
    changed.push(path);
  }
  return { patch, changed, notNumbers };
}

/** The engine's field issues by setting path (`patch.` from the contract's check removed). */
export function settingIssuesFromEngine(
  code: string,
  fields: readonly FieldIssue[] | undefined,
): Record<string, SettingIssue> {
  const issues: Record<string, SettingIssue> = {};
  for (const field of fields ?? []) {
    const path = field.path.replace(/^patch\./, '');
    issues[path] = code === 'settings/locked' ? 'locked' : 'invalid';
  }
  return issues;
}

/** The issue of a field by its path, or of a group above it or a key below it (a profile item). */
export function issueFor(issues: Readonly<Record<string, SettingIssue>>, path: string): SettingIssue | undefined {
  if (issues[path] !== undefined) return issues[path];
  const match = Object.entries(issues).find(([key]) => key.startsWith(`${path}.`));
  return match?.[1];
}

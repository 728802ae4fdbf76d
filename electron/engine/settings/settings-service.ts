import fs from 'node:fs';
import path from 'node:path';
import type { EffectiveSettings, SettingsFile, SettingsProblem } from '../../../shared/settings.js';
import { Settings, SettingsFile as SettingsFileSchema, leafPaths } from '../../../shared/settings.js';
import { StationError, fieldIssuesFromZod } from '../../../shared/errors.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/** Where the three layers of settings come from. */
export interface SettingsPaths {
  /** The user's settings file (`<dataDir>/settings.json`, or the CLI's `--config FILE`). */
  userFile: string;
  /** The machine policy file written by IT; its keys are locked. */
  policyFile: string | undefined;
  /** The last user settings that validated, used when the user file is broken. */
  lastGoodFile: string;
}

/** Default place of the machine policy file on each OS, overridable with SOHOA_POLICY_FILE. */
export function defaultPolicyFile(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SOHOA_POLICY_FILE !== undefined && env.SOHOA_POLICY_FILE !== '') return env.SOHOA_POLICY_FILE;
  if (platform === 'win32') {
    return path.join(env.ProgramData ?? 'C:\\ProgramData', 'SoHoa', 'policy.json');
  }
  if (platform === 'darwin') return '/Library/Application Support/SoHoa/policy.json';
  return '/etc/sohoa/policy.json';
}

export interface SettingsService {
  current(): EffectiveSettings;
  /** Applies a patch to the user's layer; refuses locked keys with `settings/locked`. */
  update(patch: SettingsFile): EffectiveSettings;
}

type ReadResult = { file: SettingsFile; problems: SettingsProblem[]; ok: boolean };

function readLayer(file: string, source: 'user' | 'policy'): ReadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file: {}, problems: [], ok: true };
    return {
      file: {},
      ok: false,
      problems: [{ source, file, key: '(file)', message: `cannot read: ${(error as Error).message}` }],
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      file: {},
      ok: false,
      problems: [{ source, file, key: '(file)', message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  const parsed = SettingsFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = fieldIssuesFromZod(parsed.error).map((issue) => ({
      source,
      file,
      key: issue.path,
      message: issue.message,
    }));
    return { file: {}, ok: false, problems };
  }
  return { file: json as SettingsFile, problems: [], ok: true };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep merge of settings layers: objects merge key by key, everything else replaces. */
export function mergeLayers(...layers: unknown[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!isPlainObject(layer)) continue;
    for (const [key, value] of Object.entries(layer)) {
      const existing = result[key];
      result[key] =
        isPlainObject(value) && isPlainObject(existing)
          ? mergeLayers(existing, value)
          : isPlainObject(value)
            ? mergeLayers(value)
            : value;
    }
  }
  return result;
}

/**
 * Loads defaults < user settings < machine policy, validated with zod.
 *
 * A broken user file does not stop the station: it starts on the last user
 * settings that validated and reports which key was wrong. A broken policy
 * file is reported the same way and the station runs on defaults + user
 * settings, since guessing a policy would be worse.
 */
export function createSettingsService(paths: SettingsPaths): SettingsService {
  let state = load();

  function load(): EffectiveSettings & { userLayer: SettingsFile; policyLayer: SettingsFile } {
    const problems: SettingsProblem[] = [];
    let user = readLayer(paths.userFile, 'user');
    problems.push(...user.problems);
    if (!user.ok) {
      const lastGood = readLayer(paths.lastGoodFile, 'user');
      user = lastGood.ok ? lastGood : { file: {}, problems: [], ok: true };
    } else if (fs.existsSync(paths.userFile)) {
      rememberLastGood(user.file);
    }
    const policy =
      paths.policyFile === undefined ? { file: {}, problems: [], ok: true } : readLayer(paths.policyFile, 'policy');
    problems.push(...policy.problems);
    // The layers validated on their own; merged, they still must form valid settings.
    const values = Settings.parse(mergeLayers(user.file, policy.file));
    return { values, locked: leafPaths(policy.file).sort(), problems, userLayer: user.file, policyLayer: policy.file };
  }

  function rememberLastGood(file: SettingsFile): void {
    try {
      writeFileAtomic(paths.lastGoodFile, `${JSON.stringify(file, null, 2)}\n`);
    } catch {
      // Losing the fallback copy is not worth failing the start over.
    }
  }

  return {
    current() {
      return { values: state.values, locked: state.locked, problems: state.problems };
    },
    update(patch) {
      const touched = leafPaths(patch);
      const lockedTouched = touched.filter((key) =>
        state.locked.some((locked) => key === locked || key.startsWith(`${locked}.`) || locked.startsWith(`${key}.`)),
      );
      if (lockedTouched.length > 0) {
        throw new StationError(
          'settings/locked',
          `Locked by machine policy: ${lockedTouched.join(', ')}`,
          lockedTouched.map((key) => ({ path: key, message: 'locked by machine policy' })),
        );
      }
      const nextUser = mergeLayers(state.userLayer, patch);
      const parsed = SettingsFileSchema.safeParse(nextUser);
      const merged = parsed.success ? Settings.safeParse(mergeLayers(nextUser, state.policyLayer)) : undefined;
      if (!parsed.success || merged === undefined || !merged.success) {
        const error = !parsed.success ? parsed.error : merged?.success === false ? merged.error : undefined;
        throw new StationError(
          'settings/invalid',
          'Invalid settings',
          error === undefined ? [] : fieldIssuesFromZod(error),
        );
      }
      fs.mkdirSync(path.dirname(paths.userFile), { recursive: true });
      writeFileAtomic(paths.userFile, `${JSON.stringify(nextUser, null, 2)}\n`);
      state = load();
      return this.current();
    },
  };
}

import type { ErrorCode, StationErrorShape } from '../../shared/errors.js';
import type { Language } from '../../shared/settings.js';
import { en } from './en.js';
import type { MessageKey } from './vi.js';
import { vi } from './vi.js';

export type { MessageKey } from './vi.js';

/** Values substituted for `{name}` placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Looks up a UI string in the current language. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The strings of every supported language; the compiler refuses a language that misses a key. */
export const messages: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { vi, en };

/** The language the station starts in before settings have loaded. */
export const defaultLanguage: Language = 'vi';

/** Builds `t()` for one language; an unknown placeholder is left visible so a missing parameter shows in review. */
export function createTranslator(language: Language): Translate {
  const table = messages[language];
  return (key, params) => {
    const text = table[key];
    if (params === undefined) return text;
    return text.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const value = params[name];
      return value === undefined ? placeholder : String(value);
    });
  };
}

/** The message key that explains an error code to a clerk. */
export function errorMessageKey(code: ErrorCode): MessageKey {
  return `error.${code}`;
}

/** The clerk-facing text for an error: the translated explanation, never the engine's English log message. */
export function describeError(t: Translate, error: Pick<StationErrorShape, 'code'>): string {
  return t(errorMessageKey(error.code));
}

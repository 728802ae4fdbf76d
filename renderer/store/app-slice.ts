import type { AppInfo } from '../../shared/domain.js';
import type { StationErrorShape } from '../../shared/errors.js';
import type { EffectiveSettings, Language } from '../../shared/settings.js';
import { defaultLanguage } from '../i18n/i18n.js';
import type { ConnectionState, StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet } from './station-store.js';

/** Station-wide state: who we are, the settings in force, the language and the link to the engine. */
export interface AppSlice {
  info: AppInfo | null;
  settings: EffectiveSettings | null;
  /** The language shown; changed at once on a switch, then confirmed by the engine. */
  language: Language;
  connection: ConnectionState;
  /** A failure outside capture (loading settings, switching language), shown in the header. */
  appError: StationErrorShape | null;
  /** Loads the app info and settings; call once at start and after a reconnect. */
  loadApp: () => Promise<void>;
  /** Switches the UI language and saves it in the user's settings. */
  setLanguage: (language: Language) => Promise<void>;
  /** Takes settings the engine reports (after a load, an update or a `settings:changed` event). */
  applySettings: (settings: EffectiveSettings) => void;
  dismissAppError: () => void;
}

/** Whether IT's policy file fixes the UI language. */
export function isLanguageLocked(settings: EffectiveSettings | null): boolean {
  return settings?.locked.some((key) => key === 'ui.language' || key === 'ui') ?? false;
}

/** Creates the app slice. */
export function createAppSlice(client: StationClient, set: SliceSet, get: SliceGet): AppSlice {
  return {
    info: null,
    settings: null,
    language: defaultLanguage,
    connection: 'connecting',
    appError: null,

    async loadApp() {
      const [info, settings] = await Promise.all([client.call('app:info', {}), client.call('settings:get', {})]);
      if (info.ok) set({ info: info.value });
      if (settings.ok) get().applySettings(settings.value);
      const failed = !info.ok ? info.error : !settings.ok ? settings.error : null;
      if (failed !== null) set({ appError: failed });
    },

    async setLanguage(language) {
      const previous = get().language;
      if (language === previous || isLanguageLocked(get().settings)) return;
      set({ language });
      const result = await client.call('settings:update', { patch: { ui: { language } } });
      if (result.ok) {
        get().applySettings(result.value);
      } else {
        set({ language: previous, appError: result.error });
      }
    },

    applySettings(settings) {
      set({ settings, language: settings.values.ui.language });
    },

    dismissAppError() {
      set({ appError: null });
    },
  };
}

import type { Unsubscribe } from '../../shared/api-shape.js';
import type { ScanProfile } from '../../shared/domain.js';
import type { StationErrorShape } from '../../shared/errors.js';
import type { SettingIssue, SettingValue } from '../features/settings/settings-form.js';
import { settingIssuesFromEngine, settingsPatch } from '../features/settings/settings-form.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet, StationStore } from './station-store.js';

/** Where saving the warehouse's client secret stands; the secret itself is never kept in the store. */
export type SecretStatus = 'idle' | 'saving' | 'saved' | 'failed';

/** State of the Cài đặt screen: the settings being edited (on top of those in force in the app slice). */
export interface SettingsScreenSlice {
  /** Edited values by dotted path (`warehouse.url`); empty when nothing is changed. */
  settingsDraft: Record<string, SettingValue>;
  settingsIssues: Record<string, SettingIssue>;
  settingsSaving: boolean;
  settingsOutcome: 'saved' | 'failed' | 'unchanged' | null;
  settingsError: StationErrorShape | null;
  settingsProfiles: ScanProfile[];
  settingsProfilesLoaded: boolean;
  secretStatus: SecretStatus;
  secretError: StationErrorShape | null;

  /** Reads the settings in force, the scan profiles and the scanners. */
  loadSettingsScreen: () => Promise<void>;
  setSettingDraft: (path: string, value: SettingValue) => void;
  discardSettingsDraft: () => void;
  /** Sends the changed settings as one partial patch; false when refused (issues by field). */
  saveSettings: () => Promise<boolean>;
  /** Stores the warehouse's client secret in the engine (sync:set-secret); it is never shown again. */
  setSyncSecret: (secret: string) => Promise<boolean>;
}

/** Creates the settings-screen slice. */
export function createSettingsScreenSlice(client: StationClient, set: SliceSet, get: SliceGet): SettingsScreenSlice {
  async function loadProfiles(): Promise<void> {
    const result = await client.call('profiles:list', {});
    if (result.ok) set({ settingsProfiles: result.value, settingsProfilesLoaded: true });
    else set({ settingsProfilesLoaded: true, settingsError: result.error });
  }

  return {
    settingsDraft: {},
    settingsIssues: {},
    settingsSaving: false,
    settingsOutcome: null,
    settingsError: null,
    settingsProfiles: [],
    settingsProfilesLoaded: false,
    secretStatus: 'idle',
    secretError: null,

    async loadSettingsScreen() {
      const settings = await client.call('settings:get', {});
      if (settings.ok) get().applySettings(settings.value);
      else set({ settingsError: settings.error });
      await Promise.all([loadProfiles(), get().loadDevices()]);
    },

    setSettingDraft(path, value) {
      set((state) => {
        const issues = { ...state.settingsIssues };
        delete issues[path];
        return {
          settingsDraft: { ...state.settingsDraft, [path]: value },
          settingsIssues: issues,
          settingsOutcome: null,
        };
      });
    },

    discardSettingsDraft() {
      set({ settingsDraft: {}, settingsIssues: {}, settingsOutcome: null, settingsError: null });
    },

    async saveSettings() {
      const { settings, settingsDraft, settingsSaving } = get();
      if (settings === null || settingsSaving) return false;
      const { patch, changed, notNumbers } = settingsPatch(settingsDraft, settings.values);
      if (notNumbers.length > 0) {
        set({
          settingsIssues: Object.fromEntries(notNumbers.map((path) => [path, 'number' as const])),
          settingsOutcome: 'failed',
          settingsError: null,
        });
        return false;
      }
      if (changed.length === 0) {
        set({ settingsDraft: {}, settingsIssues: {}, settingsOutcome: 'unchanged', settingsError: null });
        return true;
      }
      set({ settingsSaving: true, settingsIssues: {}, settingsError: null, settingsOutcome: null });
      const result = await client.call('settings:update', { patch });
      if (!result.ok) {
        set({
          settingsSaving: false,
          settingsOutcome: 'failed',
          settingsError: result.error,
          settingsIssues: settingIssuesFromEngine(result.error.code, result.error.fields),
        });
        return false;
      }
      get().applySettings(result.value);
      // Values typed while the save was under way stay in the draft.
      set((state) => ({
        settingsSaving: false,
        settingsOutcome: 'saved',
        settingsDraft: Object.fromEntries(
          Object.entries(state.settingsDraft).filter(([path, value]) => settingsDraft[path] !== value),
        ),
      }));
      if (changed.some((path) => path.startsWith('profiles.') || path.startsWith('scan.'))) {
        await Promise.all([loadProfiles(), get().loadDevices()]);
      }
      return true;
    },

    async setSyncSecret(secret) {
      if (secret === '' || get().secretStatus === 'saving') return false;
      set({ secretStatus: 'saving', secretError: null });
      const result = await client.call('sync:set-secret', { secret });
      set(result.ok ? { secretStatus: 'saved' } : { secretStatus: 'failed', secretError: result.error });
      return result.ok;
    },
  };
}

/** The engine events the settings-screen slice follows; attachEvents calls this once. */
export function attachSettingsScreenEvents(store: StationStore, client: StationClient): Unsubscribe[] {
  return [
    // Settings changed elsewhere (another window, IT's policy): profiles follow them.
    client.on('settings:changed', () => {
      if (!store.getState().settingsProfilesLoaded) return;
      void client.call('profiles:list', {}).then((result) => {
        if (result.ok) store.setState({ settingsProfiles: result.value });
      });
    }),
  ];
}

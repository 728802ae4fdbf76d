import type { FormEvent, ReactNode } from 'react';
import { useEffect, useState } from 'react';
import type { Device } from '../../../shared/domain.js';
import { ErrorDetails } from '../../app/ErrorDetails.js';
import { useShortcuts } from '../../app/shortcuts.js';
import { useStation, useT } from '../../app/station-context.js';
import type { MessageKey } from '../../i18n/i18n.js';
import { describeError } from '../../i18n/i18n.js';
import { isSettingLocked, issueFor, settingValue, settingsPatch } from './settings-form.js';
import { settingsSaveCombo } from './settings-shortcuts.js';
import './settings.css';

/** Settings the screen edits in a box of their own; each has a label `settings.field.<path>`. */
type FieldPath =
  | 'station.id'
  | 'station.agencyId'
  | 'station.agencyName'
  | 'scan.defaultDevice'
  | 'scan.dpi'
  | 'profiles.default'
  | 'warehouse.url'
  | 'warehouse.clientId'
  | 'warehouse.issuer'
  | 'warehouse.scope'
  | 'warehouse.caBundleFile'
  | 'warehouse.sendWindow'
  | 'warehouse.bandwidthKbps'
  | 'warehouse.retentionDays'
  | 'warehouse.allowInsecureLoopback'
  | 'ocr.workers'
  | 'ocr.lowConfidenceThreshold'
  | 'ui.language';

function fieldId(path: string): string {
  return `setting-${path.replace(/\./g, '-')}`;
}

/** The value a control shows: the clerk's edit, else the value in force. */
function useSettingValue(path: string): unknown {
  const draft = useStation((state) => state.settingsDraft[path]);
  const current = useStation((state) =>
    state.settings === null ? undefined : settingValue(state.settings.values, path),
  );
  return draft !== undefined ? draft : current;
}

function useLocked(path: string): boolean {
  return useStation((state) => isSettingLocked(state.settings?.locked ?? [], path));
}

/** The lock mark of a setting IT fixed by policy: a drawn padlock (no emoji font is needed) and the words. */
function LockMark(props: { id: string }) {
  const t = useT();
  return (
    <span id={props.id} className="settings-lock">
      <svg className="settings-lock-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="currentColor" />
      </svg>
      {t('settings.locked')}
    </span>
  );
}

/** Label, lock mark, control, hint and issue of one setting. */
function SettingRow(props: {
  path: string;
  label: string;
  hint?: MessageKey;
  children: (aria: { id: string; disabled: boolean; describedBy: string | undefined; invalid: boolean }) => ReactNode;
  inline?: boolean;
}) {
  const t = useT();
  const locked = useLocked(props.path);
  const issue = useStation((state) => issueFor(state.settingsIssues, props.path));
  const id = fieldId(props.path);
  const describedBy =
    [locked ? `${id}-lock` : null, props.hint !== undefined ? `${id}-hint` : null, issue ? `${id}-issue` : null]
      .filter((item) => item !== null)
      .join(' ') || undefined;
  const control = props.children({ id, disabled: locked, describedBy, invalid: issue !== undefined });
  return (
    <div className={`field settings-field${locked ? ' settings-field-locked' : ''}`}>
      {props.inline ? (
        <div className="settings-inline">
          {control}
          <label htmlFor={id}>{props.label}</label>
          {locked && <LockMark id={`${id}-lock`} />}
        </div>
      ) : (
        <>
          <div className="settings-field-head">
            <label htmlFor={id} className="field-label">
              {props.label}
            </label>
            {locked && <LockMark id={`${id}-lock`} />}
          </div>
          {control}
        </>
      )}
      {props.hint !== undefined && (
        <p id={`${id}-hint`} className="field-hint">
          {t(props.hint)}
        </p>
      )}
      {issue !== undefined && (
        <p id={`${id}-issue`} className="settings-issue">
          {t(`settings.issue.${issue}`)}
        </p>
      )}
    </div>
  );
}

/** A text or number box bound to a setting. */
function SettingInput(props: {
  path: FieldPath;
  hint?: MessageKey;
  type?: 'text' | 'number' | 'url';
  min?: number;
  max?: number;
}) {
  const t = useT();
  const value = useSettingValue(props.path);
  const setDraft = useStation((state) => state.setSettingDraft);
  return (
    <SettingRow path={props.path} label={t(`settings.field.${props.path}`)} hint={props.hint}>
      {(aria) => (
        <input
          id={aria.id}
          className={`input${aria.invalid ? ' input-invalid' : ''}${props.type === 'number' ? ' input-number' : ''}`}
          type={props.type === 'url' ? 'url' : 'text'}
          inputMode={props.type === 'number' ? 'numeric' : undefined}
          value={typeof value === 'string' || typeof value === 'number' ? String(value) : ''}
          disabled={aria.disabled}
          aria-describedby={aria.describedBy}
          aria-invalid={aria.invalid ? true : undefined}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setDraft(props.path, event.target.value)}
        />
      )}
    </SettingRow>
  );
}

function SettingCheckbox(props: { path: FieldPath; hint?: MessageKey }) {
  const t = useT();
  const value = useSettingValue(props.path);
  const setDraft = useStation((state) => state.setSettingDraft);
  return (
    <SettingRow path={props.path} label={t(`settings.field.${props.path}`)} hint={props.hint} inline>
      {(aria) => (
        <input
          id={aria.id}
          type="checkbox"
          checked={value === true}
          disabled={aria.disabled}
          aria-describedby={aria.describedBy}
          aria-invalid={aria.invalid ? true : undefined}
          onChange={(event) => setDraft(props.path, event.target.checked)}
        />
      )}
    </SettingRow>
  );
}

function SettingSelect(props: {
  path: FieldPath;
  options: readonly { value: string; label: string }[];
  hint?: MessageKey;
}) {
  const t = useT();
  const value = useSettingValue(props.path);
  const setDraft = useStation((state) => state.setSettingDraft);
  const current = typeof value === 'string' ? value : '';
  const options = props.options.some((option) => option.value === current)
    ? props.options
    : [{ value: current, label: current }, ...props.options];
  return (
    <SettingRow path={props.path} label={t(`settings.field.${props.path}`)} hint={props.hint}>
      {(aria) => (
        <select
          id={aria.id}
          className={`input${aria.invalid ? ' input-invalid' : ''}`}
          value={current}
          disabled={aria.disabled}
          aria-describedby={aria.describedBy}
          aria-invalid={aria.invalid ? true : undefined}
          onChange={(event) => setDraft(props.path, event.target.value)}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </SettingRow>
  );
}

/** Scanners found, which are allowed, the default one, and the capture resolution. */
function DevicesSection() {
  const t = useT();
  const devices = useStation((state) => state.devices);
  const loadDevices = useStation((state) => state.loadDevices);
  const allowedValue = useSettingValue('scan.allowedDevices');
  const locked = useLocked('scan.allowedDevices');
  const setDraft = useStation((state) => state.setSettingDraft);
  const allowed = Array.isArray(allowedValue) ? (allowedValue as string[]) : [];
  const restrict = allowed.length > 0;

  function toggleRestrict(on: boolean): void {
    setDraft('scan.allowedDevices', on ? devices.filter((device) => device.allowed).map((device) => device.id) : []);
  }

  function toggleDevice(device: Device, on: boolean): void {
    setDraft('scan.allowedDevices', on ? [...allowed, device.id] : allowed.filter((id) => id !== device.id));
  }

  return (
    <section className="card settings-group" aria-labelledby="settings-devices">
      <div className="settings-group-head">
        <h3 id="settings-devices">{t('settings.group.devices')}</h3>
        <button type="button" className="button button-quiet" onClick={() => void loadDevices()}>
          {t('settings.devices.refresh')}
        </button>
      </div>
      <SettingRow
        path="scan.allowedDevices"
        label={t('settings.field.scan.restrict')}
        hint="settings.hint.scan.restrict"
        inline
      >
        {(aria) => (
          <input
            id={aria.id}
            type="checkbox"
            checked={restrict}
            disabled={aria.disabled}
            aria-describedby={aria.describedBy}
            aria-invalid={aria.invalid ? true : undefined}
            onChange={(event) => toggleRestrict(event.target.checked)}
          />
        )}
      </SettingRow>
      {devices.length === 0 ? (
        <p className="empty">{t('settings.devices.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('settings.devices.name')}</th>
              <th scope="col">{t('settings.devices.kind')}</th>
              <th scope="col">{t('settings.devices.allowed')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((device) => (
              <tr key={device.id}>
                <td>
                  {device.name}
                  <div className="settings-muted">{device.id}</div>
                </td>
                <td>{device.kind}</td>
                <td>
                  {restrict ? (
                    <label className="settings-inline">
                      <input
                        type="checkbox"
                        checked={allowed.includes(device.id)}
                        disabled={locked}
                        onChange={(event) => toggleDevice(device, event.target.checked)}
                      />
                      <span className="visually-hidden">{t('settings.devices.allow', { name: device.name })}</span>
                    </label>
                  ) : (
                    <span className={`state ${device.allowed ? 'state-finished' : 'state-failed'}`}>
                      {t(device.allowed ? 'settings.devices.yes' : 'settings.devices.no')}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SettingSelect
        path="scan.defaultDevice"
        options={devices.map((device) => ({ value: device.id, label: device.name }))}
      />
      <SettingInput path="scan.dpi" type="number" hint="settings.hint.scan.dpi" />
    </section>
  );
}

/** The scan profiles in force and the default one. */
function ProfilesSection() {
  const t = useT();
  const profiles = useStation((state) => state.settingsProfiles);
  return (
    <section className="card settings-group" aria-labelledby="settings-profiles">
      <h3 id="settings-profiles">{t('settings.group.profiles')}</h3>
      {profiles.length === 0 ? (
        <p className="empty">{t('settings.profiles.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('settings.profiles.name')}</th>
              <th scope="col">{t('settings.profiles.source')}</th>
              <th scope="col" className="numeric">
                {t('settings.profiles.dpi')}
              </th>
              <th scope="col">{t('settings.profiles.colour')}</th>
              <th scope="col">{t('settings.profiles.size')}</th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((profile) => (
              <tr key={profile.name}>
                <td>
                  {profile.label || profile.name} {profile.isDefault && t('settings.profiles.default')}
                  {profile.locked && (
                    <div>
                      <LockMark id={`profile-${profile.name}-lock`} />
                    </div>
                  )}
                </td>
                <td>
                  {t(`settings.profiles.source.${profile.source}`)}
                  {profile.duplex && `, ${t('settings.profiles.duplex')}`}
                </td>
                <td className="numeric">{profile.dpi}</td>
                <td>{t(`settings.profiles.colour.${profile.colourMode}`)}</td>
                <td>{profile.pageSize.toUpperCase()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SettingSelect
        path="profiles.default"
        options={profiles.map((profile) => ({ value: profile.name, label: profile.label || profile.name }))}
      />
    </section>
  );
}

/**
 * The warehouse's client secret: written once, never read back nor shown. A group inside the
 * settings form (forms do not nest), so Enter in its box stores the secret instead of the settings.
 */
function SecretField() {
  const t = useT();
  const [secret, setSecret] = useState('');
  const status = useStation((state) => state.secretStatus);
  const error = useStation((state) => state.secretError);
  const setSyncSecret = useStation((state) => state.setSyncSecret);

  async function store(): Promise<void> {
    if (await setSyncSecret(secret)) setSecret('');
  }

  return (
    <div className="field settings-secret" role="group" aria-labelledby="setting-secret-label">
      <label id="setting-secret-label" htmlFor="setting-secret" className="field-label">
        {t('settings.secret.label')}
      </label>
      <div className="field-row">
        <input
          id="setting-secret"
          className="input"
          type="password"
          autoComplete="new-password"
          value={secret}
          aria-describedby="setting-secret-hint"
          onChange={(event) => setSecret(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
              event.preventDefault();
              void store();
            }
          }}
        />
        <button
          type="button"
          className="button button-quiet settings-secret-button"
          disabled={secret === '' || status === 'saving'}
          onClick={() => void store()}
        >
          {t('settings.secret.save')}
        </button>
      </div>
      <p id="setting-secret-hint" className="field-hint">
        {t('settings.secret.hint')}
      </p>
      <p className="settings-secret-status" role="status">
        {status === 'saving' && t('settings.secret.saving')}
        {status === 'saved' && t('settings.secret.saved')}
        {status === 'failed' && error !== null && `${t('settings.secret.failed')} ${describeError(t, error)}`}
      </p>
    </div>
  );
}

/** The Cài đặt screen: the station's settings, with those IT locked shown as locked. */
export function SettingsScreen() {
  const t = useT();
  const settings = useStation((state) => state.settings);
  const draft = useStation((state) => state.settingsDraft);
  const saving = useStation((state) => state.settingsSaving);
  const outcome = useStation((state) => state.settingsOutcome);
  const error = useStation((state) => state.settingsError);
  const load = useStation((state) => state.loadSettingsScreen);
  const save = useStation((state) => state.saveSettings);
  const discard = useStation((state) => state.discardSettingsDraft);

  useEffect(() => {
    void load();
  }, [load]);

  useShortcuts({ [settingsSaveCombo]: () => void save() });

  if (settings === null) {
    return (
      <section className="card" aria-labelledby="settings-heading">
        <h2 id="settings-heading" className="card-title">
          {t('settings.heading')}
        </h2>
        <p className="empty" role="status">
          {t('settings.loading')}
        </p>
      </section>
    );
  }

  const pending = settingsPatch(draft, settings.values);
  const pendingCount = pending.changed.length + pending.notNumbers.length;

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void save();
  }

  function status(): string {
    if (saving) return t('settings.saving');
    if (outcome === 'saved') return t('settings.saved');
    if (outcome === 'unchanged') return t('settings.unchanged');
    if (outcome === 'failed') return t('settings.failed');
    if (pendingCount > 0) return t('settings.dirty', { count: pendingCount });
    return '';
  }

  return (
    <div className="settings">
      <form
        className="settings-form"
        onSubmit={submit}
        noValidate
        aria-labelledby="settings-heading"
        aria-busy={saving}
      >
        <header className="card settings-head">
          <h2 id="settings-heading" className="settings-title">
            {t('settings.heading')}
          </h2>
          {settings.locked.length > 0 && <p className="field-hint">{t('settings.lockedNote')}</p>}
        </header>

        {settings.problems.length > 0 && (
          <div className="banner banner-warn" role="note">
            <div className="banner-text">
              <p>{t('settings.problems')}</p>
              <ul>
                {settings.problems.map((problem) => (
                  <li key={`${problem.source}-${problem.key}`}>
                    <code>{problem.key}</code>: {problem.message}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}

        {error !== null && (
          <div className="banner banner-error" role="alert">
            <p className="banner-text">
              <strong>{t('settings.failed')} </strong>
              {describeError(t, error)}
            </p>
            <ErrorDetails error={error} />
          </div>
        )}

        <div className="settings-columns">
          <div className="settings-column">
            <section className="card settings-group" aria-labelledby="settings-station">
              <h3 id="settings-station">{t('settings.group.station')}</h3>
              <SettingInput path="station.id" />
              <SettingInput path="station.agencyId" hint="settings.hint.station.agencyId" />
              <SettingInput path="station.agencyName" />
            </section>
            <DevicesSection />
            <ProfilesSection />
          </div>
          <div className="settings-column">
            <section className="card settings-group" aria-labelledby="settings-warehouse">
              <h3 id="settings-warehouse">{t('settings.group.warehouse')}</h3>
              <SettingInput path="warehouse.url" type="url" hint="settings.hint.warehouse.url" />
              <SettingInput path="warehouse.clientId" />
              <SecretField />
              <SettingInput path="warehouse.issuer" hint="settings.hint.warehouse.issuer" />
              <SettingInput path="warehouse.scope" />
              <SettingInput path="warehouse.sendWindow" hint="settings.hint.warehouse.sendWindow" />
              <SettingInput path="warehouse.bandwidthKbps" type="number" hint="settings.hint.warehouse.bandwidthKbps" />
              <SettingInput path="warehouse.retentionDays" type="number" hint="settings.hint.warehouse.retentionDays" />
              <SettingInput path="warehouse.caBundleFile" />
              <SettingCheckbox path="warehouse.allowInsecureLoopback" />
            </section>
            <section className="card settings-group" aria-labelledby="settings-ocr">
              <h3 id="settings-ocr">{t('settings.group.ocr')}</h3>
              <SettingInput path="ocr.workers" type="number" hint="settings.hint.ocr.workers" />
              <SettingInput
                path="ocr.lowConfidenceThreshold"
                type="number"
                hint="settings.hint.ocr.lowConfidenceThreshold"
              />
            </section>
            <section className="card settings-group" aria-labelledby="settings-ui">
              <h3 id="settings-ui">{t('settings.group.ui')}</h3>
              <SettingSelect
                path="ui.language"
                options={[
                  { value: 'vi', label: t('settings.language.vi') },
                  { value: 'en', label: t('settings.language.en') },
                ]}
              />
            </section>
          </div>
        </div>

        <div className="card settings-actions">
          <p className="settings-status" role="status" aria-live="polite">
            {status()}
          </p>
          <div className="settings-buttons">
            <button
              type="button"
              className="button button-quiet"
              onClick={discard}
              disabled={saving || pendingCount === 0}
            >
              {t('settings.discard')}
            </button>
            <button type="submit" className="button button-primary" disabled={saving} aria-keyshortcuts="Control+S">
              {t('settings.save')} <kbd aria-hidden="true">{t('settings.save.shortcut')}</kbd>
            </button>
          </div>
        </div>
      </form>
    </div>
  );
}

import type { ChangeEvent, FormEvent } from 'react';
import { useId, useRef } from 'react';
import { useStation, useT } from '../../app/station-context.js';
import { isScanBusy } from '../../store/capture-slice.js';
import { useScanShortcuts } from './use-scan-shortcuts.js';

/** Upper bound of one scan request, as the contract allows. */
const maxPageCount = 1000;

/** Device picker, page count and the Scan / Stop buttons; F2 or Ctrl+Enter scans, Esc stops. */
export function ScanForm() {
  const t = useT();
  const ids = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const devices = useStation((state) => state.devices);
  const devicesLoaded = useStation((state) => state.devicesLoaded);
  const selectedDeviceId = useStation((state) => state.selectedDeviceId);
  const pageCount = useStation((state) => state.pageCount);
  const status = useStation((state) => state.status);
  const selectDevice = useStation((state) => state.selectDevice);
  const setPageCount = useStation((state) => state.setPageCount);
  const startScan = useStation((state) => state.startScan);
  const cancelScan = useStation((state) => state.cancelScan);
  const loadDevices = useStation((state) => state.loadDevices);
  const busy = isScanBusy(status);
  const canScan = !busy && selectedDeviceId !== null;

  // Submitting through the form runs the browser's own checks on the count before anything reaches the engine.
  useScanShortcuts({
    onScan: () => {
      if (canScan) formRef.current?.requestSubmit();
    },
    onStop: () => void cancelScan(),
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void startScan();
  }

  function changeCount(event: ChangeEvent<HTMLInputElement>): void {
    const value = event.target.valueAsNumber;
    setPageCount(Number.isInteger(value) && value >= 1 ? Math.min(value, maxPageCount) : null);
  }

  const deviceId = `${ids}-device`;
  const countId = `${ids}-count`;
  const countHintId = `${ids}-count-hint`;

  return (
    <form ref={formRef} className="scan-form" onSubmit={submit} aria-label={t('capture.settings')}>
      <div className="field">
        <label htmlFor={deviceId} className="field-label">
          {t('capture.device')}
        </label>
        <div className="field-row">
          <select
            id={deviceId}
            className="input"
            value={selectedDeviceId ?? ''}
            disabled={busy || devices.length === 0}
            onChange={(event) => selectDevice(event.target.value)}
          >
            {devices.length === 0 && (
              <option value="">{t(devicesLoaded ? 'capture.device.none' : 'capture.device.loading')}</option>
            )}
            {devices.map((device) => (
              <option key={device.id} value={device.id} disabled={!device.allowed}>
                {device.allowed ? device.name : t('capture.device.notAllowed', { name: device.name })}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-quiet button-icon"
            onClick={() => void loadDevices()}
            disabled={busy}
            aria-label={t('capture.device.refresh')}
            title={t('capture.device.refresh')}
          >
            <span aria-hidden="true">⟳</span>
          </button>
        </div>
      </div>

      <div className="field">
        <label htmlFor={countId} className="field-label">
          {t('capture.pageCount')}
        </label>
        <input
          id={countId}
          className="input input-number"
          type="number"
          inputMode="numeric"
          min={1}
          max={maxPageCount}
          step={1}
          value={pageCount ?? ''}
          disabled={busy}
          aria-describedby={countHintId}
          onChange={changeCount}
        />
        <p id={countHintId} className="field-hint">
          {t('capture.pageCount.hint')}
        </p>
      </div>

      <div className="scan-actions">
        {busy ? (
          <button
            type="button"
            className="button button-danger button-large"
            onClick={() => void cancelScan()}
            disabled={status === 'cancelling'}
            aria-keyshortcuts="Escape"
          >
            {t('capture.stop')} <kbd aria-hidden="true">{t('capture.stop.shortcut')}</kbd>
          </button>
        ) : (
          <button
            type="submit"
            className="button button-primary button-large"
            disabled={!canScan}
            aria-keyshortcuts="F2 Control+Enter"
          >
            {t('capture.scan')} <kbd aria-hidden="true">{t('capture.scan.shortcut')}</kbd>
          </button>
        )}
      </div>
    </form>
  );
}

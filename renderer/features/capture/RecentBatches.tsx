import { useMemo } from 'react';
import { useStation, useT } from '../../app/station-context.js';
import type { Language } from '../../../shared/settings.js';

const locales: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };

/** The last batches scanned at this station, newest first, as the engine lists them. */
export function RecentBatches() {
  const t = useT();
  const batches = useStation((state) => state.recentBatches);
  const devices = useStation((state) => state.devices);
  const language = useStation((state) => state.language);
  // Date then time, four-digit year: what a clerk writes in a register, whatever the locale's default order.
  const formats = useMemo(
    () => ({
      date: new Intl.DateTimeFormat(locales[language], { day: '2-digit', month: '2-digit', year: 'numeric' }),
      time: new Intl.DateTimeFormat(locales[language], { hour: '2-digit', minute: '2-digit', hour12: false }),
    }),
    [language],
  );

  function deviceName(deviceId: string): string {
    return devices.find((device) => device.id === deviceId)?.name ?? deviceId;
  }

  function formatDate(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : `${formats.date.format(date)} ${formats.time.format(date)}`;
  }

  return (
    <section className="card" aria-labelledby="batches-heading">
      <h2 id="batches-heading" className="card-title">
        {t('batches.heading')}
      </h2>
      {batches.length === 0 ? (
        <p className="empty">{t('batches.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('batches.startedAt')}</th>
              <th scope="col">{t('batches.device')}</th>
              <th scope="col" className="numeric">
                {t('batches.pages')}
              </th>
              <th scope="col">{t('batches.state')}</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((batch) => (
              <tr key={batch.id}>
                <td>
                  <time dateTime={batch.startedAt}>{formatDate(batch.startedAt)}</time>
                </td>
                <td>{deviceName(batch.deviceId)}</td>
                <td className="numeric">{batch.pageCount}</td>
                <td>
                  <span className={`state state-${batch.state}`}>{t(`batches.state.${batch.state}`)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { useEffect, useMemo } from 'react';
import { useStation, useT } from '../../app/station-context.js';

/** When no document is open: the documents still waiting for their index, each opened with one key. */
export function IndexCandidates() {
  const t = useT();
  const candidates = useStation((state) => state.indexCandidates);
  const loaded = useStation((state) => state.indexCandidatesLoaded);
  const load = useStation((state) => state.loadIndexCandidates);
  const openDocument = useStation((state) => state.openDocument);
  const language = useStation((state) => state.language);
  const format = useMemo(
    () =>
      new Intl.DateTimeFormat(language === 'vi' ? 'vi-VN' : 'en-GB', {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      }),
    [language],
  );

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="card index-candidates" aria-labelledby="index-heading">
      <h2 id="index-heading" className="card-title">
        {t('index.candidates.heading')}
        <span className="count-badge">{candidates.length}</span>
      </h2>
      <p className="field-hint">{t('desk.noDocument')}</p>
      {!loaded ? (
        <p className="empty" role="status">
          {t('index.candidates.loading')}
        </p>
      ) : candidates.length === 0 ? (
        <p className="empty">{t('index.candidates.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('index.candidates.number')}</th>
              <th scope="col" className="numeric">
                {t('index.candidates.pages')}
              </th>
              <th scope="col">{t('index.candidates.state')}</th>
              <th scope="col">{t('index.candidates.created')}</th>
              <th scope="col">{t('index.candidates.action')}</th>
            </tr>
          </thead>
          <tbody>
            {candidates.map((item) => (
              <tr key={item.id}>
                <td>{item.documentNumber ?? t('index.document.unnamed')}</td>
                <td className="numeric">{item.pageCount}</td>
                <td>{t(`workflow.state.${item.state}`)}</td>
                <td>{format.format(new Date(item.createdAt))}</td>
                <td>
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-label={`${t('index.candidates.open')}: ${item.documentNumber ?? t('index.document.unnamed')} (${item.pageCount})`}
                    onClick={() => openDocument(item.id, 'index')}
                  >
                    {t('index.candidates.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

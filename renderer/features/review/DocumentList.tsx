import { useStation, useT } from '../../app/station-context.js';
import type { DocumentSummary } from '../../../shared/domain.js';

/** The documents of the batch under review with their page counts and states; choosing one opens it. */
export function DocumentList() {
  const t = useT();
  const documents = useStation((state) => state.reviewDocuments);
  const openId = useStation((state) => state.reviewDocument?.id ?? null);
  const openDocument = useStation((state) => state.openDocument);

  return (
    <nav className="review-documents card" aria-labelledby="review-documents-heading">
      <h3 id="review-documents-heading" className="card-title">
        {t('review.documents')}
        <span className="count-badge">{documents.length}</span>
      </h3>
      <ol className="review-document-list">
        {documents.map((document, index) => (
          <li key={document.id}>
            <DocumentButton
              document={document}
              name={t('review.document.name', { number: index + 1 })}
              current={document.id === openId}
              onOpen={() => openDocument(document.id, 'review')}
            />
          </li>
        ))}
      </ol>
    </nav>
  );
}

function DocumentButton(props: { document: DocumentSummary; name: string; current: boolean; onOpen: () => void }) {
  const t = useT();
  const { document } = props;
  return (
    <button
      type="button"
      className={props.current ? 'review-document review-document-current' : 'review-document'}
      aria-current={props.current ? 'page' : undefined}
      onClick={props.onOpen}
    >
      <span className="review-document-name">
        {props.name}
        {document.documentNumber !== null && document.documentNumber !== '' && (
          <span className="review-document-number"> · {document.documentNumber}</span>
        )}
      </span>
      <span className="review-document-meta">
        <span>{t('review.document.pages', { count: document.pageCount })}</span>
        <span className={`review-state review-state-${document.state}`}>{t(`workflow.state.${document.state}`)}</span>
      </span>
    </button>
  );
}

/** Documents waiting for review, offered when the screen opens with none chosen. */
export function RecentDocuments() {
  const t = useT();
  const documents = useStation((state) => state.reviewRecent);
  const openDocument = useStation((state) => state.openDocument);
  return (
    <section className="card review-recent" aria-labelledby="review-recent-heading">
      <h3 id="review-recent-heading" className="card-title">
        {t('review.recent')}
      </h3>
      {documents.length === 0 ? (
        <p className="empty">{t('review.recent.empty')}</p>
      ) : (
        <ol className="review-document-list review-document-grid">
          {documents.map((document) => (
            <li key={document.id}>
              <DocumentButton
                document={document}
                name={document.summary ?? document.documentNumber ?? document.createdAt.slice(0, 16).replace('T', ' ')}
                current={false}
                onOpen={() => openDocument(document.id, 'review')}
              />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

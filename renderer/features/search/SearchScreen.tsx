import type { FormEvent, KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useEffect, useRef } from 'react';
import type { SearchHit, SnippetPart } from '../../../shared/domain.js';
import { useShortcuts } from '../../app/shortcuts.js';
import { useStation, useT } from '../../app/station-context.js';
import { searchMaxLength } from '../../store/search-slice.js';
import { describeErrorCode, documentName, workflowTone } from '../queue/queue-format.js';
import { searchCombos } from './search-shortcuts.js';
import './search.css';

/** A snippet with its matches marked; the text keeps its diacritics as the engine returns it. */
export function Snippet(props: { parts: readonly SnippetPart[] }) {
  return (
    <>
      {props.parts.map((part, index) =>
        part.hit ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
      )}
    </>
  );
}

/** One hit: the document's number, summary and step, and where the words were found. */
function SearchResult(props: { hit: SearchHit }) {
  const t = useT();
  const openDocument = useStation((state) => state.openDocument);
  const { document, field, snippet } = props.hit;
  const summary = document.summary?.trim();
  return (
    <li className="search-hit">
      <button
        type="button"
        className="search-hit-open"
        data-document-id={document.id}
        onClick={() => openDocument(document.id, 'review')}
      >
        <span className="search-hit-head">
          <span className="search-hit-number">{documentName(t, document)}</span>
          <span className={`state state-wf-${workflowTone(document.state)}`}>
            {t(`workflow.state.${document.state}`)}
          </span>
          <span className="search-hit-pages">{t('search.result.pages', { count: document.pageCount })}</span>
        </span>
        <span
          className={
            summary === undefined || summary === ''
              ? 'search-hit-summary search-hit-summary-none'
              : 'search-hit-summary'
          }
        >
          {summary === undefined || summary === '' ? t('search.result.noSummary') : summary}
        </span>
        <span className="search-hit-where">{t(`search.field.${field}`)}</span>
        {snippet.length > 0 ? (
          <span className="search-hit-snippet">
            <Snippet parts={snippet} />
          </span>
        ) : null}
      </button>
    </li>
  );
}

function resultButtons(list: HTMLElement | null): HTMLButtonElement[] {
  return list === null ? [] : [...list.querySelectorAll<HTMLButtonElement>('button.search-hit-open')];
}

/** The Tìm kiếm screen: a search box (Ctrl+F or /), hits with highlighted snippets, more, and opening a document. */
export function SearchScreen() {
  const t = useT();
  const text = useStation((state) => state.searchText);
  const query = useStation((state) => state.searchQuery);
  const status = useStation((state) => state.searchStatus);
  const hits = useStation((state) => state.searchHits);
  const more = useStation((state) => state.searchMore);
  const loadingMore = useStation((state) => state.searchLoadingMore);
  const error = useStation((state) => state.searchError);
  const setSearchText = useStation((state) => state.setSearchText);
  const submitSearch = useStation((state) => state.submitSearch);
  const loadMoreHits = useStation((state) => state.loadMoreHits);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  function focusBox(): void {
    input.current?.focus();
    input.current?.select();
  }

  function moveResult(step: 1 | -1): void {
    const buttons = resultButtons(list.current);
    if (buttons.length === 0) return;
    const index = buttons.findIndex((button) => button === document.activeElement);
    if (index === -1) {
      buttons[step === 1 ? 0 : buttons.length - 1]?.focus();
    } else if (index + step < 0) {
      focusBox();
    } else {
      buttons[Math.min(buttons.length - 1, index + step)]?.focus();
    }
  }

  const bindings: Record<string, () => void> = {
    [searchCombos.nextResult]: () => moveResult(1),
    [searchCombos.previousResult]: () => moveResult(-1),
  };
  for (const combo of searchCombos.focus) bindings[combo] = focusBox;
  useShortcuts(bindings);

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void submitSearch();
  }

  function onBoxKey(event: ReactKeyboardEvent<HTMLInputElement>): void {
    if (event.key !== 'ArrowDown' || event.nativeEvent.isComposing) return;
    const first = resultButtons(list.current)[0];
    if (first === undefined) return;
    event.preventDefault();
    first.focus();
  }

  let message: string;
  switch (status) {
    case 'idle':
      message = t('search.idle');
      break;
    case 'searching':
      message = t('search.searching');
      break;
    case 'failed':
      message = t('search.failed', { message: describeErrorCode(t, error?.code ?? 'internal') });
      break;
    case 'done':
      message =
        hits.length === 0
          ? t('search.none', { query })
          : t(more ? 'search.countMore' : 'search.count', { count: hits.length, query });
      break;
  }

  return (
    <div className="search">
      <section className="card search-panel" aria-labelledby="search-heading">
        <h2 id="search-heading" className="card-title">
          {t('search.heading')}
        </h2>
        <form role="search" className="search-form" onSubmit={onSubmit} aria-labelledby="search-heading">
          <label className="field-label" htmlFor="search-box">
            {t('search.label')}
          </label>
          <div className="search-row">
            <input
              ref={input}
              id="search-box"
              className="input search-box"
              type="search"
              autoComplete="off"
              spellCheck={false}
              maxLength={searchMaxLength}
              placeholder={t('search.placeholder')}
              aria-describedby="search-hint"
              aria-keyshortcuts="Control+F /"
              value={text}
              onChange={(event) => setSearchText(event.target.value)}
              onKeyDown={onBoxKey}
            />
            <button type="submit" className="button button-primary">
              {t('search.submit')}
            </button>
          </div>
          <p id="search-hint" className="field-hint">
            {t('search.hint')}
          </p>
        </form>
      </section>
      <section className="card search-results" aria-label={t('search.results')}>
        <p
          className={status === 'failed' ? 'search-status search-status-failed' : 'search-status'}
          role="status"
          aria-live="polite"
        >
          {message}
        </p>
        {hits.length > 0 ? (
          <ol className="search-hits" ref={list}>
            {hits.map((hit) => (
              <SearchResult key={`${hit.document.id}:${hit.field}`} hit={hit} />
            ))}
          </ol>
        ) : null}
        {status === 'done' && error !== null ? (
          <p className="search-status search-status-failed" role="alert">
            {t('search.failed', { message: describeErrorCode(t, error.code) })}
          </p>
        ) : null}
        {status === 'done' && more ? (
          <button
            type="button"
            className="button button-quiet search-more"
            disabled={loadingMore}
            onClick={() => void loadMoreHits()}
          >
            {loadingMore ? t('search.loadingMore') : t('search.more')}
          </button>
        ) : null}
      </section>
    </div>
  );
}

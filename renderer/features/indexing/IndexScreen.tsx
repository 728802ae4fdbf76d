import type { FormEvent } from 'react';
import { useEffect, useMemo, useRef } from 'react';
import { localIsoDate, metadataMaxLengths } from '../../../shared/metadata-validation.js';
import { ErrorDetails } from '../../app/ErrorDetails.js';
import { useShortcuts } from '../../app/shortcuts.js';
import { useStation, useT } from '../../app/station-context.js';
import type { Translate } from '../../i18n/i18n.js';
import { describeError } from '../../i18n/i18n.js';
import { IndexCandidates } from './IndexCandidates.js';
import { indexFieldId, indexErrorId, IndexTextField } from './IndexTextField.js';
import { indexFinishCombo, indexSaveCombo } from './indexing-shortcuts.js';
import type { EngineFieldName, IndexFieldName } from './metadata-form.js';
import { isIndexFormDirty, validateIndexForm } from './metadata-form.js';
import { indexableStates } from '../../store/indexing-slice.js';
import './indexing.css';

/** The order issues are listed in the summary: the order of the form. */
const fieldOrder: readonly EngineFieldName[] = [
  'documentNumber',
  'issuedDate',
  'summary',
  'issuingAgency',
  'signer',
  'kind',
  'validity',
  'permanent',
  'validUntil',
  'validityScope',
  'ownerId',
  'ownerName',
  'dossierCode',
  'procedureCode',
  'sectorCode',
  'resultTypeCode',
  'classified',
  'outOfScope',
  'digitizationCode',
];

function fieldLabel(t: Translate, field: EngineFieldName): string {
  return field === 'digitizationCode' ? t('index.group.code') : t(`index.field.${field}`);
}

/** The issues shown now, translated, by field: the form's own checks, then what the engine refused. */
function useVisibleIssues(): Partial<Record<EngineFieldName, string>> {
  const t = useT();
  const form = useStation((state) => state.indexForm);
  const mode = useStation((state) => state.indexShowIssues);
  const blurred = useStation((state) => state.indexBlurred);
  const engine = useStation((state) => state.indexEngineIssues);
  return useMemo(() => {
    const shown: Partial<Record<EngineFieldName, string>> = {};
    if (form === null) return shown;
    const issues = validateIndexForm(form, { today: localIsoDate(new Date()), mode: mode ?? 'save' });
    for (const [field, issue] of Object.entries(issues) as [IndexFieldName, { code: string; max?: number }][]) {
      if (mode === null && blurred[field] !== true) continue;
      shown[field] = t(`index.issue.${issue.code}` as 'index.issue.required', { max: issue.max ?? 0 });
    }
    for (const [field, message] of Object.entries(engine) as [EngineFieldName, string][]) {
      shown[field] ??= message === 'required' ? t('index.issue.required') : t('index.issue.engine');
    }
    return shown;
  }, [form, mode, blurred, engine, t]);
}

/** The Biên mục screen: the metadata form of the open document, its code, Save and Finish. */
export function IndexScreen() {
  const openDocumentId = useStation((state) => state.openDocumentId);
  const indexDocumentId = useStation((state) => state.indexDocumentId);
  const loadIndexDocument = useStation((state) => state.loadIndexDocument);

  useEffect(() => {
    if (openDocumentId !== null && openDocumentId !== indexDocumentId) void loadIndexDocument(openDocumentId);
  }, [openDocumentId, indexDocumentId, loadIndexDocument]);

  if (openDocumentId === null) return <IndexCandidates />;
  return <IndexForm />;
}

function IndexForm() {
  const t = useT();
  const detail = useStation((state) => state.indexDetail);
  const form = useStation((state) => state.indexForm);
  const stored = useStation((state) => state.indexStored);
  const busy = useStation((state) => state.indexBusy);
  const outcome = useStation((state) => state.indexOutcome);
  const error = useStation((state) => state.indexError);
  const qr = useStation((state) => state.indexQr);
  const proposedCode = useStation((state) => state.indexProposedCode);
  const setField = useStation((state) => state.setIndexField);
  const saveIndex = useStation((state) => state.saveIndex);
  const finishIndex = useStation((state) => state.finishIndex);
  const dismissError = useStation((state) => state.dismissIndexError);
  const openDocument = useStation((state) => state.openDocument);
  const issues = useVisibleIssues();
  const summaryRef = useRef<HTMLDivElement>(null);

  useShortcuts({
    [indexSaveCombo]: () => void saveIndex(),
    [indexFinishCombo]: () => void finishIndex(),
  });

  // A refused action moves the focus to the list of what to fix, as screen-reader users expect.
  useEffect(() => {
    if (outcome === 'invalid') summaryRef.current?.focus();
  }, [outcome]);

  if (detail === null || form === null) {
    return (
      <section className="card index" aria-labelledby="index-heading" aria-busy={busy === 'loading'}>
        <h2 id="index-heading" className="card-title">
          {t('index.heading')}
        </h2>
        {error !== null ? (
          <div className="banner banner-error" role="alert">
            <p className="banner-text">{describeError(t, error)}</p>
            <ErrorDetails error={error} />
          </div>
        ) : (
          <p className="empty" role="status">
            {t('index.loading')}
          </p>
        )}
      </section>
    );
  }

  const working = busy !== 'idle';
  const dirty = stored !== null && isIndexFormDirty(form, stored);
  // Metadata may change until the document is sealed; a sealed one may still be sent on.
  const editable = indexableStates.includes(detail.state);
  const canFinish = editable || detail.state === 'sealed';
  const finishRefused = outcome === 'finish-failed';
  const listed = fieldOrder.filter((field) => issues[field] !== undefined);
  const code = detail.metadata.digitizationCode;
  const issue = (field: EngineFieldName): string | undefined => issues[field];

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void saveIndex();
  }

  function status(): string {
    if (busy === 'saving') return t('index.saving');
    if (busy === 'finishing') return t('index.finishing');
    if (detail === null) return '';
    if (outcome === 'saved') return t('index.saved');
    if (outcome === 'finish-failed') return t('index.refused');
    if (outcome === 'save-failed') return t('index.saveFailed');
    if (outcome === 'finished') {
      return detail.blocked === null
        ? t('index.finished', { state: t(`workflow.state.${detail.state}`) })
        : t('index.finished.blocked', { reason: t(`index.blocked.${detail.blocked}`) });
    }
    if (dirty) return t('index.unsaved');
    return '';
  }

  return (
    <form className="index" onSubmit={submit} noValidate aria-labelledby="index-heading" aria-busy={working}>
      <header className="card index-head">
        <div>
          <h2 id="index-heading" className="index-title">
            {t('index.heading')}
          </h2>
          <p className="index-subtitle">
            {t('index.document', {
              number: detail.documentNumber ?? t('index.document.unnamed'),
              pages: detail.pageCount,
            })}
          </p>
        </div>
        <div className="index-head-badges">
          <span className={`state index-state index-state-${detail.state}`}>
            {t('index.state', { state: t(`workflow.state.${detail.state}`) })}
          </span>
          {detail.blocked !== null && (
            <span className="state index-blocked">{t(`index.blocked.${detail.blocked}`)}</span>
          )}
          <button type="button" className="button button-quiet" onClick={() => openDocument(detail.id, 'review')}>
            {t('index.toReview')}
          </button>
        </div>
      </header>

      {listed.length > 0 && (
        <div ref={summaryRef} className="banner banner-error index-summary" role="alert" tabIndex={-1}>
          <div className="banner-text">
            <p>
              <strong>{t('index.summary.title', { count: listed.length })}</strong>
            </p>
            <ul>
              {listed.map((field) => (
                <li key={field}>
                  <a
                    href={`#${indexFieldId(field)}`}
                    onClick={(event) => {
                      event.preventDefault();
                      document.getElementById(indexFieldId(field))?.focus();
                    }}
                  >
                    {fieldLabel(t, field)}
                  </a>
                  : {issues[field]}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}

      {error !== null && (
        <div className="banner banner-error" role="alert">
          <p className="banner-text">
            <strong>{t(finishRefused ? 'index.refused' : 'index.saveFailed')} </strong>
            {describeError(t, error)}
          </p>
          <div className="banner-actions">
            <button type="button" className="button button-quiet" onClick={dismissError}>
              {t('index.dismiss')}
            </button>
          </div>
          <ErrorDetails error={error} />
        </div>
      )}

      <div className="index-body">
        <div className="index-columns">
          <fieldset className="card index-group" disabled={!editable}>
            <legend>{t('index.group.document')}</legend>
            <p className="field-hint">{t('index.requiredNote')}</p>
            <IndexTextField
              field="documentNumber"
              issue={issue('documentNumber')}
              required
              hint="index.hint.documentNumber"
              maxLength={metadataMaxLengths.documentNumber}
            />
            <IndexTextField
              field="issuedDate"
              issue={issue('issuedDate')}
              required
              hint="index.hint.date"
              placeholder="dd/mm/yyyy"
              className="index-field-date"
            />
            <IndexTextField field="summary" issue={issue('summary')} multiline maxLength={metadataMaxLengths.summary} />
            <IndexTextField
              field="issuingAgency"
              issue={issue('issuingAgency')}
              maxLength={metadataMaxLengths.issuingAgency}
            />
            <IndexTextField field="signer" issue={issue('signer')} maxLength={metadataMaxLengths.signer} />
            <div className="field index-field">
              <label htmlFor={indexFieldId('kind')} className="field-label">
                {t('index.field.kind')}
              </label>
              <select
                id={indexFieldId('kind')}
                className="input"
                value={form.kind}
                aria-invalid={issue('kind') ? true : undefined}
                aria-describedby={issue('kind') ? indexErrorId('kind') : undefined}
                onChange={(event) => setField('kind', event.target.value as '' | '0' | '1')}
              >
                <option value="">{t('index.kind.none')}</option>
                <option value="1">{t('index.kind.1')}</option>
                <option value="0">{t('index.kind.0')}</option>
              </select>
              {issue('kind') && (
                <p id={indexErrorId('kind')} className="index-issue">
                  {issue('kind')}
                </p>
              )}
            </div>
          </fieldset>

          <div className="index-column">
            <fieldset className="card index-group" disabled={!editable}>
              <legend>{t('index.group.validity')}</legend>
              <div
                className="index-radios"
                role="radiogroup"
                aria-labelledby="index-validity-label"
                id={indexFieldId('validity')}
                tabIndex={-1}
              >
                <span id="index-validity-label" className="field-label">
                  {t('index.field.validity')}
                </span>
                {(['valid', 'expired', 'cancelled'] as const).map((value) => (
                  <label key={value} className="index-choice">
                    <input
                      type="radio"
                      name="index-validity"
                      value={value}
                      checked={form.validity === value}
                      onChange={() => setField('validity', value)}
                    />
                    {t(`index.validity.${value}`)}
                  </label>
                ))}
              </div>
              {form.validity === 'cancelled' && <p className="field-hint">{t('index.validity.cancelledNote')}</p>}
              {issue('validity') && <p className="index-issue">{issue('validity')}</p>}
              <label className="index-choice">
                <input
                  id={indexFieldId('permanent')}
                  type="checkbox"
                  checked={form.permanent}
                  onChange={(event) => setField('permanent', event.target.checked)}
                />
                {t('index.field.permanent')}
              </label>
              <IndexTextField
                field="validUntil"
                issue={form.permanent ? undefined : issue('validUntil')}
                hint="index.hint.date"
                placeholder="dd/mm/yyyy"
                disabled={form.permanent}
                className="index-field-date"
              />
              <IndexTextField
                field="validityScope"
                issue={issue('validityScope')}
                maxLength={metadataMaxLengths.validityScope}
              />
            </fieldset>

            <fieldset className="card index-group" disabled={!editable}>
              <legend>{t('index.group.owner')}</legend>
              <IndexTextField field="ownerId" issue={issue('ownerId')} maxLength={metadataMaxLengths.ownerId} />
              <IndexTextField field="ownerName" issue={issue('ownerName')} maxLength={metadataMaxLengths.ownerName} />
            </fieldset>

            <fieldset className="card index-group" disabled={!editable}>
              <legend>{t('index.group.procedure')}</legend>
              <IndexTextField field="dossierCode" issue={issue('dossierCode')} hint="index.hint.dossierCode" />
              <IndexTextField
                field="procedureCode"
                issue={issue('procedureCode')}
                maxLength={metadataMaxLengths.procedureCode}
              />
              <IndexTextField
                field="sectorCode"
                issue={issue('sectorCode')}
                maxLength={metadataMaxLengths.sectorCode}
              />
              <IndexTextField
                field="resultTypeCode"
                issue={issue('resultTypeCode')}
                maxLength={metadataMaxLengths.resultTypeCode}
              />
            </fieldset>
          </div>

          <div className="index-column">
            <fieldset className="card index-group" disabled={!editable}>
              <legend>{t('index.group.scope')}</legend>
              <label className="index-choice index-classified">
                <input
                  id={indexFieldId('classified')}
                  type="checkbox"
                  checked={form.classified}
                  aria-describedby={form.classified ? 'index-classified-warning' : undefined}
                  onChange={(event) => setField('classified', event.target.checked)}
                />
                {t('index.field.classified')}
              </label>
              {form.classified && (
                <p id="index-classified-warning" className="index-warning" role="note">
                  {t('index.classified.warning')}
                </p>
              )}
              <div className="field index-field">
                <label htmlFor={indexFieldId('outOfScope')} className="field-label">
                  {t('index.field.outOfScope')}
                </label>
                <select
                  id={indexFieldId('outOfScope')}
                  className="input"
                  value={form.outOfScope}
                  aria-describedby={form.outOfScope !== '' ? 'index-scope-warning' : undefined}
                  onChange={(event) => setField('outOfScope', event.target.value as '' | 'photocopy' | 'national-db')}
                >
                  <option value="">{t('index.outOfScope.none')}</option>
                  <option value="photocopy">{t('index.outOfScope.photocopy')}</option>
                  <option value="national-db">{t('index.outOfScope.national-db')}</option>
                </select>
                {form.outOfScope !== '' && (
                  <p id="index-scope-warning" className="index-warning" role="note">
                    {t('index.outOfScope.warning')}
                  </p>
                )}
              </div>
            </fieldset>

            <section className="card index-group index-code" aria-labelledby="index-code-heading">
              <h3 id="index-code-heading" className="index-group-title">
                {t('index.group.code')}
              </h3>
              <p className="field-label">{t(code !== null ? 'index.code.assigned' : 'index.code.proposed')}</p>
              <p
                className={(code ?? proposedCode) ? 'index-code-value' : 'index-code-unknown'}
                id={indexFieldId('digitizationCode')}
                tabIndex={-1}
              >
                {code ?? proposedCode ?? t('index.code.unknown')}
              </p>
              {issue('digitizationCode') && <p className="index-issue">{issue('digitizationCode')}</p>}
              <p className="field-hint">{t('index.code.note')}</p>
            </section>

            {qr.length > 0 && (
              <section className="card index-group" aria-labelledby="index-qr-heading">
                <h3 id="index-qr-heading" className="index-group-title">
                  {t('index.qr.heading')}
                </h3>
                <ul className="index-qr">
                  {qr.map((finding, at) => (
                    <li key={`${finding.pageId}-${at}`}>
                      <code>{finding.text}</code>
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </div>
        </div>
      </div>

      <div className="card index-actions">
        <p className="index-status" role="status" aria-live="polite">
          {status()}
        </p>
        {busy === 'finishing' && <progress className="index-progress" aria-label={t('index.finishing')} />}
        <div className="index-buttons">
          <button
            type="submit"
            className="button button-quiet"
            disabled={working || !editable}
            aria-keyshortcuts="Control+S"
          >
            {t('index.save')} <kbd aria-hidden="true">{t('index.save.shortcut')}</kbd>
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={working || !canFinish}
            aria-keyshortcuts="Control+Enter"
            onClick={() => void finishIndex()}
          >
            {t('index.finish')} <kbd aria-hidden="true">{t('index.finish.shortcut')}</kbd>
          </button>
        </div>
      </div>
    </form>
  );
}

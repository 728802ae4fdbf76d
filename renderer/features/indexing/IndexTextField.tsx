import { useStation, useT } from '../../app/station-context.js';
import type { MessageKey } from '../../i18n/i18n.js';
import type { IndexTextField as IndexTextFieldName } from './metadata-form.js';

/** The id of a field's control, so the summary of issues can link to it. */
export function indexFieldId(field: string): string {
  return `index-field-${field}`;
}

/** The id of a field's error message. */
export function indexErrorId(field: string): string {
  return `index-error-${field}`;
}

/**
 * One text box of the index form: label, "từ OCR" / "từ mã QR" chip while the pre-filled value is
 * untouched, hint, and the issue right below it (aria-invalid, aria-describedby).
 *
 * The value is kept exactly as typed (Telex/VNI compose letters in place, so nothing rewrites it
 * while typing); it is normalised to NFC when saved.
 */
export function IndexTextField(props: {
  field: IndexTextFieldName;
  /** The issue to show, already translated; undefined when the value is fine. */
  issue: string | undefined;
  required?: boolean;
  hint?: MessageKey;
  maxLength?: number;
  multiline?: boolean;
  disabled?: boolean;
  placeholder?: string;
  className?: string;
}) {
  const t = useT();
  const { field, issue } = props;
  const value = useStation((state) => state.indexForm?.[field] ?? '');
  const source = useStation((state) => state.indexSources[field]);
  const setField = useStation((state) => state.setIndexField);
  const blurField = useStation((state) => state.blurIndexField);
  const id = indexFieldId(field);
  const hintId = `${id}-hint`;
  const errorId = indexErrorId(field);
  const describedBy = [
    props.hint !== undefined || props.maxLength !== undefined ? hintId : null,
    issue ? errorId : null,
  ]
    .filter((item) => item !== null)
    .join(' ');
  const chip = source !== undefined && source.value === value ? source.source : null;

  const common = {
    id,
    className: `input${issue ? ' input-invalid' : ''}`,
    value,
    disabled: props.disabled,
    'aria-invalid': issue ? true : undefined,
    'aria-required': props.required ? true : undefined,
    'aria-describedby': describedBy === '' ? undefined : describedBy,
    autoComplete: 'off',
    spellCheck: false,
    onBlur: () => blurField(field),
  } as const;

  return (
    <div className={`field index-field${props.className === undefined ? '' : ` ${props.className}`}`}>
      <div className="index-field-head">
        <label htmlFor={id} className="field-label">
          {t(`index.field.${field}`)}
          {props.required && (
            <span className="index-required" aria-hidden="true">
              {' '}
              *
            </span>
          )}
        </label>
        {chip !== null && (
          <span
            className={`index-chip index-chip-${chip}`}
            title={t('index.source.title', { source: t(`index.source.${chip}`) })}
          >
            {t(`index.source.${chip}`)}
          </span>
        )}
      </div>
      {props.multiline ? (
        <textarea {...common} rows={3} onChange={(event) => setField(field, event.target.value)} />
      ) : (
        <input
          {...common}
          type="text"
          placeholder={props.placeholder}
          onChange={(event) => setField(field, event.target.value)}
        />
      )}
      {(props.hint !== undefined || props.maxLength !== undefined) && (
        <p id={hintId} className="field-hint">
          {props.hint !== undefined && t(props.hint)}
          {props.hint !== undefined && props.maxLength !== undefined && ' '}
          {props.maxLength !== undefined && t('index.hint.length', { max: props.maxLength })}
        </p>
      )}
      {issue && (
        <p id={errorId} className="index-issue">
          {issue}
        </p>
      )}
    </div>
  );
}

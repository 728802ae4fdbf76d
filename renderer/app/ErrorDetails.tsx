import type { StationErrorShape } from '../../shared/errors.js';
import { useT } from './station-context.js';

/** The engine's code and English message, folded away: for IT on the phone, not for the clerk. */
export function ErrorDetails(props: { error: StationErrorShape }) {
  const t = useT();
  const { code, message, fields } = props.error;
  return (
    <details className="error-details">
      <summary>{t('error.details')}</summary>
      <code>
        {code}: {message}
        {fields?.map((field) => `\n${field.path}: ${field.message}`).join('')}
      </code>
    </details>
  );
}

import type { SnippetPart } from '../../../../shared/domain.js';
import type { CliCommand } from '../command.js';
import { UsageError, call, integerOption, print } from '../command.js';

function render(parts: SnippetPart[]): string {
  return parts.map((part) => (part.hit ? `[${part.text}]` : part.text)).join('');
}

export const searchCommand: CliCommand = {
  name: 'search',
  usage: 'search QUERY [--limit N]',
  summary: 'find documents by OCR text and metadata, diacritics ignored (quyet dinh finds quyết định)',
  options: { limit: { type: 'string' } },
  async run(context) {
    const query = context.args.join(' ').trim();
    if (query === '') throw new UsageError('search needs the words to look for');
    const limit = integerOption(context.values.limit, 'limit', 1, 100);
    const result = await call(context.engine, 'search:query', limit === undefined ? { query } : { query, limit });
    const human =
      result.hits.length === 0
        ? `No document matches "${query}".`
        : result.hits
            .map((hit, index) => {
              const title = hit.document.documentNumber ?? hit.document.summary ?? hit.document.id;
              return `${index + 1}. ${title}  (${hit.document.state}, ${hit.document.pageCount} page(s), ${hit.document.id})\n   ${render(hit.snippet)}`;
            })
            .join('\n') + (result.more ? '\n…more: use --limit' : '');
    print(context, { ok: true, query, ...result }, human);
    return 0;
  },
};

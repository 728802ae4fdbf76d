import type { Database } from 'better-sqlite3';
import type { SearchHit } from '../../../shared/domain.js';
import type { DocumentsRepository } from './documents-repository.js';
import type { ParsedQuery } from './search-index.js';
import { foldText, metadataText, pageTexts, parseQuery, searchIndex, snippetOf } from './search-index.js';

/** The snippet of the first page that holds a query word: a hit needs one page, not the whole document. */
function bodySnippet(db: Database, documentId: string, query: ParsedQuery): ReturnType<typeof snippetOf> {
  for (const text of pageTexts(db, documentId)) {
    const folded = foldText(text);
    if (!query.terms.some((term) => folded.includes(term.words[0] ?? ''))) continue;
    const cut = snippetOf(text, query);
    if (cut.hits > 0) return cut;
  }
  return { parts: [], hits: 0 };
}

/** Search over OCR text and metadata, diacritics ignored, best first, with snippets in the original spelling. */
export interface SearchService {
  query(
    text: string,
    options?: { limit?: number | undefined; offset?: number | undefined },
  ): { hits: SearchHit[]; more: boolean };
}

export function createSearchService(db: Database, documents: DocumentsRepository): SearchService {
  const idOf = db.prepare(`SELECT id FROM documents WHERE seq = ?`).pluck();
  return {
    query(text, options = {}) {
      const parsed = parseQuery(text);
      if (parsed === undefined) return { hits: [], more: false };
      const limit = options.limit ?? 20;
      const rows = searchIndex(db, parsed, { limit: limit + 1, offset: options.offset ?? 0 });
      const hits: SearchHit[] = [];
      for (const row of rows.slice(0, limit)) {
        const id = idOf.get(row.seq) as string | undefined;
        if (id === undefined) continue;
        const body = bodySnippet(db, id, parsed);
        const useBody = body.hits > 0;
        const snippet = useBody ? body : snippetOf(metadataText(db, id), parsed);
        hits.push({
          document: documents.summary(id),
          score: row.score,
          field: useBody ? 'text' : 'metadata',
          snippet: snippet.parts,
        });
      }
      return { hits, more: rows.length > limit };
    },
  };
}

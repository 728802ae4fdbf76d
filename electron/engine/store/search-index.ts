import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';
import type { SnippetPart } from '../../../shared/domain.js';

/**
 * Full-text search over OCR text and metadata that ignores Vietnamese diacritics.
 *
 * SQLite's unicode61 tokenizer removes combining marks but cannot fold `đ`/`Đ` (U+0111/U+0110 have
 * no decomposition), so the text is folded here before it is indexed, and queries are folded the
 * same way. Folding keeps the length of the text (one UTF-16 unit for one), so an offset in the
 * folded text is the same offset in the original: snippets are cut from the original text and keep
 * its diacritics. The FTS table is contentless (nothing is stored twice); its rowid is
 * `-documents.seq`, so FTS5's cheap ascending walk meets the newest documents first.
 */

const foldCache = new Map<string, string>();

function foldUnit(unit: string): string {
  const cached = foldCache.get(unit);
  if (cached !== undefined) return cached;
  let folded = unit.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
  // Keep one unit for one unit, so offsets carry over to the original text.
  if (folded.length !== 1) folded = unit.toLowerCase().length === 1 ? unit.toLowerCase() : unit;
  foldCache.set(unit, folded);
  return folded;
}

/** Lower case without diacritics, `đ` → `d`; the result has exactly the length of the input. */
export function foldText(text: string): string {
  let out = '';
  let plainStart = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80 && !(code >= 0x41 && code <= 0x5a)) continue;
    out += text.slice(plainStart, i) + (code < 0x80 ? String.fromCharCode(code + 32) : foldUnit(text[i] ?? ''));
    plainStart = i + 1;
  }
  return plainStart === 0 ? text : out + text.slice(plainStart);
}

const tokenPattern = /[\p{L}\p{N}\p{M}]+/gu;

/** The words of a text with their offsets (letters, digits and marks, as unicode61 splits them). */
export function tokenize(text: string): { word: string; start: number; end: number }[] {
  return [...text.matchAll(tokenPattern)].map((match) => ({
    word: match[0],
    start: match.index,
    end: match.index + match[0].length,
  }));
}

export interface ParsedQuery {
  /** Each term is a word or a phrase (words in quotes); the last bare word also matches as a prefix. */
  terms: { words: string[]; prefix: boolean }[];
  /** The FTS5 MATCH expression, built only from quoted folded words, so no query can inject syntax. */
  match: string;
}

/** Folds and splits what the clerk typed; undefined when it holds no word. */
export function parseQuery(query: string): ParsedQuery | undefined {
  const folded = foldText(query.normalize('NFC'));
  const terms: ParsedQuery['terms'] = [];
  const parts = folded.split('"');
  parts.forEach((part, index) => {
    const words = tokenize(part).map((token) => token.word);
    if (words.length === 0) return;
    if (index % 2 === 1) terms.push({ words, prefix: false });
    else for (const word of words) terms.push({ words: [word], prefix: false });
  });
  const last = terms.at(-1);
  // Search as you type: the last bare word may be unfinished. Single letters stay whole words,
  // since a one-letter prefix matches nearly every document.
  if (
    last !== undefined &&
    last.words.length === 1 &&
    !folded.trimEnd().endsWith('"') &&
    (last.words[0] ?? '').length > 1
  ) {
    last.prefix = true;
  }
  if (terms.length === 0) return undefined;
  const match = terms.map((term) => `"${term.words.join(' ')}"${term.prefix ? '*' : ''}`).join(' AND ');
  return { terms, match };
}

/** Longest stretch of text a snippet looks at. */
const snippetScanChars = 4000;

/**
 * Cuts a snippet of about `width` words from the original text around the best cluster of hits;
 * hit words are marked. Matching is on the folded text, so `quyet` marks `Quyết`.
 */
export function snippetOf(text: string, query: ParsedQuery, width = 24): { parts: SnippetPart[]; hits: number } {
  if (text.length > snippetScanChars) {
    // A document of many pages: look only around the first place a query word appears, so the
    // cost of a snippet does not grow with the document.
    const folded = foldText(text);
    // Anchor at the rarest word, where the match is most telling (a common word is everywhere).
    let anchor = 0;
    let fewest = Infinity;
    for (const term of query.terms) {
      const word = term.words[0] ?? '';
      let count = 0;
      for (let at = folded.indexOf(word); at >= 0 && count < fewest; at = folded.indexOf(word, at + 1)) count += 1;
      if (count > 0 && count < fewest) {
        fewest = count;
        anchor = folded.indexOf(word);
      }
    }
    const from = Math.max(0, text.lastIndexOf(' ', Math.max(0, anchor - snippetScanChars / 4)));
    const to = text.indexOf(' ', Math.min(text.length, from + snippetScanChars));
    const inner = cutSnippet(text.slice(from, to < 0 ? text.length : to), query, width);
    const parts = [...inner.parts];
    if (from > 0 && parts[0]?.text.startsWith('…') !== true) parts.unshift({ text: '…', hit: false });
    if (to >= 0 && parts.at(-1)?.text.endsWith('…') !== true) parts.push({ text: '…', hit: false });
    return { parts, hits: inner.hits };
  }
  return cutSnippet(text, query, width);
}

function cutSnippet(text: string, query: ParsedQuery, width: number): { parts: SnippetPart[]; hits: number } {
  const tokens = tokenize(text);
  const folded = foldText(text);
  const hitAt = new Array<boolean>(tokens.length).fill(false);
  const termAt = new Array<number>(tokens.length).fill(-1);
  query.terms.forEach((term, termIndex) => {
    for (let i = 0; i + term.words.length <= tokens.length; i += 1) {
      const ok = term.words.every((word, k) => {
        const token = tokens[i + k];
        if (token === undefined) return false;
        const candidate = folded.slice(token.start, token.end);
        const isLast = k === term.words.length - 1;
        return isLast && term.prefix ? candidate.startsWith(word) : candidate === word;
      });
      if (!ok) continue;
      for (let k = 0; k < term.words.length; k += 1) {
        hitAt[i + k] = true;
        termAt[i + k] = termIndex;
      }
    }
  });
  const hits = hitAt.filter(Boolean).length;
  if (tokens.length === 0) return { parts: [], hits: 0 };
  // The window of `width` tokens holding the most distinct terms, then the most hits; windows
  // start at a hit, so the cost follows the hits, not the length of the text.
  const hitIndexes: number[] = [];
  hitAt.forEach((hit, index) => {
    if (hit) hitIndexes.push(index);
  });
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < hitIndexes.length; i += 1) {
    const from = hitIndexes[i] ?? 0;
    const seen = new Set<number>();
    let count = 0;
    for (let j = i; j < hitIndexes.length && (hitIndexes[j] ?? Infinity) < from + width; j += 1) {
      seen.add(termAt[hitIndexes[j] ?? 0] ?? -1);
      count += 1;
    }
    const score = seen.size * 1000 + count;
    if (score > bestScore) {
      bestScore = score;
      best = from;
    }
  }
  // Start a little before the first hit of the window so it has some context.
  const start = Math.max(0, best - 4);
  const end = Math.min(tokens.length, start + width);
  const parts: SnippetPart[] = [];
  const push = (partText: string, hit: boolean): void => {
    if (partText === '') return;
    const previous = parts.at(-1);
    if (previous !== undefined && previous.hit === hit) previous.text += partText;
    else parts.push({ text: partText, hit });
  };
  const from = tokens[start]?.start ?? 0;
  const to = tokens[end - 1]?.end ?? text.length;
  if (from > 0) push('…', false);
  let cursor = from;
  for (let i = start; i < end; i += 1) {
    const token = tokens[i];
    if (token === undefined) continue;
    const gap = text.slice(cursor, token.start).replace(/\s+/g, ' ');
    // Two matched words with only space between read as one highlighted phrase.
    push(gap, i > start && hitAt[i] === true && hitAt[i - 1] === true && gap === ' ');
    push(text.slice(token.start, token.end), hitAt[i] === true);
    cursor = token.end;
  }
  if (to < text.length) push('…', false);
  return { parts, hits };
}

/** The text of a document's metadata that search looks at, in a fixed order. */
export function metadataText(db: Database, documentId: string): string {
  const row = statement(
    db,
    `SELECT document_number, summary, issuing_agency, owner_name, owner_id, signer, dossier_code,
              digitization_code, procedure_code, result_type_code, validity_scope, extras
       FROM metadata WHERE document_id = ?`,
  ).get(documentId) as Record<string, string | null> | undefined;
  if (row === undefined) return '';
  const { extras, ...fields } = row;
  const extraText = Object.values(JSON.parse(extras ?? '{}') as Record<string, unknown>)
    .filter((value): value is string => typeof value === 'string')
    .join('\n');
  return [...Object.values(fields), extraText].filter((value) => value !== null && value !== '').join('\n');
}

/** The OCR text of each page of a document, in page order (purged pages have none). */
export function pageTexts(db: Database, documentId: string): string[] {
  return statement(
    db,
    `SELECT o.text FROM pages p JOIN ocr_results o ON o.page_id = p.id WHERE p.document_id = ? ORDER BY p.doc_index`,
  )
    .pluck()
    .all(documentId) as string[];
}

/** The OCR text of a document's pages in page order (purged pages have none). */
export function bodyText(db: Database, documentId: string): string {
  const rows = statement(
    db,
    `SELECT o.text FROM pages p JOIN ocr_results o ON o.page_id = p.id
       WHERE p.document_id = ? ORDER BY p.doc_index`,
  ).all(documentId) as { text: string }[];
  return rows.map((row) => row.text).join('\n\n');
}

/** Rewrites a document's row of the index from its current metadata and OCR text. Call inside the writing transaction. */
export function reindexDocument(db: Database, documentId: string): void {
  const doc = statement(db, `SELECT seq FROM documents WHERE id = ?`).get(documentId) as { seq: number } | undefined;
  if (doc === undefined) return;
  statement(db, `DELETE FROM search_fts WHERE rowid = ?`).run(-doc.seq);
  statement(db, `INSERT INTO search_fts (rowid, meta, body) VALUES (?, ?, ?)`).run(
    -doc.seq,
    foldText(metadataText(db, documentId)),
    foldText(bodyText(db, documentId)),
  );
}

/** Removes a document from the index (before its row is deleted). */
export function unindexDocument(db: Database, seq: number): void {
  statement(db, `DELETE FROM search_fts WHERE rowid = ?`).run(-seq);
}

/** Rebuilds the whole index (migration 5, and repair). */
export function reindexAllDocuments(db: Database): number {
  db.exec(`DELETE FROM search_fts`);
  const ids = statement(db, `SELECT id FROM documents ORDER BY seq`).pluck().all() as string[];
  for (const id of ids) reindexDocument(db, id);
  return ids.length;
}

export interface SearchOptions {
  limit: number;
  offset: number;
}

/**
 * How many matches, newest first, are ranked. bm25 must score every match, and a word found in most
 * of a million pages would cost far beyond the clerk's patience; ranking the newest matches keeps a
 * search under the budget, and is exact whenever fewer documents match.
 */
export const rankedMatches = 200;

/** Ranked matches: documents.seq and bm25 score (metadata weighs more than page text), best first. */
export function searchIndex(
  db: Database,
  query: ParsedQuery,
  options: SearchOptions,
): { seq: number; score: number }[] {
  return statement(
    db,
    `SELECT -rowid AS seq, score FROM (
       SELECT rowid, bm25(search_fts, 4.0, 1.0) AS score FROM search_fts
       WHERE search_fts MATCH ? ORDER BY rowid LIMIT ?
     ) ORDER BY score, rowid LIMIT ? OFFSET ?`,
  ).all(query.match, rankedMatches, options.limit, options.offset) as { seq: number; score: number }[];
}

/**
 * Merges the index's segments, a slice at a time, for at most `budgetMs`; returns whether work is
 * left. Every write adds a small segment and queries read them all, so a running station merges in
 * the background (an `optimize` in one go would hold the database for seconds).
 */
export function mergeSearchIndex(db: Database, budgetMs: number): boolean {
  const until = Date.now() + budgetMs;
  const totalChanges = statement(db, `SELECT total_changes()`).pluck();
  // Negative: merge segments of every level, not only levels holding many (FTS5 'merge').
  const merge = statement(db, `INSERT INTO search_fts (search_fts, rank) VALUES ('merge', -64)`);
  do {
    const before = totalChanges.get() as number;
    merge.run();
    // FTS5: fewer than 2 changes means the merge found nothing to do.
    if ((totalChanges.get() as number) - before < 2) return false;
  } while (Date.now() < until);
  return true;
}

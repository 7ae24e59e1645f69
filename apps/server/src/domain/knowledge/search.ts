import type { EntityManager } from '@mikro-orm/sqlite';
import { dialectOf } from '../../db/dialect.js';
import { optimizeSearchIndexPostgreSql, searchPassagesPostgreSql } from '../../db/fulltext.js';

/**
 * Full-text search over the passages: SQLite FTS5 with BM25, or PostgreSQL's own full-text
 * search (db/fulltext.ts) behind the same call.
 *
 * Who may read what is decided here and nowhere else: the `widget` audience (anything that
 * can reach a visitor — the prompt, the public pages) sees published + public articles
 * only, and that filter is part of the SQL, not a step after it.
 */

export type Audience = 'widget' | 'operator';

/** One search result: a passage and the article it comes from. */
export interface PassageHit {
  articleId: number;
  slug: string;
  title: string;
  heading: string;
  text: string;
  /** Higher is better (negated BM25 on SQLite, ts_rank_cd on PostgreSQL); only comparable within one search. */
  score: number;
}

export interface SearchOptions {
  /** Passages returned at most (default 5, at most 50). */
  limit?: number;
  audience: Audience;
  /** Passages from one article at most (default 2), so the top few are not one article's. */
  maxPerArticle?: number;
}

/** Terms of one query at most, so a pasted essay stays a cheap search. */
const MAX_QUERY_TERMS = 32;

/**
 * Words that carry no meaning for retrieval, including the chat filler visitors write
 * ("how long does it take", "is it possible to").
 */
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
  can could did do does doing done down during each few for from further had has have having he her here hers herself him
  himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
  our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
  these they this those through to too under until up very was we were what when where which while who whom why will with
  would you your yours yourself yourselves
  don doesn didn isn aren wasn weren won wouldn couldn shouldn haven hasn hadn ll ve re let lets
  hi hello hey dear please pls thanks thank thx cheers ok okay yes yeah also get got want wanted wanting need needs
  know tell told say said ask asking question questions help anyone someone something thing things way really still
  im ive id youre whats hows theres
  long much many often soon take takes taking like make possible able`.split(/\s+/),
);

/** The meaningful words of free text, lower-case, without stop-words, first occurrence order. */
export function queryTerms(text: string): string[] {
  const words = text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  const terms = new Set<string>();
  for (const word of words) {
    if (STOP_WORDS.has(word)) continue;
    if (word.length < 2 && !/\p{N}/u.test(word)) continue;
    terms.add(word);
    if (terms.size >= MAX_QUERY_TERMS) break;
  }
  return [...terms];
}

/**
 * Turns free visitor text into a safe FTS5 query: every term a quoted string (so `NEAR`,
 * `OR`, `*`, `-`, `:` and parentheses are just text), all ORed; BM25 then ranks passages
 * matching more and rarer terms first. Null when nothing is left to search.
 *
 * No synonym expansion: FTS5 cannot weight terms, so "delivery" expanded to "shipping",
 * "dispatch", … counts one idea many times and buries the word that mattered
 * ("switzerland"). Porter stemming already joins "refunds"/"refunded"/"refund".
 */
export function toFtsQuery(text: string): string | null {
  const terms = queryTerms(text);
  if (!terms.length) return null;
  return terms.map((term) => `"${term.replace(/"/g, '""')}"`).join(' OR ');
}

// Column weights for bm25(): a match in the title counts most, then the heading path.
const RANK = 'bm25(knowledge_passage_fts, 3.0, 2.0, 1.0)';
/**
 * Passages taken from the FTS index, best first, before the article join. Joining every
 * match of a common word ("days": most of a 10,000-article corpus) was five times slower
 * than ranking them; a short result after the cut falls back to the uncut query.
 */
const CANDIDATES = 200;

function searchSql(audience: Audience, candidates: boolean): string {
  // The widget's filter is in the SQL itself: no hit from an internal or draft article can
  // leave this query, whatever the caller does with the rows.
  const visible = audience === 'widget' ? "where a.published = 1 and a.visibility = 'public'" : '';
  const cut = candidates ? `order by rank limit ${CANDIDATES}` : '';
  return `
    select article_id as articleId, slug, title, heading, text, -rank as score from (
      select ranked.*, row_number() over (partition by article_id order by rank, position) as nth from (
        select p.article_id, p.position, a.slug, a.title, p.heading, p.text, hit.rank
        from (
          select rowid as id, ${RANK} as rank from knowledge_passage_fts
          where knowledge_passage_fts match ? ${cut}
        ) hit
        join knowledge_passage p on p.id = hit.id
        join knowledge_article a on a.id = p.article_id
        ${visible}
      ) ranked
    ) where nth <= ?
    order by rank, article_id, position
    limit ?`;
}
const SEARCH_SQL = {
  widget: { candidates: searchSql('widget', true), all: searchSql('widget', false) },
  operator: { candidates: searchSql('operator', true), all: searchSql('operator', false) },
};

/**
 * The passages that best answer free text, best first. For the `widget` audience only
 * published + public articles are searched; `operator` searches everything. Visitor text
 * is never FTS syntax: any input is safe, and one without searchable words returns [].
 */
export async function searchPassages(
  em: EntityManager,
  query: string,
  { limit = 5, audience, maxPerArticle = 2 }: SearchOptions,
): Promise<PassageHit[]> {
  const match = toFtsQuery(query);
  if (!match) return [];
  const wanted = clamp(limit, 1, 50);
  if (dialectOf(em) === 'postgresql') {
    const terms = queryTerms(query);
    const widgetOnly = audience === 'widget';
    return searchPassagesPostgreSql(em, { terms, widgetOnly, limit: wanted, maxPerArticle: clamp(maxPerArticle, 1, 50) });
  }
  const sql = audience === 'widget' ? SEARCH_SQL.widget : SEARCH_SQL.operator;
  const params = [match, clamp(maxPerArticle, 1, 50), wanted];
  const run = (text: string) =>
    em.getConnection().execute<PassageHit[]>(text, params, 'all', em.getTransactionContext());
  let rows = await run(sql.candidates);
  // Hidden articles or the per-article cap may have used up the candidates.
  if (rows.length < wanted) rows = await run(sql.all);
  return rows.map((row) => ({
    articleId: Number(row.articleId),
    slug: row.slug,
    title: row.title,
    heading: row.heading,
    text: row.text,
    score: Number(row.score),
  }));
}

/**
 * Merges the full-text index into one b-tree. Worth it after bulk writes (imports); the
 * index stays correct without it, only slower to search.
 */
export async function optimizeSearchIndex(em: EntityManager): Promise<void> {
  if (dialectOf(em) === 'postgresql') return optimizeSearchIndexPostgreSql(em);
  await em
    .getConnection()
    .execute("insert into knowledge_passage_fts (knowledge_passage_fts) values ('optimize')", [], 'run', em.getTransactionContext());
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(Number.isFinite(value) ? value : min)));
}

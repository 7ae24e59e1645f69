import type { EntityManager } from '@mikro-orm/sqlite';

/**
 * Knowledge-base search on PostgreSQL, behind the same call as SQLite's FTS5 search
 * (domain/knowledge/search.ts `searchPassages`): the same words in, the same rows out, the same
 * rule that the widget's restriction (published + public) is part of the SQL.
 *
 * The index (migration 0003) is `knowledge_passage_fts`: one tsvector per passage with the
 * article title weighted A, the heading path B and the text C, under the `ticket0_search`
 * configuration (English stemming, accents folded), GIN-indexed and kept by triggers.
 */

export interface FullTextQuery {
  /** The meaningful words of the visitor's text (stop-words removed, at most 32): plain words only. */
  terms: string[];
  /** Only published + public articles (the widget's audience); false searches everything. */
  widgetOnly: boolean;
  /** Passages returned at most. */
  limit: number;
  /** Passages of one article at most. */
  maxPerArticle: number;
}

export interface FullTextHit {
  articleId: number;
  slug: string;
  title: string;
  heading: string;
  text: string;
  /** Higher is better; only comparable within one search. */
  score: number;
}

/**
 * ts_rank_cd weights for D, C, B, A: a match in the title counts most, then the heading
 * path, then the text (as the BM25 column weights 3, 2, 1 do on SQLite).
 */
const WEIGHTS = `'{0.1, 0.33, 0.67, 1.0}'`;
/**
 * Divides the rank by the passage's number of distinct words, so a long passage does not win
 * by size alone. Of ts_rank_cd's normalisations the one closest to BM25's here: on the
 * retrieval benchmark it finds the passage holding the fact about as often as FTS5 does;
 * dividing by 1 + log(length) found it less often, and dividing by the whole length let any
 * short passage win (the demo's "How long does delivery take?" went to an introduction).
 */
const NORMALIZATION = 8;
/**
 * Passages shortlisted by ts_rank, which is several times cheaper than ts_rank_cd, before
 * ts_rank_cd orders them and the article join (see the FTS5 search for why a cut at all).
 */
const CANDIDATES = 200;
/** A word in more than one passage in this many is common (see searchPassagesPostgreSql). */
const COMMON_SHARE = 8;

/**
 * The search. Parameters: the terms separated by spaces, the same joined with " or ", the
 * passages per article, the limit.
 *
 * `uncommon`: passages are found by the terms in at most 1/COMMON_SHARE of all passages (by
 * all terms when none or all are), counted up to that threshold only, so a word in every
 * passage costs no more than a rare one; the passage count is the planner's estimate once
 * the table has been analysed. Every term ranks.
 */
function searchSql(options: { widgetOnly: boolean; uncommon: boolean; cut: boolean }): string {
  const matching = options.uncommon
    ? `coalesce(nullif(string_agg(t.term, ' or ') filter (where not t.common), ''), r.every)`
    : 'r.every';
  // The widget's filter is in the SQL itself: no hit from an internal or draft article can
  // leave this query, whatever the caller does with the rows.
  const visible = options.widgetOnly ? `where a."published" and a."visibility" = 'public'` : '';
  const cut = options.cut ? `order by ts_rank(${WEIGHTS}, f."document", q.ranking, ${NORMALIZATION}) desc limit ${CANDIDATES}` : '';
  return `
    with words as (select ? as spaced, ? as every),
    total as (
      select (case when c.reltuples > 0 then c.reltuples::bigint else (select count(*) from "knowledge_passage_fts") end)
        / ${COMMON_SHARE} as threshold
      from pg_class c where c.oid = 'knowledge_passage_fts'::regclass
    ),
    t as (
      select term, (
        select count(*) from (
          select 1 from "knowledge_passage_fts" f
          where f."document" @@ websearch_to_tsquery('ticket0_search', term)
          limit (select threshold + 1 from total)
        ) matched
      ) > (select threshold from total) as common
      from words, unnest(string_to_array(words.spaced, ' ')) as term
    ),
    q as (
      select websearch_to_tsquery('ticket0_search', ${matching}) as matching,
        websearch_to_tsquery('ticket0_search', r.every) as ranking
      from words r left join t on ${options.uncommon ? 'true' : 'false'}
      group by r.every
    ),
    hit as (
      select f."id", f."document" from "knowledge_passage_fts" f, q
      where f."document" @@ q.matching ${cut}
    )
    select "article_id" as "articleId", "slug", "title", "heading", "text", "rank" as "score" from (
      select ranked.*, row_number() over (partition by "article_id" order by "rank" desc, "position") as nth from (
        select p."article_id", p."position", a."slug", a."title", p."heading", p."text",
          ts_rank_cd(${WEIGHTS}, hit."document", q.ranking, ${NORMALIZATION}) as rank
        from hit
        cross join q
        join "knowledge_passage" p on p."id" = hit."id"
        join "knowledge_article" a on a."id" = p."article_id"
        ${visible}
      ) ranked
    ) best where nth <= ?
    order by "rank" desc, "article_id", "position"
    limit ?`;
}

const SEARCH_SQL = Object.fromEntries(
  [true, false].flatMap((widgetOnly) =>
    [true, false].flatMap((uncommon) =>
      [true, false].map((cut) => [`${widgetOnly}/${uncommon}/${cut}`, searchSql({ widgetOnly, uncommon, cut })]),
    ),
  ),
);

/**
 * The passages that best match any of the terms, best first. The terms are plain words
 * (letters and digits, see queryTerms), joined with `or`: websearch_to_tsquery then never
 * sees operators, quotes or minus signs from a visitor, and never fails on any input.
 *
 * ts_rank_cd knows nothing of how rare a word is (BM25's IDF, which FTS5 has), and ranking
 * every passage that shares a common word with the question ("days": most of a large
 * knowledge base) is the slow part. So passages are first found by the question's uncommon
 * words and ranked by all of them: "do you ship to Switzerland" looks among the passages
 * naming Switzerland, ordered with "ship" too. Passages with only the common words follow
 * when those are too few.
 */
export async function searchPassagesPostgreSql(em: EntityManager, query: FullTextQuery): Promise<FullTextHit[]> {
  if (!query.terms.length) return [];
  const connection = em.getConnection();
  const ctx = em.getTransactionContext();
  const params = [query.terms.join(' '), query.terms.join(' or '), query.maxPerArticle, query.limit];
  const search = async (uncommon: boolean) => {
    const sql = (cut: boolean) => SEARCH_SQL[`${query.widgetOnly}/${uncommon}/${cut}`]!;
    let rows = await connection.execute<FullTextHit[]>(sql(true), params, 'all', ctx);
    // Hidden articles or the per-article cap may have used up the candidates.
    if (rows.length < query.limit) rows = await connection.execute<FullTextHit[]>(sql(false), params, 'all', ctx);
    return rows.map((row) => ({ ...row, articleId: Number(row.articleId), score: Number(row.score) }));
  };

  const hits = query.terms.length > 1 ? await search(true) : [];
  if (hits.length >= query.limit) return hits;
  if (!hits.length) return search(false);

  // Too few passages have the uncommon words: the best of the others come after them, their
  // scores squeezed below the last one's so that higher still means better.
  const floor = hits[hits.length - 1]!.score;
  const taken = new Set(hits.map(passageKey));
  const perArticle = new Map<number, number>();
  for (const hit of hits) perArticle.set(hit.articleId, (perArticle.get(hit.articleId) ?? 0) + 1);
  for (const hit of await search(false)) {
    if (hits.length >= query.limit) break;
    const count = perArticle.get(hit.articleId) ?? 0;
    if (taken.has(passageKey(hit)) || count >= query.maxPerArticle) continue;
    perArticle.set(hit.articleId, count + 1);
    hits.push({ ...hit, score: (floor * hit.score) / (1 + hit.score) });
  }
  return hits;
}

function passageKey(hit: FullTextHit): string {
  return `${hit.articleId}\u0000${hit.heading}\u0000${hit.text}`;
}

/**
 * After bulk writes (imports): moves the GIN index's pending entries into the index proper
 * and refreshes the planner's statistics. The index stays correct without it, only slower.
 */
export async function optimizeSearchIndexPostgreSql(em: EntityManager): Promise<void> {
  const connection = em.getConnection();
  const ctx = em.getTransactionContext();
  await connection.execute(`select gin_clean_pending_list('knowledge_passage_fts_document_index'::regclass)`, [], 'all', ctx);
  await connection.execute('analyze "knowledge_passage_fts", "knowledge_passage", "knowledge_article"', [], 'run', ctx);
}

import { UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/sqlite';
import {
  ARTICLE_VISIBILITIES,
  KnowledgeArticle,
  KnowledgePassage,
  type ArticleVisibility,
} from '../db/entities/index.js';
import { containsIgnoringCase, dialectOf } from '../db/dialect.js';
import { optimizeSearchIndexPostgreSql, searchPassagesPostgreSql } from '../db/fulltext.js';
import { DomainError } from './errors.js';
import { blockToPlainText, inlineToPlainText, parseBlocks } from './markdown.js';
import { decodeCursor, encodeCursor, page } from './pagination.js';

/**
 * The knowledge base: articles, the passages retrieval works on, and the search itself.
 *
 * Who may read what is decided here and nowhere else: the `widget` audience (anything that
 * can reach a visitor — the prompt, the public pages) sees published + public articles
 * only, and that filter is part of the SQL, not a step after it.
 */

/** Longest passage, in characters. Longer sections are cut at paragraph, then sentence, bounds. */
export const MAX_PASSAGE_CHARS = 1200;
export const MAX_TITLE_CHARS = 300;
export const MAX_SLUG_CHARS = 120;
export const MAX_BODY_CHARS = 200_000;
/** Separates the headings of a passage's heading path. */
export const HEADING_SEPARATOR = ' › ';

export type Audience = 'widget' | 'operator';

/** An article as written by an editor, an import or the seed. */
export interface ArticleInput {
  title: string;
  /** Markdown. */
  body: string;
  /** Default false: a new article is a draft until someone publishes it. */
  published?: boolean;
  /** Default `public`. Anything else than `public` / `internal` is refused. */
  visibility?: string;
  /** Default: made from the title (see slugify). */
  slug?: string | null;
}

/** An article's input after checking: what gets stored. */
export interface CheckedArticle {
  title: string;
  body: string;
  published: boolean;
  visibility: ArticleVisibility;
  slug: string;
}

export interface PassageDraft {
  /** Heading path, outermost first, joined with HEADING_SEPARATOR; empty before any heading. */
  heading: string;
  /** Plain text, at most MAX_PASSAGE_CHARS. */
  text: string;
}

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

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

// ---------------------------------------------------------------------------------------
// Slugs and input checks

const SLUG = /^[\p{Ll}\p{Lo}\p{N}]+(?:-[\p{Ll}\p{Lo}\p{N}]+)*$/u;

/** `"Returns & Refunds — 2024"` → `returns-refunds-2024`. Empty when the title has no letters or digits. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

export function isValidSlug(slug: string): boolean {
  return slug.length <= MAX_SLUG_CHARS && SLUG.test(slug);
}

/**
 * Checks and normalises an article's input. Throws a DomainError (BAD_REQUEST) whose
 * message is the reason an import reports: "missing title", "empty body", …
 */
export function checkArticleInput(input: ArticleInput): CheckedArticle {
  const title = typeof input.title === 'string' ? input.title.replace(/\s+/g, ' ').trim() : '';
  if (!title) throw new DomainError('BAD_REQUEST', 'missing title');
  if (title.length > MAX_TITLE_CHARS) {
    throw new DomainError('BAD_REQUEST', `title is longer than ${MAX_TITLE_CHARS} characters`);
  }
  const body = typeof input.body === 'string' ? input.body.replace(/\r\n?/g, '\n').trim() : '';
  if (!body) throw new DomainError('BAD_REQUEST', 'empty body');
  if (body.length > MAX_BODY_CHARS) throw new DomainError('BAD_REQUEST', `body is longer than ${MAX_BODY_CHARS} characters`);
  if (splitIntoPassages(body).length === 0) throw new DomainError('BAD_REQUEST', 'empty body (nothing but headings)');

  const visibility = input.visibility ?? 'public';
  if (!(ARTICLE_VISIBILITIES as readonly string[]).includes(visibility)) {
    throw new DomainError('BAD_REQUEST', `visibility must be "public" or "internal" (got "${String(visibility)}")`);
  }
  if (input.published !== undefined && typeof input.published !== 'boolean') {
    throw new DomainError('BAD_REQUEST', `published must be true or false (got "${String(input.published)}")`);
  }

  let slug: string;
  if (input.slug !== undefined && input.slug !== null && String(input.slug).trim() !== '') {
    slug = String(input.slug).trim().toLowerCase();
    if (!isValidSlug(slug)) {
      throw new DomainError(
        'BAD_REQUEST',
        `slug "${slug}" must be letters and digits joined by single hyphens, at most ${MAX_SLUG_CHARS} characters`,
      );
    }
  } else {
    slug = slugify(title);
    if (!slug) throw new DomainError('BAD_REQUEST', 'the title has no letters or digits to make a slug from; give a slug');
  }

  return { title, body, published: input.published ?? false, visibility: visibility as ArticleVisibility, slug };
}

// ---------------------------------------------------------------------------------------
// Passages

/**
 * Splits an article's Markdown into passages: a new passage at every heading (carrying the
 * heading path), the paragraphs of one section packed together up to `maxChars`, and a
 * paragraph longer than that cut at sentence bounds. Markdown markers are removed.
 */
export function splitIntoPassages(body: string, maxChars = MAX_PASSAGE_CHARS): PassageDraft[] {
  const sections: Array<{ heading: string; pieces: string[] }> = [];
  const path: Array<{ level: number; text: string }> = [];
  let section = { heading: '', pieces: [] as string[] };

  for (const block of parseBlocks(body)) {
    if (block.type === 'heading') {
      sections.push(section);
      while (path.length && path[path.length - 1]!.level >= block.level) path.pop();
      path.push({ level: block.level, text: inlineToPlainText(block.text) });
      section = { heading: path.map((entry) => entry.text).join(HEADING_SEPARATOR), pieces: [] };
      continue;
    }
    const text = blockToPlainText(block).trim();
    if (text) section.pieces.push(...cutToLength(text, maxChars));
  }
  sections.push(section);

  return sections.flatMap(({ heading, pieces }) => pack(pieces, maxChars).map((text) => ({ heading, text })));
}

/** Packs a section's paragraphs into as few passages as the cap allows, of similar lengths. */
function pack(pieces: string[], maxChars: number): string[] {
  const separator = '\n\n';
  const total = pieces.reduce((sum, piece) => sum + piece.length + separator.length, 0);
  const target = total / Math.max(1, Math.ceil(total / maxChars));
  const passages: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && (current.length >= target || current.length + separator.length + piece.length > maxChars)) {
      passages.push(current);
      current = '';
    }
    current = current ? current + separator + piece : piece;
  }
  if (current) passages.push(current);
  return passages;
}

/** Cuts text longer than `maxChars` at sentence ends, or at spaces when a sentence is too long. */
function cutToLength(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const parts: string[] = [];
  let current = '';
  for (const sentence of text.split(/(?<=[.!?…])\s+/u)) {
    for (const piece of hardWrap(sentence, maxChars)) {
      if (current && current.length + 1 + piece.length > maxChars) {
        parts.push(current);
        current = '';
      }
      current = current ? `${current} ${piece}` : piece;
    }
  }
  if (current) parts.push(current);
  return parts;
}

function hardWrap(text: string, maxChars: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(' ', maxChars);
    const cut = space > maxChars / 2 ? space : maxChars;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

// ---------------------------------------------------------------------------------------
// Writing articles

/**
 * Creates or updates the article with the input's slug (made from the title when not
 * given) and re-indexes its passages. An identical article is left alone ('unchanged').
 */
export async function upsertArticle(
  em: EntityManager,
  input: ArticleInput,
): Promise<{ article: KnowledgeArticle; outcome: UpsertOutcome }> {
  const checked = checkArticleInput(input);
  return writeArticle(em, async (tx) => {
    const existing = await tx.findOne(KnowledgeArticle, { slug: checked.slug });
    if (!existing) {
      const article = tx.create(KnowledgeArticle, checked);
      await tx.flush();
      await replacePassages(tx, article, true);
      return { article, outcome: 'created' as const };
    }
    const bodyChanged = existing.body !== checked.body;
    if (!bodyChanged && sameFields(existing, checked)) return { article: existing, outcome: 'unchanged' as const };
    tx.assign(existing, checked);
    await tx.flush();
    if (bodyChanged) await replacePassages(tx, existing);
    return { article: existing, outcome: 'updated' as const };
  });
}

/**
 * Creates a new article (an editor's "new article"). Without a slug, one is made from the
 * title and numbered (`-2`, `-3`, …) if taken; a given slug that is taken is a CONFLICT.
 */
export async function createArticle(em: EntityManager, input: ArticleInput): Promise<KnowledgeArticle> {
  const checked = checkArticleInput(input);
  const explicitSlug = !!input.slug?.trim();
  return writeArticle(em, async (tx) => {
    if (!explicitSlug) checked.slug = await freeSlug(tx, checked.slug);
    else if (await tx.count(KnowledgeArticle, { slug: checked.slug })) throw slugTaken(checked.slug);
    const article = tx.create(KnowledgeArticle, checked);
    await tx.flush();
    await replacePassages(tx, article, true);
    return article;
  });
}

/** Changes some of an article's fields; a new body (or title) re-indexes its passages. */
export async function updateArticle(
  em: EntityManager,
  id: number,
  changes: Partial<ArticleInput>,
): Promise<KnowledgeArticle> {
  return writeArticle(em, async (tx) => {
    const article = await tx.findOne(KnowledgeArticle, { id });
    if (!article) throw new DomainError('NOT_FOUND', `Knowledge-base article #${id} does not exist.`);
    const checked = checkArticleInput({
      title: changes.title ?? article.title,
      body: changes.body ?? article.body,
      published: changes.published ?? article.published,
      visibility: changes.visibility ?? article.visibility,
      slug: changes.slug ?? article.slug,
    });
    if (checked.slug !== article.slug && (await tx.count(KnowledgeArticle, { slug: checked.slug }))) {
      throw slugTaken(checked.slug);
    }
    const bodyChanged = article.body !== checked.body;
    tx.assign(article, checked);
    await tx.flush();
    if (bodyChanged) await replacePassages(tx, article);
    return article;
  });
}

/** Deletes an article and its passages (and so its index entries). False when it did not exist. */
export async function deleteArticle(em: EntityManager, id: number): Promise<boolean> {
  const article = await em.findOne(KnowledgeArticle, { id });
  if (!article) return false;
  // Passages go with the article (on delete cascade), their index rows with them (trigger).
  await em.remove(article).flush();
  return true;
}

/** Rebuilds one article's passages from its body; the FTS rows follow by trigger. */
async function replacePassages(em: EntityManager, article: KnowledgeArticle, isNew = false): Promise<void> {
  if (!isNew) await em.nativeDelete(KnowledgePassage, { article: article.id });
  const passages = splitIntoPassages(article.body);
  if (passages.length) {
    await em.insertMany(
      KnowledgePassage,
      passages.map((passage, position) => ({ article: article.id, position, ...passage })),
    );
  }
}

async function writeArticle<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  try {
    // A clear fork: the caller's identity map is not copied into (and scanned by) every
    // write, which made a 10,000-article import quadratic.
    return await em.transactional(work, { clear: true });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new DomainError('CONFLICT', 'Another article with this slug was saved at the same time; try again.');
    }
    throw error;
  }
}

async function freeSlug(em: EntityManager, base: string): Promise<string> {
  const taken = new Set(
    (await em.find(KnowledgeArticle, { slug: { $like: `${base}%` } }, { fields: ['slug'] })).map((a) => a.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, MAX_SLUG_CHARS - String(n).length - 1)}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function sameFields(article: KnowledgeArticle, checked: CheckedArticle): boolean {
  return (
    article.title === checked.title &&
    article.published === checked.published &&
    article.visibility === checked.visibility &&
    article.slug === checked.slug
  );
}

function slugTaken(slug: string): DomainError {
  return new DomainError('CONFLICT', `Another article already uses the address /kb/${slug}; choose another slug.`);
}

// ---------------------------------------------------------------------------------------
// Reading articles

/** The article a visitor may read at `/kb/<slug>`: published and public, or null. */
export async function findPublicArticle(em: EntityManager, slug: string): Promise<KnowledgeArticle | null> {
  return em.findOne(KnowledgeArticle, { slug, published: true, visibility: 'public' });
}

/** Every article a visitor may read, by title. */
export async function listPublicArticles(
  em: EntityManager,
): Promise<Array<{ id: number; slug: string; title: string; updatedAt: Date }>> {
  const articles = await em.find(
    KnowledgeArticle,
    { published: true, visibility: 'public' },
    { orderBy: { title: 'asc' }, fields: ['slug', 'title', 'updatedAt'] },
  );
  return articles.map(({ id, slug, title, updatedAt }) => ({ id, slug, title, updatedAt }));
}

/**
 * Every article, for the console's editor (drafts and internal ones too), most recently
 * changed first, optionally those whose title or slug contains `query`.
 */
export async function listArticles(
  em: EntityManager,
  input: { query?: string; cursor?: string; limit: number },
): Promise<{ items: Array<Omit<KnowledgeArticle, 'body'>>; nextCursor: string | null }> {
  const conditions: Array<FilterQuery<KnowledgeArticle>> = [];
  const query = input.query?.trim();
  if (query) {
    conditions.push({ $or: [{ title: containsIgnoringCase(em, query) }, { slug: containsIgnoringCase(em, query) }] });
  }
  const cursor = decodeCursor(input.cursor);
  if (cursor) {
    conditions.push({ $or: [{ updatedAt: { $lt: cursor.at } }, { updatedAt: cursor.at, id: { $lt: cursor.id } }] });
  }
  const rows = await em.find(KnowledgeArticle, conditions.length ? { $and: conditions } : {}, {
    orderBy: { updatedAt: 'desc', id: 'desc' },
    limit: input.limit + 1,
    // The list never shows bodies; a 10,000-article base should not load them.
    fields: ['slug', 'title', 'published', 'visibility', 'createdAt', 'updatedAt'],
  });
  return page(rows, input.limit, (article) => encodeCursor(article.updatedAt, article.id));
}

/** One article, whatever its flags (the console's editor). */
export async function getArticle(em: EntityManager, id: number): Promise<KnowledgeArticle> {
  const article = await em.findOne(KnowledgeArticle, { id });
  if (!article) throw new DomainError('NOT_FOUND', `Knowledge-base article #${id} does not exist.`);
  return article;
}

/** Where an article is read on this server, e.g. for a citation link: `/kb/<slug>`. */
export function articlePath(slug: string): string {
  return `/kb/${encodeURIComponent(slug)}`;
}

// ---------------------------------------------------------------------------------------
// Search

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

import { UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/sqlite';
import type { Citation } from '@ticket0/contracts';
import {
  ARTICLE_VISIBILITIES,
  KnowledgeArticle,
  KnowledgePassage,
  type ArticleVisibility,
  type Message,
} from '../../db/entities/index.js';
import { databaseCaches, statements } from '../../db/sql.js';
import { DomainError } from '../../lib/errors.js';
import { containsText, decodeCursor, encodeCursor, page } from '../../lib/pagination.js';
import { splitIntoPassages } from './passages.js';

/**
 * The knowledge base's articles: checking an editor's or an import's input, writing
 * articles (and re-indexing their passages), and reading them for the console and the
 * public pages. Drafts and internal articles never reach a visitor (see search.ts).
 */

export const MAX_TITLE_CHARS = 300;
export const MAX_SLUG_CHARS = 120;
export const MAX_BODY_CHARS = 200_000;

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
  databaseCaches(em).invalidate(PUBLIC_ARTICLES_CACHE);
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
    const result = await em.transactional(work, { clear: true });
    databaseCaches(em).invalidate(PUBLIC_ARTICLES_CACHE);
    return result;
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
    conditions.push({ $or: [containsText('title', query), containsText('slug', query)] });
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

/**
 * The articles these messages cite, by id, as links to their public pages. Articles since
 * unpublished or made internal are left out: a link must never lead to a 404.
 */
export async function citationsOf(
  em: EntityManager,
  publicUrl: string,
  messages: Array<Pick<Message, 'citations'>>,
): Promise<Map<number, Citation>> {
  const ids = [...new Set(messages.flatMap((message) => message.citations))];
  if (!ids.length) return new Map();
  const articles = await publicArticles(em);
  const citations = new Map<number, Citation>();
  for (const id of ids) {
    const article = articles.get(id);
    if (article) citations.set(id, { articleId: id, title: article.title, url: `${publicUrl}${articlePath(article.slug)}` });
  }
  return citations;
}

/** Whether visitors have any knowledge base at all (some article is published and public). */
export async function hasPublicKnowledge(em: EntityManager): Promise<boolean> {
  return (await publicArticles(em)).size > 0;
}

/** The cache of the published, public articles' titles and slugs; article writes invalidate it. */
export const PUBLIC_ARTICLES_CACHE = 'knowledge:public-articles';
/** Articles written by another process (`npm run import:kb`) show within this time. */
const PUBLIC_ARTICLES_MAX_AGE_MS = 10_000;

interface PublicArticle {
  title: string;
  slug: string;
}

/** Every article a visitor may read, by id: what citations link to (a few bytes each). */
function publicArticles(em: EntityManager): Promise<ReadonlyMap<number, PublicArticle>> {
  return databaseCaches(em).get(
    PUBLIC_ARTICLES_CACHE,
    async () => {
      const rows = await statements(em).all<{ id: number; title: string; slug: string }>(
        'select id, title, slug from knowledge_article where published = ? and visibility = ?',
        [true, 'public'],
      );
      return new Map(rows.map((row) => [Number(row.id), { title: row.title, slug: row.slug }]));
    },
    { maxAgeMs: PUBLIC_ARTICLES_MAX_AGE_MS },
  );
}

/** The titles of the articles `messages` cited, for operators: drafts and internal ones included. */
export async function citedTitles(em: EntityManager, messages: Array<Pick<Message, 'citations'>>): Promise<Map<number, string>> {
  const ids = [...new Set(messages.flatMap((message) => message.citations))];
  if (!ids.length) return new Map();
  const articles = await em.find(KnowledgeArticle, { id: { $in: ids } }, { fields: ['id', 'title'] });
  return new Map(articles.map((article) => [article.id, article.title]));
}

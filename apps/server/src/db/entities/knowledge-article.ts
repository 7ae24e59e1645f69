import { EntitySchema, types, type Opt } from '@mikro-orm/sqlite';

export const ARTICLE_VISIBILITIES = ['public', 'internal'] as const;
export type ArticleVisibility = (typeof ARTICLE_VISIBILITIES)[number];

/**
 * A knowledge-base article, written in Markdown. Only articles that are both published and
 * public ever reach a visitor (the widget's prompt, `/kb/<slug>`); internal ones are for
 * operators, drafts for nobody but their editors.
 *
 * Change articles through domain/knowledge/articles.ts, which keeps the passages (and with them the
 * full-text index) in step with the body.
 */
export class KnowledgeArticle {
  id!: number;
  /** URL name, unique: `/kb/<slug>`. */
  slug!: string;
  title!: string;
  /** Markdown. */
  body!: string;
  published: Opt<boolean> = false;
  visibility: Opt<ArticleVisibility> = 'public';
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

/**
 * A piece of an article as retrieval sees it: one section (or part of one) under its heading
 * path. Every row is mirrored into the FTS5 table `knowledge_passage_fts` by triggers (see
 * migration 0003), so inserting and deleting passages is all the indexing there is.
 */
export class KnowledgePassage {
  id!: number;
  article!: KnowledgeArticle;
  /** Order within the article, from 0. */
  position!: number;
  /** The headings above this passage, outermost first, joined with " › "; empty before any heading. */
  heading!: string;
  /** Plain text (Markdown markers removed), at most MAX_PASSAGE_CHARS. */
  text!: string;
}

export const KnowledgeArticleSchema = new EntitySchema<KnowledgeArticle>({
  class: KnowledgeArticle,
  tableName: 'knowledge_article',
  indexes: [{ properties: ['published', 'visibility'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    slug: { type: 'string', length: 120, unique: true },
    title: { type: 'string', length: 300 },
    body: { type: 'text' },
    published: { type: 'boolean' },
    visibility: { enum: true, items: () => [...ARTICLE_VISIBILITIES] },
    // types.datetime, not the string 'datetime': with the string, MikroORM 6.6.16 on SQLite
    // snapshots loaded dates as Date but compares them as numbers, so every flush rewrote
    // both columns and bumped updatedAt of untouched articles.
    createdAt: { type: types.datetime, onCreate: () => new Date() },
    updatedAt: { type: types.datetime, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export const KnowledgePassageSchema = new EntitySchema<KnowledgePassage>({
  class: KnowledgePassage,
  tableName: 'knowledge_passage',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    article: { kind: 'm:1', entity: () => KnowledgeArticle, deleteRule: 'cascade' },
    position: { type: 'integer' },
    heading: { type: 'text' },
    text: { type: 'text' },
  },
});

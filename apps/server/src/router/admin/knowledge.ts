import {
  articleCreateInputSchema,
  articleIdInputSchema,
  articleListInputSchema,
  articleListOutputSchema,
  articleSchema,
  articleSearchInputSchema,
  articleSearchOutputSchema,
  articleUpdateInputSchema,
  type ArticleSummary,
} from '@ticket0/contracts';
import type { KnowledgeArticle } from '../../db/entities/index.js';
import { DomainError } from '../../lib/errors.js';
import {
  articlePath,
  createArticle,
  deleteArticle,
  getArticle,
  listArticles,
  updateArticle,
} from '../../domain/knowledge/articles.js';
import { searchPassages } from '../../domain/knowledge/search.js';
import { pick } from '../mappers.js';
import { adminProcedure, router } from '../trpc.js';

function toArticleSummary(article: Omit<KnowledgeArticle, 'body'>): ArticleSummary {
  return {
    ...pick(article, ['id', 'slug', 'title', 'published', 'visibility', 'createdAt', 'updatedAt']),
    publicPath: article.published && article.visibility === 'public' ? articlePath(article.slug) : null,
  };
}

/**
 * The domain's article checks speak in import-report fragments ("empty body"); an editor
 * gets them as a sentence.
 */
async function saving<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'BAD_REQUEST') {
      throw new DomainError('BAD_REQUEST', `The article cannot be saved: ${error.message}.`);
    }
    throw error;
  }
}

/** The knowledge-base editor: every article (drafts and internal ones too), for admins. */
export const knowledgeRouter = router({
  list: adminProcedure
    .input(articleListInputSchema)
    .output(articleListOutputSchema)
    .query(async ({ ctx, input }) => {
      const { items, nextCursor } = await listArticles(ctx.em, input);
      return { items: items.map(toArticleSummary), nextCursor };
    }),

  get: adminProcedure
    .input(articleIdInputSchema)
    .output(articleSchema)
    .query(async ({ ctx, input }) => {
      const article = await getArticle(ctx.em, input.id);
      return { ...toArticleSummary(article), body: article.body };
    }),

  create: adminProcedure
    .input(articleCreateInputSchema)
    .output(articleSchema)
    .mutation(async ({ ctx, input }) => {
      const article = await saving(() => createArticle(ctx.em, { ...input, slug: input.slug || null }));
      return { ...toArticleSummary(article), body: article.body };
    }),

  update: adminProcedure
    .input(articleUpdateInputSchema)
    .output(articleSchema)
    .mutation(async ({ ctx, input }) => {
      const { id, ...changes } = input;
      const article = await saving(() => updateArticle(ctx.em, id, changes));
      return { ...toArticleSummary(article), body: article.body };
    }),

  delete: adminProcedure.input(articleIdInputSchema).mutation(async ({ ctx, input }) => {
    if (!(await deleteArticle(ctx.em, input.id))) {
      throw new DomainError('NOT_FOUND', `Knowledge-base article #${input.id} does not exist.`);
    }
    return { ok: true as const };
  }),

  /** "Test a question": the passages the widget's prompt would get for it, top 5. */
  search: adminProcedure
    .input(articleSearchInputSchema)
    .output(articleSearchOutputSchema)
    .query(async ({ ctx, input }) => ({ hits: await searchPassages(ctx.em, input.query, { audience: 'widget', limit: 5 }) })),
});

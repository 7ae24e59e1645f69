import { z } from 'zod';
import { multiLineText, singleLineText } from '../text.js';
import { pageFields, pageOf } from './paging.js';

/*
 * The knowledge-base editor (admins): articles in Markdown, published or draft, public or
 * internal. Only published + public articles ever reach a visitor.
 */

export const articleVisibilitySchema = z.enum(['public', 'internal']);
export type ArticleVisibilityValue = z.infer<typeof articleVisibilitySchema>;

const titleSchema = singleLineText(
  z
    .string()
    .trim()
    .min(1, 'Give the article a title.')
    .max(300, 'Titles can be at most 300 characters.'),
);

const bodySchema = multiLineText(
  z
    .string()
    .trim()
    .min(1, 'Write the article: the body cannot be empty.')
    .max(200_000, 'Articles can be at most 200,000 characters.'),
);

/** The article's address, `/kb/<slug>`. */
const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(120, 'Slugs can be at most 120 characters.')
  .regex(
    /^[\p{Ll}\p{Lo}\p{N}]+(?:-[\p{Ll}\p{Lo}\p{N}]+)*$/u,
    'Slugs are lower-case letters and digits joined by single hyphens, such as "returns-and-refunds".',
  );

export const articleListInputSchema = z
  .object({
    /** Part of a title or slug; empty lists every article. */
    query: singleLineText(
      z.string().trim().max(200, 'Search for at most 200 characters.'),
    ).optional(),
    ...pageFields(50),
  })
  .default({ limit: 50 });
export type ArticleListInput = z.input<typeof articleListInputSchema>;

export const articleSummarySchema = z.object({
  id: z.number().int().positive(),
  slug: z.string(),
  title: z.string(),
  published: z.boolean(),
  visibility: articleVisibilitySchema,
  /** `/kb/<slug>` when visitors can read it (published and public), else null. */
  publicPath: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ArticleSummary = z.infer<typeof articleSummarySchema>;

export const articleListOutputSchema = pageOf(articleSummarySchema);

export const articleSchema = articleSummarySchema.extend({ body: z.string() });
export type ArticleView = z.infer<typeof articleSchema>;

export const articleIdInputSchema = z.object({ id: z.number().int().positive() });

export const articleCreateInputSchema = z.object({
  title: titleSchema,
  /** Leave out (or empty) to make one from the title. */
  slug: z.union([slugSchema, z.literal('')]).optional(),
  body: bodySchema,
  published: z.boolean().default(false),
  visibility: articleVisibilitySchema.default('public'),
});
export type ArticleCreateInput = z.input<typeof articleCreateInputSchema>;

export const articleUpdateInputSchema = z.object({
  id: z.number().int().positive(),
  title: titleSchema.optional(),
  /** Empty makes a new one from the title. */
  slug: z.union([slugSchema, z.literal('')]).optional(),
  body: bodySchema.optional(),
  published: z.boolean().optional(),
  visibility: articleVisibilitySchema.optional(),
});
export type ArticleUpdateInput = z.input<typeof articleUpdateInputSchema>;

/** "Test a question": what retrieval gives the widget's prompt for it. */
export const articleSearchInputSchema = z.object({
  query: multiLineText(
    z
      .string()
      .trim()
      .min(1, 'Type a question to test.')
      .max(1000, 'Questions can be at most 1,000 characters.'),
  ),
});

export const articleSearchOutputSchema = z.object({
  /** The top passages (at most 5), best first; published + public articles only. */
  hits: z.array(
    z.object({
      articleId: z.number().int().positive(),
      slug: z.string(),
      title: z.string(),
      heading: z.string(),
      text: z.string(),
      score: z.number(),
    }),
  ),
});

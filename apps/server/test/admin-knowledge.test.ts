import { describe, expect, it } from 'vitest';
import { KnowledgePassage } from '../src/db/entities/index.js';
import { collect, errorShape, freshConsolePerTest, rejection, type Harness, type SignedInOperator } from './support/harness.js';

let h: Harness;
let admin: SignedInOperator;
freshConsolePerTest('admin', (harness, operator) => {
  h = harness;
  admin = operator;
});

const RETURNS = {
  title: 'Returns and refunds',
  body: '# Returns\n\nYou can return any item within 30 days of delivery.\n\n## Refunds\n\nRefunds reach your card within 5 working days of our receiving the parcel.',
  published: true,
};

describe('the knowledge-base editor', () => {
  it('creates an article with a slug from its title, reads it back and lists it with its flags', async () => {
    const created = await admin.caller.admin.knowledge.create(RETURNS);
    expect(created).toMatchObject({
      slug: 'returns-and-refunds',
      title: 'Returns and refunds',
      published: true,
      visibility: 'public',
      publicPath: '/kb/returns-and-refunds',
      body: RETURNS.body,
    });
    expect(await admin.caller.admin.knowledge.get({ id: created.id })).toEqual(created);

    const draft = await admin.caller.admin.knowledge.create({ title: 'Returns and refunds', body: 'A new version, not ready.' });
    expect(draft).toMatchObject({ slug: 'returns-and-refunds-2', published: false, publicPath: null });
    const internal = await admin.caller.admin.knowledge.create({ title: 'Goodwill', slug: 'goodwill-rules', body: 'Offer 10 % at most.', published: true, visibility: 'internal' });
    expect(internal).toMatchObject({ slug: 'goodwill-rules', visibility: 'internal', publicPath: null });

    const { items, nextCursor } = await admin.caller.admin.knowledge.list();
    expect(items.map((a) => [a.title, a.published, a.visibility])).toEqual(
      expect.arrayContaining([
        ['Returns and refunds', true, 'public'],
        ['Returns and refunds', false, 'public'],
        ['Goodwill', true, 'internal'],
      ]),
    );
    expect(items).toHaveLength(3);
    expect(nextCursor).toBeNull();
    expect((await admin.caller.admin.knowledge.list({ query: 'goodwill' })).items.map((a) => a.id)).toEqual([internal.id]);
  });

  it('updates an article, re-indexing a new body for search', async () => {
    const article = await admin.caller.admin.knowledge.create(RETURNS);
    const updated = await admin.caller.admin.knowledge.update({
      id: article.id,
      title: 'Returns, refunds and exchanges',
      body: '# Exchanges\n\nSwap a size or colour for free within 60 days.',
    });
    expect(updated).toMatchObject({ title: 'Returns, refunds and exchanges', slug: 'returns-and-refunds', published: true });
    const hits = (await admin.caller.admin.knowledge.search({ query: 'exchange a size' })).hits;
    expect(hits[0]).toMatchObject({ articleId: article.id, heading: 'Exchanges', text: 'Swap a size or colour for free within 60 days.' });
    expect((await admin.caller.admin.knowledge.search({ query: 'card receiving parcel' })).hits).toEqual([]);
  });

  it('deletes an article with its passages, and answers NOT_FOUND after', async () => {
    const article = await admin.caller.admin.knowledge.create(RETURNS);
    expect(await admin.caller.admin.knowledge.delete({ id: article.id })).toEqual({ ok: true });
    expect(await h.orm.em.fork().count(KnowledgePassage, { article: article.id })).toBe(0);
    expect((await rejection(admin.caller.admin.knowledge.get({ id: article.id }))).code).toBe('NOT_FOUND');
    const again = await rejection(admin.caller.admin.knowledge.delete({ id: article.id }));
    expect(again).toMatchObject({ code: 'NOT_FOUND', message: `Knowledge-base article #${article.id} does not exist.` });
  });

  it('refuses bad input with BAD_REQUEST and a sentence for each field', async () => {
    const noTitle = await rejection(admin.caller.admin.knowledge.create({ title: '  ', body: 'Text.' }));
    expect(errorShape(noTitle)).toMatchObject({ message: 'Give the article a title.', data: { code: 'BAD_REQUEST', fieldErrors: { title: 'Give the article a title.' } } });
    const noBody = await rejection(admin.caller.admin.knowledge.create({ title: 'Empty', body: '' }));
    expect(errorShape(noBody)).toMatchObject({ data: { code: 'BAD_REQUEST', fieldErrors: { body: 'Write the article: the body cannot be empty.' } } });
    const badSlug = await rejection(admin.caller.admin.knowledge.create({ title: 'Slug', slug: 'No Spaces!', body: 'Text.' }));
    expect(errorShape(badSlug).data.fieldErrors).toEqual({
      slug: 'Slugs are lower-case letters and digits joined by single hyphens, such as "returns-and-refunds".',
    });
    const badVisibility = await rejection(admin.caller.admin.knowledge.create({ title: 'Hidden', body: 'Text.', visibility: 'secret' as 'public' }));
    expect(badVisibility.code).toBe('BAD_REQUEST');
    // What only the domain can tell: a body of nothing but headings.
    const headingsOnly = await rejection(admin.caller.admin.knowledge.create({ title: 'Headings', body: '# One\n\n## Two' }));
    expect(headingsOnly).toMatchObject({ code: 'BAD_REQUEST', message: 'The article cannot be saved: empty body (nothing but headings).' });
    expect((await admin.caller.admin.knowledge.list()).items).toEqual([]);
  });

  it('refuses a slug another article already uses with CONFLICT', async () => {
    await admin.caller.admin.knowledge.create(RETURNS);
    const other = await admin.caller.admin.knowledge.create({ title: 'Shipping', body: 'We ship in 2 days.' });
    const onCreate = await rejection(admin.caller.admin.knowledge.create({ title: 'Copy', slug: 'returns-and-refunds', body: 'Text.' }));
    expect(onCreate).toMatchObject({
      code: 'CONFLICT',
      message: 'Another article already uses the address /kb/returns-and-refunds; choose another slug.',
    });
    const onUpdate = await rejection(admin.caller.admin.knowledge.update({ id: other.id, slug: 'returns-and-refunds' }));
    expect(onUpdate.code).toBe('CONFLICT');
    expect((await admin.caller.admin.knowledge.get({ id: other.id })).slug).toBe('shipping');
  });

  it('pages through many articles with a cursor', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.unshift((await admin.caller.admin.knowledge.create({ title: `Article ${i}`, body: `Body ${i}.` })).id);
      await new Promise((resolve) => setTimeout(resolve, 5)); // updatedAt comes from the wall clock
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.caller.admin.knowledge.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(ids);
  });
});

describe('what reaches visitors', () => {
  it('"Test a question" shows the top 5 widget passages, and an article made internal (or a draft) disappears from them', async () => {
    const article = await admin.caller.admin.knowledge.create(RETURNS);
    for (let i = 0; i < 6; i++) {
      await admin.caller.admin.knowledge.create({ title: `Return rules ${i}`, body: `Return item ${i} within 30 days.`, published: true });
    }
    expect((await admin.caller.admin.knowledge.search({ query: 'how do I return an item' })).hits).toHaveLength(5);
    const before = (await admin.caller.admin.knowledge.search({ query: 'refunds card working days' })).hits;
    expect(before[0]).toMatchObject({ articleId: article.id, title: 'Returns and refunds', heading: 'Returns › Refunds' });

    h.ollama.behaviour = { mode: 'reply', text: 'Let me check.' };
    /** Everything the model was sent while answering `text` (a chat with no passage may not ask it at all). */
    const promptFor = async (text: string) => {
      const [replies, judgements] = [h.ollama.requests.length, h.ollama.structuredRequests.length];
      const visitor = await h.startVisitor();
      await collect(visitor.caller.chat.send({ clientMessageId: `kb-${Math.random().toString(36).slice(2, 12)}`, text }));
      return JSON.stringify([...h.ollama.requests.slice(replies), ...h.ollama.structuredRequests.slice(judgements)]);
    };
    expect(await promptFor('When do refunds reach my card?')).toContain('Refunds reach your card');

    await admin.caller.admin.knowledge.update({ id: article.id, visibility: 'internal' });
    const hidden = (await admin.caller.admin.knowledge.search({ query: 'refunds card working days' })).hits;
    expect(hidden.map((hit) => hit.articleId)).not.toContain(article.id);
    // Nor does the assistant's prompt see it.
    expect(await promptFor('When do refunds reach my card?')).not.toContain('Refunds reach your card');

    await admin.caller.admin.knowledge.update({ id: article.id, visibility: 'public', published: false });
    expect((await admin.caller.admin.knowledge.search({ query: 'refunds card working days' })).hits.map((hit) => hit.articleId)).not.toContain(article.id);
    await admin.caller.admin.knowledge.update({ id: article.id, published: true });
    expect((await admin.caller.admin.knowledge.search({ query: 'refunds card working days' })).hits[0]).toMatchObject({ articleId: article.id, heading: 'Returns › Refunds' });
  });

  it('refuses an empty test question in words', async () => {
    const error = await rejection(admin.caller.admin.knowledge.search({ query: ' ' }));
    expect(errorShape(error)).toMatchObject({ message: 'Type a question to test.', data: { code: 'BAD_REQUEST' } });
  });
});

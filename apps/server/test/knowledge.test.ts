import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ORM } from '../src/db/orm.js';
import { DEMO_ARTICLES, seedDemoKnowledgeBase } from '../src/domain/knowledge/demo-knowledge-base.js';
import { KnowledgeArticle } from '../src/db/entities/index.js';
import { createArticle, deleteArticle, slugify, updateArticle, upsertArticle } from '../src/domain/knowledge/articles.js';
import { MAX_PASSAGE_CHARS, splitIntoPassages } from '../src/domain/knowledge/passages.js';
import { searchPassages, toFtsQuery } from '../src/domain/knowledge/search.js';
import { DomainError } from '../src/lib/errors.js';
import { renderInline, renderMarkdown } from '../src/domain/knowledge/markdown.js';
import { closeTestORM, openTestORM } from './support/database.js';
import { createHarness, serveHttp, stopHttp, type Harness } from './support/harness.js';

let orm: ORM;
beforeEach(async () => {
  orm = await openTestORM();
});
afterEach(async () => {
  await closeTestORM(orm);
});
const em = () => orm.em.fork();
const widget = (query: string, limit?: number) => searchPassages(em(), query, { audience: 'widget', ...(limit ? { limit } : {}) });
const operator = (query: string) => searchPassages(em(), query, { audience: 'operator' });
const slugs = (hits: Array<{ slug: string }>) => hits.map((hit) => hit.slug);
const passageCount = async () =>
  Number((await em().getConnection().execute<Array<{ n: number }>>('select count(*) as n from knowledge_passage_fts'))[0]!.n);

describe('splitting an article into passages', () => {
  it('starts a passage at every heading and keeps the heading path with it', () => {
    const passages = splitIntoPassages(`Intro before any heading.

# Returns

How returns work.

## Refunds

Refunds take five days.

### By card

Card refunds show after three days.

## Exchanges

Exchanges are free.`);
    expect(passages).toEqual([
      { heading: '', text: 'Intro before any heading.' },
      { heading: 'Returns', text: 'How returns work.' },
      { heading: 'Returns › Refunds', text: 'Refunds take five days.' },
      { heading: 'Returns › Refunds › By card', text: 'Card refunds show after three days.' },
      { heading: 'Returns › Exchanges', text: 'Exchanges are free.' },
    ]);
  });

  it('merges the small paragraphs of one section into one passage', () => {
    const passages = splitIntoPassages('## Contact\n\nCall us.\n\nOr email us.\n\n- by chat\n- by post');
    expect(passages).toEqual([{ heading: 'Contact', text: 'Call us.\n\nOr email us.\n\n- by chat\n- by post' }]);
  });

  it('cuts a long section at paragraph bounds, each passage within the cap', () => {
    const paragraph = (n: number) => `Paragraph ${n} ${'explains the policy in detail. '.repeat(14).trim()}`;
    const body = `## Policy\n\n${[1, 2, 3, 4, 5, 6].map(paragraph).join('\n\n')}`;
    const passages = splitIntoPassages(body);
    expect(passages.length).toBeGreaterThan(1);
    for (const passage of passages) {
      expect(passage.heading).toBe('Policy');
      expect(passage.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      // Whole paragraphs: every passage starts at the beginning of one.
      expect(passage.text).toMatch(/^Paragraph \d/);
    }
    expect(passages.map((passage) => passage.text).join('\n\n')).toBe(body.replace('## Policy\n\n', ''));
  });

  it('cuts a single overlong paragraph at sentence ends', () => {
    const sentence = 'This sentence is about forty-five characters. ';
    const passages = splitIntoPassages(sentence.repeat(60));
    expect(passages.length).toBe(3);
    for (const passage of passages) {
      expect(passage.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      expect(passage.text.endsWith('characters.')).toBe(true);
    }
  });

  it('removes Markdown markers but keeps link addresses and code, and ignores # inside code blocks', () => {
    const passages = splitIntoPassages(
      'See **our** [returns portal](https://shop.example/returns) or use `RET-1`.\n\n```\n# not a heading\n```',
    );
    expect(passages).toEqual([
      { heading: '', text: 'See our returns portal (https://shop.example/returns) or use RET-1.\n\n# not a heading' },
    ]);
  });
  it('reads tables, nested lists, blockquotes and images as plain text', () => {
    const passages = splitIntoPassages(
      [
        '## Fees',
        '',
        '| Country | Fee |',
        '|:--|--:|',
        '| Norway | **€9** |',
        '| Chile | €15 |',
        '',
        '- Express',
        '  - next day',
        '  - before noon',
        '- Standard',
        '',
        '> Orders placed on Sundays ship on Monday.',
        '',
        '![Parcel map](https://cdn.example/map.png)',
      ].join('\n'),
    );
    expect(passages).toEqual([
      {
        heading: 'Fees',
        text: 'Country | Fee\nNorway | €9\nChile | €15\n\n- Express\n  - next day\n  - before noon\n- Standard\n\nOrders placed on Sundays ship on Monday.\n\nParcel map',
      },
    ]);
  });

  it('takes setext headings as headings and keeps the numbers of an ordered list', () => {
    expect(splitIntoPassages('Returns\n=======\n\n3. Pack it\n4. Post it')).toEqual([
      { heading: 'Returns', text: '3. Pack it\n4. Post it' },
    ]);
  });
});

describe('searching the knowledge base', () => {
  beforeEach(async () => {
    await seedDemoKnowledgeBase(em());
  });

  it.each([
    ['How long does delivery take?', 'delivery-times-and-shipping-costs'],
    ['can I get my money back?', 'returns-and-refunds'],
    ['I forgot my password', 'account-and-password-reset'],
    ['do you take paypal', 'payment-methods'],
    ['when are you open on saturday', 'opening-hours-and-contact'],
    ['please delete all my personal data', 'privacy-and-deleting-your-data'],
    ['how long is a gift card valid', 'gift-cards'],
    ['do you ship to switzerland', 'international-delivery'],
    ['my blender broke after a year', 'warranty-and-repairs'],
    ['I want to cancel my order', 'cancelling-or-changing-an-order'],
    ['where is my parcel? the tracking link shows nothing', 'tracking-your-order'],
  ])('answers "%s" from %s', async (question, slug) => {
    const hits = await widget(question);
    expect(hits[0]?.slug).toBe(slug);
  });

  it('returns passages with their article, heading and a score, best first, at most 5', async () => {
    const hits = await widget('refund after returning an item by post');
    expect(hits.length).toBe(5);
    expect(hits[0]).toMatchObject({ slug: 'returns-and-refunds', title: 'Returns and refunds' });
    expect(hits[0]!.articleId).toEqual(expect.any(Number));
    expect(typeof hits[0]!.heading).toBe('string');
    expect(hits[0]!.text.length).toBeGreaterThan(0);
    const scores = hits.map((hit) => hit.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('gives no more than two passages of one article, so the top five are not all one article', async () => {
    const hits = await widget('returns refunds returned items money back label post office');
    const perArticle = new Map<string, number>();
    for (const hit of hits) perArticle.set(hit.slug, (perArticle.get(hit.slug) ?? 0) + 1);
    expect(Math.max(...perArticle.values())).toBeLessThanOrEqual(2);
    expect(perArticle.size).toBeGreaterThan(1);
  });

  it('never gives the widget an internal article, even when it is the best match', async () => {
    const question = 'goodwill credit override code for lost parcels';
    expect(slugs(await widget(question))).not.toContain('internal-goodwill-credit-guidelines');
    expect(slugs(await operator(question))[0]).toBe('internal-goodwill-credit-guidelines');
  });

  it('never gives the widget a draft article, even when it is the best match', async () => {
    const question = 'black friday code BLACKFRIDAY40 kitchen appliances';
    expect(slugs(await widget(question))).not.toContain('black-friday-promotion-draft');
    expect(slugs(await operator(question))[0]).toBe('black-friday-promotion-draft');
  });

  it('hides an article from the widget the moment it is unpublished or made internal', async () => {
    const article = await em().findOneOrFail(KnowledgeArticle, { slug: 'gift-cards' });
    await updateArticle(em(), article.id, { published: false });
    expect(slugs(await widget('gift card balance'))).not.toContain('gift-cards');
    await updateArticle(em(), article.id, { published: true, visibility: 'internal' });
    expect(slugs(await widget('gift card balance'))).not.toContain('gift-cards');
    await updateArticle(em(), article.id, { visibility: 'public' });
    expect(slugs(await widget('gift card balance'))[0]).toBe('gift-cards');
  });

  it.each([
    '"',
    '"unbalanced quote',
    'refund*',
    '*',
    'NEAR(refund return)',
    'NEAR',
    'refund OR',
    'OR AND NOT',
    'refund -return',
    '-',
    'title:refund',
    '{title heading}: refund',
    '(refund',
    ')',
    '^refund',
    'refund + "return" - (card) : * NEAR/3',
    "'; drop table knowledge_article; --",
    '🙂 émojis and naïve café',
    'x'.repeat(5000),
    'word '.repeat(500),
  ])('treats FTS syntax in visitor text as plain words: %s', async (question) => {
    await expect(widget(question)).resolves.toEqual(expect.any(Array));
    await expect(operator(question)).resolves.toEqual(expect.any(Array));
  });

  it('still finds the article when the question is wrapped in FTS syntax', async () => {
    expect(slugs(await widget('NEAR("password" forgot*) OR -reset:'))[0]).toBe('account-and-password-reset');
  });

  it.each(['', '   ', '?!…', 'the and of to', 'hi, thanks!'])('returns nothing for a query without searchable words: "%s"', async (question) => {
    expect(toFtsQuery(question)).toBeNull();
    expect(await widget(question)).toEqual([]);
  });

  it('returns nothing when no passage mentions any of the words', async () => {
    expect(await widget('quantum chromodynamics lecture')).toEqual([]);
  });

  it('still finds a public passage ranked below hundreds of better internal ones', async () => {
    const sections = Array.from({ length: 250 }, (_, n) => `## Zebra ${n}\n\nZebra crossing zebra rules zebra.`).join('\n\n');
    await createArticle(em(), { title: 'Zebra handbook', body: sections, published: true, visibility: 'internal' });
    await createArticle(em(), {
      title: 'Street safety',
      body: `Look both ways. ${'Cross the road carefully and wait for the green light. '.repeat(15)}Use the zebra crossing.`,
      published: true,
    });
    expect(slugs(await operator('zebra crossing')).slice(0, 2)).toEqual(['zebra-handbook', 'zebra-handbook']);
    expect(slugs(await widget('zebra crossing'))).toEqual(['street-safety']);
  });

  it('can search inside a transaction without waiting on itself', async () => {
    const hits = await em().transactional((tx) => searchPassages(tx, 'gift card', { audience: 'widget' }));
    expect(hits[0]?.slug).toBe('gift-cards');
  });
});

describe('keeping the index in step with the articles', () => {
  it('re-indexes an updated article: the old text is no longer found, the new text is', async () => {
    const article = await createArticle(em(), {
      title: 'Loyalty programme',
      body: 'Collect marmalade points with every order.',
      published: true,
    });
    expect(slugs(await widget('marmalade points'))).toEqual(['loyalty-programme']);

    await updateArticle(em(), article.id, { body: 'Collect saffron stamps with every order.' });
    expect(await widget('marmalade')).toEqual([]);
    expect(slugs(await widget('saffron stamps'))).toEqual(['loyalty-programme']);
  });

  it('re-indexes when an import or editor upserts the same slug with a new body', async () => {
    await upsertArticle(em(), { title: 'Loyalty programme', body: 'Collect marmalade points.', published: true });
    const { outcome } = await upsertArticle(em(), { title: 'Loyalty programme', body: 'Collect saffron stamps.', published: true });
    expect(outcome).toBe('updated');
    expect(await widget('marmalade')).toEqual([]);
    expect(slugs(await widget('saffron'))).toEqual(['loyalty-programme']);
  });

  it('finds an article by its new title after a rename', async () => {
    const article = await createArticle(em(), { title: 'Loyalty programme', body: 'Collect points.', published: true });
    await updateArticle(em(), article.id, { title: 'Rewards club' });
    const hits = await widget('rewards club');
    expect(hits.map((hit) => hit.title)).toEqual(['Rewards club']);
  });

  it('leaves an identical article alone', async () => {
    const input = { title: 'Loyalty programme', body: 'Collect points.', published: true };
    await upsertArticle(em(), input);
    const before = await em().findOneOrFail(KnowledgeArticle, { slug: 'loyalty-programme' });
    const again = await upsertArticle(em(), input);
    expect(again.outcome).toBe('unchanged');
    const after = await em().findOneOrFail(KnowledgeArticle, { slug: 'loyalty-programme' });
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it('removes a deleted article and its passages from the index', async () => {
    const article = await createArticle(em(), { title: 'Loyalty programme', body: 'Collect marmalade points.', published: true });
    const before = await passageCount();
    expect(await deleteArticle(em(), article.id)).toBe(true);
    expect(await widget('marmalade')).toEqual([]);
    expect(await operator('marmalade')).toEqual([]);
    expect(await passageCount()).toBe(before - 1);
    expect(await deleteArticle(em(), article.id)).toBe(false);
  });
});

describe('article slugs', () => {
  it('makes the slug from the title', () => {
    expect(slugify('Returns & Refunds — Crème brûlée 2024!')).toBe('returns-refunds-creme-brulee-2024');
  });

  it('numbers a new article whose title slug is taken, and refuses a taken explicit slug', async () => {
    const first = await createArticle(em(), { title: 'Shipping', body: 'One.' });
    const second = await createArticle(em(), { title: 'Shipping', body: 'Two.' });
    expect([first.slug, second.slug]).toEqual(['shipping', 'shipping-2']);
    const error = await createArticle(em(), { title: 'Other', body: 'Three.', slug: 'shipping' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('CONFLICT');
  });

  it('refuses input without a title, without a body, or with an unknown visibility', async () => {
    await expect(createArticle(em(), { title: ' ', body: 'x' })).rejects.toThrow('missing title');
    await expect(createArticle(em(), { title: 'T', body: '\n\n' })).rejects.toThrow('empty body');
    await expect(createArticle(em(), { title: 'T', body: 'x', visibility: 'secret' })).rejects.toThrow('visibility must be');
  });
});

describe('the demo knowledge base', () => {
  it('seeds at least ten public articles and the internal and draft examples into an empty database', async () => {
    expect(await seedDemoKnowledgeBase(em())).toBe(DEMO_ARTICLES.length);
    const articles = await em().find(KnowledgeArticle, {});
    expect(articles.filter((a) => a.published && a.visibility === 'public').length).toBeGreaterThanOrEqual(10);
    expect(articles.some((a) => a.visibility === 'internal')).toBe(true);
    expect(articles.some((a) => !a.published)).toBe(true);
  });

  it('seeds only once: a second run adds nothing', async () => {
    await seedDemoKnowledgeBase(em());
    const passages = await passageCount();
    expect(await seedDemoKnowledgeBase(em())).toBe(0);
    expect(await em().count(KnowledgeArticle, {})).toBe(DEMO_ARTICLES.length);
    expect(await passageCount()).toBe(passages);
  });

  it('does not seed a knowledge base that already has articles', async () => {
    await createArticle(em(), { title: 'Our own article', body: 'Text.' });
    expect(await seedDemoKnowledgeBase(em())).toBe(0);
    expect(await em().count(KnowledgeArticle, {})).toBe(1);
  });

  it('does not bring the demo back after an admin deleted every article', async () => {
    await seedDemoKnowledgeBase(em());
    for (const article of await em().find(KnowledgeArticle, {})) await deleteArticle(em(), article.id);
    expect(await seedDemoKnowledgeBase(em())).toBe(0);
    expect(await em().count(KnowledgeArticle, {})).toBe(0);
  });
});

describe('rendering article Markdown', () => {
  it('escapes raw HTML instead of passing it through', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<b>bold?</b>');
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('renders headings, lists, code, bold, italic and http(s) links', () => {
    const html = renderMarkdown(
      '# Returns\n\nSend it **back** within *30* days via [the portal](https://shop.example/r?a=1&b=2).\n\n- one\n- two\n\n1. first\n2. second\n\n```\n<b>code</b>\n```\n\nUse `x < y`.',
    );
    expect(html).toContain('<h2 id="returns">Returns</h2>');
    expect(html).toContain('<strong>back</strong>');
    expect(html).toContain('<em>30</em>');
    expect(html).toContain('<a href="https://shop.example/r?a=1&amp;b=2" rel="nofollow noopener noreferrer">the portal</a>');
    expect(html).toContain('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
    expect(html).toContain('<ol>\n<li>first</li>\n<li>second</li>\n</ol>');
    expect(html).toContain('<pre><code>&lt;b&gt;code&lt;/b&gt;</code></pre>');
    expect(html).toContain('<code>x &lt; y</code>');
  });

  it('turns links to anything but http(s) into plain text', () => {
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>', 'vbscript:x', '/relative']) {
      const html = renderInline(`[click](${href})`);
      expect(html).not.toContain('<a');
      expect(html).not.toMatch(/<script/);
    }
  });

  it('renders tables, nested lists, blockquotes and images, with no style attribute', () => {
    const html = renderMarkdown(
      '| Country | Fee |\n|:--|--:|\n| Norway | <b>€9</b> |\n\n- one\n  - nested\n\n> Quoted <i>text</i>\n\n![A map](https://cdn.example/map.png)',
    );
    const expected = [
      '<th class="align-left">Country</th>',
      '<td class="align-right">&lt;b&gt;€9&lt;/b&gt;</td>',
      '<ul>\n<li>one\n<ul>\n<li>nested</li>\n</ul>\n</li>\n</ul>',
      '<blockquote>\n<p>Quoted &lt;i&gt;text&lt;/i&gt;</p>\n</blockquote>',
      '<img src="https://cdn.example/map.png" alt="A map" loading="lazy">',
    ];
    for (const fragment of expected) expect(html).toContain(fragment);
    expect(html).not.toMatch(/style=|<b>|<i>/);
  });

  it('shows an image from anything but an http(s) address as its description', () => {
    for (const src of ['javascript:alert(1)', 'data:image/svg+xml,<svg onload=alert(1)>', '/local.png']) {
      const html = renderMarkdown(`![the map](${src})`);
      expect(html, src).not.toContain('<img');
      expect(html, src).toContain('the map');
    }
  });

  it('cannot be tricked into breaking out of a link attribute', () => {
    const html = renderInline('[x](https://a.example/"onmouseover="alert(1))');
    expect(html).not.toMatch(/"\s*onmouseover=/);
  });
});

describe('the public article pages over HTTP', () => {
  let h: Harness;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    h = await createHarness();
    const fork = h.orm.em.fork();
    await seedDemoKnowledgeBase(fork);
    await createArticle(h.orm.em.fork(), {
      title: 'Sneaky article',
      body: 'Before <script>alert("x")</script> after.\n\n[bad](javascript:alert(1)) and [good](https://example.com).',
      published: true,
      visibility: 'public',
    });
    ({ server, base } = await serveHttp(h.services));
  });
  afterAll(async () => {
    await stopHttp(server);
    await h.close();
  });

  it('shows a published public article at /kb/<slug> under the strict CSP', async () => {
    const response = await fetch(`${base}/kb/returns-and-refunds`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("style-src 'self'");
    const html = await response.text();
    expect(html).toContain('<h1>Returns and refunds</h1>');
    expect(html).toContain('<h2 id="how-to-return-an-item">How to return an item</h2>');
    expect(html).toContain('<link rel="stylesheet" href="/kb.css">');
    expect(html).not.toMatch(/<script|style=/);
  });

  it('escapes a script in an article body and drops a javascript: link', async () => {
    const html = await (await fetch(`${base}/kb/sneaky-article`)).text();
    expect(html).toContain('Before &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; after.');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener noreferrer">good</a>');
  });

  it.each([
    ['an internal article', 'internal-goodwill-credit-guidelines'],
    ['a draft article', 'black-friday-promotion-draft'],
    ['an unknown slug', 'no-such-article'],
    ['a malformed address', '%E0%A4%A'],
  ])('answers 404 for %s, revealing nothing', async (_, slug) => {
    const response = await fetch(`${base}/kb/${slug}`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('Article not found');
    expect(html).not.toMatch(/WH-7731|BLACKFRIDAY40|goodwill/i);
  });

  it('lists only published public articles at /kb/', async () => {
    const response = await fetch(`${base}/kb/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<a href="/kb/returns-and-refunds">Returns and refunds</a>');
    expect(html).not.toContain('internal-goodwill-credit-guidelines');
    expect(html).not.toContain('black-friday-promotion-draft');
    expect((await fetch(`${base}/kb`, { redirect: 'manual' })).headers.get('location')).toBe('/kb/');
  });

  it('searches public articles only from the index page, escaping the query', async () => {
    const html = await (await fetch(`${base}/kb/?q=${encodeURIComponent('goodwill credit <b>gift card</b>')}`)).text();
    expect(html).toContain('href="/kb/gift-cards"');
    expect(html).not.toContain('internal-goodwill-credit-guidelines');
    expect(html).not.toContain('<b>gift card</b>');
    expect(html).toContain('&lt;b&gt;gift card&lt;/b&gt;');
  });

  it('serves the help centre stylesheet', async () => {
    const response = await fetch(`${base}/kb.css`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/css');
  });
});

import type { ServerResponse } from 'node:http';
import type { EntityManager } from '@mikro-orm/sqlite';
import { articlePath, findPublicArticle, listPublicArticles } from './domain/knowledge/articles.js';
import { searchPassages } from './domain/knowledge/search.js';
import { renderMarkdown } from './domain/knowledge/markdown.js';
import type { Services } from './app/services.js';
import { errorText } from './lib/logger.js';

/**
 * The public help centre: `/kb/` (every published + public article, and a search box) and
 * `/kb/<slug>` (one article). What a citation in the chat links to. Internal and draft
 * articles answer exactly like unknown ones: 404, so their slugs cannot be probed.
 *
 * Article Markdown becomes HTML in domain/knowledge/markdown.ts: raw HTML never passes
 * through, links and images only go to http(s) addresses. The pages carry no inline script
 * or style (served under a strict CSP that only adds https images, styled by /kb.css).
 */

export interface KbPage {
  status: number;
  html: string;
}

/** Answers `/kb`, `/kb/…` and `/kb.css`. Never throws; a failure is a 500 page and a log line. */
export async function serveKnowledgeBase(services: Services, url: URL, res: ServerResponse): Promise<void> {
  if (url.pathname === '/kb.css') {
    res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=300' });
    res.end(KB_CSS);
    return;
  }
  if (url.pathname === '/kb') {
    res.writeHead(301, { Location: '/kb/' });
    res.end();
    return;
  }
  // Articles may show pictures hosted elsewhere (over https); everything else stays strict.
  res.setHeader('Content-Security-Policy', KB_CSP);
  let page: KbPage;
  try {
    page = await renderKbPage(services.orm.em.fork(), url);
  } catch (error) {
    services.log.error('knowledge-base page failed', { path: url.pathname, error: errorText(error) });
    page = { status: 500, html: layout('Something went wrong', '<h1>Something went wrong</h1><p>Please try again in a moment.</p>') };
  }
  // Not cached by shared caches: unpublishing an article must take effect at once.
  res.writeHead(page.status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end(page.html);
}

/** The page for a `/kb/…` URL: the index (with `?q=` search results) or one article. */
export async function renderKbPage(em: EntityManager, url: URL): Promise<KbPage> {
  const rest = url.pathname.slice('/kb/'.length).replace(/\/$/, '');
  if (!rest) return { status: 200, html: await indexPage(em, url.searchParams.get('q')?.slice(0, 500) ?? '') };
  let slug: string;
  try {
    slug = decodeURIComponent(rest);
  } catch {
    return notFound();
  }
  // No slug holds a slash or a control character; PostgreSQL refuses NUL in any text value,
  // so such an address must not reach the query at all.
  if (slug.includes('/') || /\p{Cc}/u.test(slug)) return notFound();
  const article = await findPublicArticle(em, slug);
  if (!article) return notFound();
  const updated = article.updatedAt.toISOString();
  return {
    status: 200,
    html: layout(
      article.title,
      `<article>
<h1>${escapeHtml(article.title)}</h1>
${renderMarkdown(article.body)}
<p class="kb-updated">Last updated <time datetime="${updated}">${updated.slice(0, 10)}</time></p>
</article>`,
    ),
  };
}

async function indexPage(em: EntityManager, query: string): Promise<string> {
  const form = `<form class="kb-search" action="/kb/" method="get" role="search">
<label for="kb-q">Search the help centre</label>
<input id="kb-q" name="q" type="search" value="${escapeHtml(query)}" maxlength="500">
<button type="submit">Search</button>
</form>`;
  if (query.trim()) {
    const hits = await searchPassages(em, query, { audience: 'widget', limit: 10 });
    const results = hits.length
      ? `<ol class="kb-results">${hits
          .map(
            (hit) =>
              `<li><a href="${articlePath(hit.slug)}">${escapeHtml(hit.title)}</a>${
                hit.heading ? ` <span class="kb-heading">${escapeHtml(hit.heading)}</span>` : ''
              }<p>${escapeHtml(excerpt(hit.text))}</p></li>`,
          )
          .join('\n')}</ol>`
      : '<p>No article matches your search. Try other words, or ask in the chat.</p>';
    return layout(`Search: ${query}`, `<h1>Help centre</h1>\n${form}\n<h2>Results for “${escapeHtml(query)}”</h2>\n${results}`);
  }
  const articles = await listPublicArticles(em);
  const list = articles.length
    ? `<ul class="kb-index">${articles
        .map((article) => `<li><a href="${articlePath(article.slug)}">${escapeHtml(article.title)}</a></li>`)
        .join('\n')}</ul>`
    : '<p>There are no articles yet.</p>';
  return layout('Help centre', `<h1>Help centre</h1>\n${form}\n${list}`);
}

function notFound(): KbPage {
  return {
    status: 404,
    html: layout(
      'Article not found',
      '<h1>Article not found</h1><p>This article does not exist or is not available. <a href="/kb/">See all articles</a>.</p>',
    ),
  };
}

function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title === 'Help centre' ? title : `${escapeHtml(title)} · Help centre`}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/kb.css">
</head>
<body>
<header class="kb-header"><a href="/kb/">Help centre</a></header>
<main>
${main}
</main>
</body>
</html>
`;
}

function excerpt(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, flat.lastIndexOf(' ', max - 1) > 0 ? flat.lastIndexOf(' ', max - 1) : max - 1)}…`;
}

// ---------------------------------------------------------------------------------------
// Escaping

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

const KB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'";

/** The help centre's own small stylesheet (the pages have no inline styles). */
export const KB_CSS = `
:root { color-scheme: light dark; --kb-accent: #2456d6; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #fff; }
.kb-header { padding: 0.75rem 1.5rem; border-bottom: 1px solid #e3e3e8; font-weight: 600; }
.kb-header a { color: inherit; text-decoration: none; }
main { max-width: 44rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.5rem; }
h3, h4, h5, h6 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
a { color: var(--kb-accent); }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, monospace; background: #f2f2f5; padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: #f2f2f5; padding: 1rem; overflow-x: auto; border-radius: 6px; }
pre code { background: none; padding: 0; }
.kb-updated { color: #6e6e73; font-size: 0.875rem; margin-top: 2.5rem; }
img { max-width: 100%; height: auto; }
blockquote { margin: 1rem 0; padding: 0.25rem 1rem; border-left: 4px solid #d1d1d6; color: #3a3a3c; }
table { border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; }
th, td { border: 1px solid #d1d1d6; padding: 0.4rem 0.75rem; text-align: left; }
.align-center { text-align: center; }
.align-right { text-align: right; }
.kb-search { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 1rem 0 2rem; }
.kb-search label { flex-basis: 100%; font-weight: 600; }
.kb-search input { flex: 1; min-width: 12rem; font: inherit; font-size: 1rem; padding: 0.5rem 0.75rem; border: 1px solid #c7c7cc; border-radius: 6px; }
.kb-search button { font: inherit; padding: 0.5rem 1rem; border: 0; border-radius: 6px; background: var(--kb-accent); color: #fff; cursor: pointer; }
.kb-index, .kb-results { padding-left: 1.25rem; }
.kb-index li, .kb-results li { margin: 0.4rem 0; }
.kb-results p { margin: 0.25rem 0 1rem; color: #3a3a3c; }
.kb-heading { color: #6e6e73; font-size: 0.875rem; }
@media (prefers-color-scheme: dark) {
  body { color: #f2f2f7; background: #1c1c1e; }
  .kb-header { border-color: #38383a; }
  code, pre { background: #2c2c2e; }
  blockquote { border-color: #48484a; color: #d1d1d6; }
  th, td { border-color: #48484a; }
  .kb-results p { color: #d1d1d6; }
  :root { --kb-accent: #6f9bff; }
}
`;

import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, fieldErrors, type PassageHit } from '../api.js';
import { when } from '../format.js';
import { navigate } from '../router.js';
import { PageElement, takeFlash } from '../page.js';
import { PagedList } from '../paged-list.js';

/** The knowledge base for admins: every article with its flags, and a way to test retrieval. */
@customElement('t0-knowledge-page')
export class KnowledgePage extends PageElement {
  private readonly list = new PagedList(this, (page) =>
    api.admin.knowledge.list.query({ ...(this.query ? { query: this.query } : {}), ...page }),
  );
  @state() private notice = takeFlash();
  @state() private question = '';
  @state() private hits: PassageHit[] | null = null;
  @state() private testing = false;
  @state() private testError = '';

  private get query(): string {
    return this.route.query.get('q')?.trim() ?? '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route') && this.isAdmin) void this.list.load();
  }

  private search(event: SubmitEvent): void {
    event.preventDefault();
    const q = String(new FormData(event.target as HTMLFormElement).get('q') ?? '').trim();
    navigate(q ? `/knowledge?${new URLSearchParams({ q })}` : '/knowledge');
  }

  override render() {
    if (!this.isAdmin) {
      return html`<h1 tabindex="-1">Knowledge base</h1>
        <p class="error" role="alert">Only an admin or owner can edit the knowledge base.</p>
        <p>Visitors and the assistant read the published, public articles at <a href="/kb" target="_blank" rel="noopener">the help centre</a>.</p>`;
    }
    return html`
      <div class="row">
        <h1 tabindex="-1">Knowledge base</h1>
      </div>
      <p class="hint">
        The assistant answers from published, public articles only. Internal articles are for the team; drafts for their editors.
      </p>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      <p><a class="button" href="/admin/knowledge/new">New article</a></p>
      <form role="search" aria-label="Search articles" @submit=${this.search}>
        <div class="field">
          <label for="article-search">Find an article by title or slug</label>
          <input id="article-search" name="q" type="search" .value=${this.query} autocomplete="off" />
        </div>
        <button type="submit">Find</button>
        ${this.query ? html`<a class="button secondary" href="/admin/knowledge">Show all</a>` : nothing}
      </form>
      ${this.list.renderError()}
      ${this.list.render({
        loading: 'Loading articles…',
        rows: (articles) => html`<ul class="cards" aria-label="Articles">
          ${articles.map(
            (a) => html`<li class="card">
              <a class="card-title" href="/admin/knowledge/${a.id}">${a.title}</a>
              <div class="card-line">
                <span class="badge ${a.published ? 'verified' : 'pending'}">${a.published ? 'Published' : 'Draft'}</span>
                <span class="badge ${a.visibility === 'internal' ? 'flag' : ''}">${a.visibility === 'public' ? 'Public' : 'Internal'}</span>
                <span class="muted">Updated ${when(a.updatedAt)}</span>
                <span class="muted">/kb/${a.slug}</span>
                ${a.publicPath
                  ? html`<a href=${a.publicPath} target="_blank" rel="noopener">View public page<span class="visually-hidden"> of ${a.title} (opens in a new tab)</span></a>`
                  : nothing}
              </div>
            </li>`,
          )}
        </ul>`,
        more: 'Show more articles',
        empty: () => html`<p class="empty">
          ${this.query ? `No article title or slug contains “${this.query}”.` : 'No articles yet. Write one, or import a folder with npm run import:kb.'}
        </p>`,
      })}
      ${this.tester()}
    `;
  }

  private tester() {
    return html`<section aria-labelledby="test-question">
      <h2 id="test-question">Test a question</h2>
      <p class="hint" id="test-question-hint">
        The five passages the widget's assistant would be given for a visitor's question (published, public articles only).
      </p>
      <form role="search" aria-label="Test a question" @submit=${this.test} novalidate>
        <div class="field">
          <label for="question">Question a visitor might ask</label>
          <input id="question" name="question" type="search" .value=${this.question} aria-describedby="test-question-hint" autocomplete="off" />
          ${this.testError ? html`<p class="field-error" role="alert">${this.testError}</p>` : nothing}
        </div>
        <button type="submit" ?disabled=${this.testing}>${this.testing ? 'Searching…' : 'Test'}</button>
      </form>
      ${this.hits === null
        ? nothing
        : this.hits.length
          ? html`<ol class="cards" aria-label="Passages the assistant would get">
              ${this.hits.map(
                (hit) => html`<li class="card">
                  <div class="card-title">${hit.title}${hit.heading ? html` <span class="muted">› ${hit.heading}</span>` : nothing}</div>
                  <div class="preview pre">${hit.text.length > 400 ? `${hit.text.slice(0, 399)}…` : hit.text}</div>
                  <div class="card-line">
                    <a href="/admin/knowledge/${hit.articleId}">Edit the article<span class="visually-hidden"> ${hit.title}</span></a>
                  </div>
                </li>`,
              )}
            </ol>`
          : html`<p class="empty" role="status">
              No published, public passage matches “${this.question}”. The assistant would say it does not know and offer to pass the
              question to the team.
            </p>`}
    </section>`;
  }

  private async test(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const question = String(new FormData(event.target as HTMLFormElement).get('question') ?? '').trim();
    this.question = question;
    if (!question) {
      this.testError = 'Type a question to test.';
      this.hits = null;
      return;
    }
    this.testing = true;
    this.testError = '';
    try {
      this.hits = (await api.admin.knowledge.search.query({ query: question })).hits;
    } catch (error) {
      this.testError = fieldErrors(error).query ?? this.problem(error);
      this.hits = null;
    } finally {
      this.testing = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-knowledge-page': KnowledgePage;
  }
}

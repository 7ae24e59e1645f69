import { html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, errorCode, fieldErrors, type Article } from '../api.js';
import { full } from '../format.js';
import { navigate } from '../router.js';
import { PageElement, flash, takeFlash } from '../page.js';

/** Writes or edits one knowledge-base article (admins). */
@customElement('t0-article-page')
export class ArticlePage extends PageElement {
  @state() private article: Article | null = null;
  @state() private loading = false;
  @state() private loadError = '';
  @state() private formError = '';
  @state() private fields: Record<string, string> = {};
  @state() private notice = '';
  @state() private saving = false;
  @state() private confirmingDelete = false;

  private get isNew(): boolean {
    return this.route.id === 'new';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('route')) return;
    this.article = null;
    this.formError = '';
    this.fields = {};
    this.confirmingDelete = false;
    this.notice = takeFlash();
    if (!this.isNew && this.isAdmin) void this.load();
  }

  private async load(): Promise<void> {
    const id = Number(this.route.id);
    if (!Number.isInteger(id) || id <= 0) {
      this.loadError = 'This is not an article number.';
      return;
    }
    this.loading = true;
    try {
      this.article = await api.admin.knowledge.get.query({ id });
      this.loadError = '';
    } catch (error) {
      this.loadError = this.problem(error);
    } finally {
      this.loading = false;
    }
  }

  override render() {
    if (!this.isAdmin) {
      return html`<h1 tabindex="-1">Knowledge base</h1>
        <p class="error" role="alert">Only an admin or owner can edit the knowledge base.</p>`;
    }
    if (!this.isNew && !this.article) {
      return this.loadError
        ? html`<h1 tabindex="-1">Article</h1>
            <p class="error" role="alert">${this.loadError}</p>
            <p><a href="/admin/knowledge">Back to the knowledge base</a></p>`
        : html`<p role="status">Loading the article…</p>`;
    }
    const a = this.article;
    return html`
      <p><a href="/admin/knowledge">← Knowledge base</a></p>
      <h1 tabindex="-1">${a ? `Edit “${a.title}”` : 'New article'}</h1>
      ${a
        ? html`<p class="card-line">
            <span class="badge ${a.published ? 'verified' : 'pending'}">${a.published ? 'Published' : 'Draft'}</span>
            <span class="badge ${a.visibility === 'internal' ? 'flag' : ''}">${a.visibility === 'public' ? 'Public' : 'Internal'}</span>
            <span class="muted">Updated ${full(a.updatedAt)}</span>
            ${a.publicPath
              ? html`<a href=${a.publicPath} target="_blank" rel="noopener">View ${a.publicPath}<span class="visually-hidden"> (opens in a new tab)</span></a>`
              : html`<span class="muted">Not on the public help centre (${a.published ? 'internal' : 'draft'}).</span>`}
          </p>`
        : nothing}
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}</div>
      <form @submit=${this.save} novalidate aria-label=${a ? 'Article' : 'New article'}>
        ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
        <div class="field">
          <label for="title">Title</label>
          <input id="title" name="title" required maxlength="300" .value=${a?.title ?? ''} aria-invalid=${this.fields.title ? 'true' : 'false'}
            aria-describedby="title-error" />
          ${this.fields.title ? html`<p class="field-error" id="title-error">${this.fields.title}</p>` : nothing}
        </div>
        <div class="field">
          <label for="slug">Slug</label>
          <input id="slug" name="slug" maxlength="120" autocapitalize="off" spellcheck="false" .value=${a?.slug ?? ''}
            aria-invalid=${this.fields.slug ? 'true' : 'false'} aria-describedby="slug-hint slug-error" />
          <p class="hint" id="slug-hint">The public address, /kb/<em>slug</em>: lower-case letters and digits joined by hyphens. Leave empty to make one from the title.</p>
          ${this.fields.slug ? html`<p class="field-error" id="slug-error">${this.fields.slug}</p>` : nothing}
        </div>
        <div class="field">
          <label for="body">Body (Markdown)</label>
          <textarea id="body" name="body" class="body-editor" required .value=${a?.body ?? ''} aria-invalid=${this.fields.body ? 'true' : 'false'}
            aria-describedby="body-hint body-error"></textarea>
          <p class="hint" id="body-hint">Headings (#, ##) split the article into the passages the assistant searches.</p>
          ${this.fields.body ? html`<p class="field-error" id="body-error">${this.fields.body}</p>` : nothing}
        </div>
        <div class="field row">
          <input id="published" name="published" type="checkbox" ?checked=${a?.published ?? false} aria-describedby="published-hint" />
          <label for="published">Published</label>
        </div>
        <p class="hint" id="published-hint">A draft is seen by nobody but the editors.</p>
        <div class="field">
          <label for="visibility">Visibility</label>
          <select id="visibility" name="visibility" aria-describedby="visibility-hint">
            <option value="public" ?selected=${(a?.visibility ?? 'public') === 'public'}>Public: visitors and the assistant</option>
            <option value="internal" ?selected=${a?.visibility === 'internal'}>Internal: the team only</option>
          </select>
          <p class="hint" id="visibility-hint">Only published, public articles reach the widget's assistant and the help centre.</p>
        </div>
        <div class="row">
          <button type="submit" ?disabled=${this.saving}>${this.saving ? 'Saving…' : a ? 'Save article' : 'Create article'}</button>
          <a class="button secondary" href="/admin/knowledge">Cancel</a>
        </div>
      </form>
      ${a ? this.deletion(a) : nothing}
    `;
  }

  private deletion(a: Article) {
    return html`<h2>Delete</h2>
      ${this.confirmingDelete
        ? html`<div class="confirm" role="group" aria-labelledby="confirm-delete">
            <p id="confirm-delete" tabindex="-1">
              Delete “${a.title}”? This cannot be undone${a.publicPath ? html`; ${a.publicPath} stops working at once` : ''}.
            </p>
            <div class="row">
              <button class="danger" @click=${() => void this.deleteArticle(a)}>Yes, delete the article</button>
              <button class="secondary" @click=${() => (this.confirmingDelete = false)}>Keep it</button>
            </div>
          </div>`
        : html`<p><button class="danger" @click=${this.askDelete}>Delete article</button></p>`}`;
  }

  private askDelete(): void {
    this.confirmingDelete = true;
    void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>('#confirm-delete')?.focus());
  }

  private async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const values = {
      title: String(form.get('title') ?? ''),
      slug: String(form.get('slug') ?? '').trim(),
      body: String(form.get('body') ?? ''),
      published: form.get('published') === 'on',
      visibility: form.get('visibility') === 'internal' ? ('internal' as const) : ('public' as const),
    };
    this.saving = true;
    this.formError = '';
    this.fields = {};
    this.notice = '';
    try {
      if (this.article) {
        this.article = await api.admin.knowledge.update.mutate({ id: this.article.id, ...values });
        this.notice = `Saved “${this.article.title}”.`;
      } else {
        const created = await api.admin.knowledge.create.mutate(values);
        flash(`Created “${created.title}”.`);
        navigate(`/knowledge/${created.id}`, { replace: true });
      }
    } catch (error) {
      this.fields = fieldErrors(error);
      if (errorCode(error) === 'CONFLICT') this.fields = { ...this.fields, slug: this.problem(error) };
      this.formError = this.problem(error);
      void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    } finally {
      this.saving = false;
    }
  }

  private async deleteArticle(a: Article): Promise<void> {
    try {
      await api.admin.knowledge.delete.mutate({ id: a.id });
      flash(`Deleted “${a.title}”.`);
      navigate('/knowledge');
    } catch (error) {
      this.formError = this.problem(error);
      this.confirmingDelete = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-article-page': ArticlePage;
  }
}

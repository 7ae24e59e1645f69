import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** One page of a cursor-paged list, as every console list procedure answers. */
export interface Page<Item = unknown> {
  items: Item[];
  nextCursor: string | null;
}

/** Where to read: a `cursor` from the page before, and how many rows (`limit`). */
export interface PageRequest {
  cursor?: string;
  limit?: number;
}

/** What a list needs of the page that shows it. */
export interface PagedListHost extends ReactiveControllerHost {
  /** The sentence to show for a failed call (see PageElement). */
  problem(error: unknown): string;
}

const PAGE_SIZE = 25;
/** A quiet refresh reloads the rows shown, up to this many. */
const MOST_KEPT = 100;

/**
 * A cursor-paged list on a console page: the first page, "Show more", a quiet refresh that
 * keeps as many rows as are shown, and an error line with "Try again". The page decides what
 * to ask (`fetch`) and how rows look; this keeps the state and the shared markup.
 */
export class PagedList<Result extends Page> implements ReactiveController {
  items: Result['items'] = [];
  /** The latest answer, for what a list procedure returns beside its rows. */
  last: Result | null = null;
  loading = true;
  error = '';
  private readonly host: PagedListHost;
  private readonly fetch: (request: PageRequest) => Promise<Result>;
  /** Counts loads; an answer to an earlier one is dropped. */
  private generation = 0;

  constructor(host: PagedListHost, fetch: (request: PageRequest) => Promise<Result>) {
    this.host = host;
    this.fetch = fetch;
    host.addController(this);
  }

  /** A page left, or a newer load, makes answers still on their way stale. */
  hostDisconnected(): void {
    this.generation++;
  }

  /**
   * Loads the first page. `keep` reloads as many rows as are shown, without the loading
   * line: for live updates, which should not make the list jump.
   */
  async load(options: { keep?: boolean } = {}): Promise<void> {
    const generation = ++this.generation;
    if (!options.keep) this.loading = true;
    this.host.requestUpdate();
    const limit = options.keep ? Math.min(MOST_KEPT, Math.max(PAGE_SIZE, this.items.length)) : PAGE_SIZE;
    try {
      const page = await this.fetch({ limit });
      if (generation !== this.generation) return;
      this.last = page;
      this.items = page.items;
      this.error = '';
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
    if (generation !== this.generation) return;
    this.loading = false;
    this.host.requestUpdate();
  }

  /** Appends the next page. */
  async more(): Promise<void> {
    const generation = this.generation;
    const cursor = this.last?.nextCursor;
    if (!cursor) return;
    try {
      const page = await this.fetch({ cursor });
      if (generation !== this.generation) return;
      this.last = page;
      this.items = [...this.items, ...page.items];
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
    this.host.requestUpdate();
  }

  /** Shows a failed call (the list's own, or an action on its rows) in the error line. */
  fail(error: unknown): void {
    this.error = this.host.problem(error);
    this.host.requestUpdate();
  }

  /** Takes rows off the list without asking the server again (after an action removed them). */
  drop(gone: (item: Result['items'][number]) => boolean): void {
    this.items = this.items.filter((item) => !gone(item));
    this.host.requestUpdate();
  }

  /** The error line with "Try again", when the last call failed. */
  renderError(): TemplateResult | typeof nothing {
    if (!this.error) return nothing;
    return html`<p class="error" role="alert">
      ${this.error} <button class="secondary" @click=${() => void this.load()}>Try again</button>
    </p>`;
  }

  /**
   * The list itself: `loading` while the first page loads, the rows with "Show more" (`more`)
   * when there are further pages, or `empty` when there are none (nothing after an error).
   */
  render(view: {
    loading: string;
    rows: (items: Result['items']) => TemplateResult;
    more: string;
    empty: () => unknown;
  }): unknown {
    if (this.loading) return html`<p role="status">${view.loading}</p>`;
    if (!this.items.length) return this.error ? nothing : view.empty();
    return html`${view.rows(this.items)}
      ${this.last?.nextCursor
        ? html`<p><button class="secondary" @click=${() => void this.more()}>${view.more}</button></p>`
        : nothing}`;
  }
}

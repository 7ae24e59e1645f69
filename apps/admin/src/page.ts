import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { api, errorCode, errorMessage, type LiveEvent, type Operator } from './api.js';
import { T0CatchUpEvent, T0LiveEvent, T0ReadEvent, T0SessionEndedEvent, T0ShortcutEvent } from './events.js';
import type { Route } from './router.js';
import { shared } from './styles.js';

let flashText = '';

/** A notice for the next page shown (e.g. "Article deleted." after leaving the editor). */
export function flash(text: string): void {
  flashText = text;
}

/** Takes the pending notice, once. */
export function takeFlash(): string {
  const text = flashText;
  flashText = '';
  return text;
}

/** What every page shares: the signed-in operator, the route, shared styles, live events. */
export class PageElement extends LitElement {
  static override styles = [shared];

  @property({ attribute: false }) operator!: Operator;
  @property({ attribute: false }) route!: Route;
  /** Shown as a list beside an open chat or ticket (wide screens): a smaller heading, no search box. */
  @property({ type: Boolean }) compact = false;
  /** Beside an open chat or ticket: its id, marked as the current row. */
  @property({ attribute: false }) selected: string | null = null;

  private readonly liveListener = (event: T0LiveEvent) => this.onLive(event.update);
  private readonly catchUpListener = () => this.refreshSoon(() => this.onCatchUp());
  private readonly shortcutListener = (event: T0ShortcutEvent) => this.onShortcut(event.key);
  private liveTimer: number | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(T0LiveEvent.eventName, this.liveListener);
    window.addEventListener(T0CatchUpEvent.eventName, this.catchUpListener);
    window.addEventListener(T0ShortcutEvent.eventName, this.shortcutListener);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(T0LiveEvent.eventName, this.liveListener);
    window.removeEventListener(T0CatchUpEvent.eventName, this.catchUpListener);
    window.removeEventListener(T0ShortcutEvent.eventName, this.shortcutListener);
    document.removeEventListener('visibilitychange', this.onVisible);
    if (this.liveTimer) clearTimeout(this.liveTimer);
  }

  /** Override to react to live events; see refreshSoon() to coalesce bursts. */
  protected onLive(_event: LiveEvent): void {}

  /** Override to act on a keyboard shortcut (`n`, `r`, `a`, `c`). */
  protected onShortcut(_key: string): void {}

  /** Override to reload what the page shows after the live stream had a gap (or on a poll). */
  protected onCatchUp(): void {}

  /** Runs `refresh` once for a burst of events (a streamed reply stores several). */
  protected refreshSoon(refresh: () => void, delayMs = 150): void {
    if (this.liveTimer) return;
    this.liveTimer = window.setTimeout(() => {
      this.liveTimer = null;
      refresh();
    }, delayMs);
  }

  /**
   * The sentence to show for a failed call. An ended session also tells the shell, which
   * shows the sign-in form.
   */
  problem(error: unknown): string {
    if (errorCode(error) === 'UNAUTHORIZED') this.dispatchEvent(new T0SessionEndedEvent());
    return errorMessage(error);
  }

  /** What this page shows as read, once the operator can see it: [ticket, newest message shown]. */
  private reading: [number, number] | null = null;
  private readonly onVisible = () => {
    if (!document.hidden && this.reading) this.markRead(...this.reading);
  };

  /**
   * The operator has seen `ticketId` up to message `upToMessageId`. A console in a hidden tab
   * waits until it is looked at again.
   */
  protected markRead(ticketId: number, upToMessageId: number): void {
    this.reading = [ticketId, upToMessageId];
    document.removeEventListener('visibilitychange', this.onVisible);
    document.addEventListener('visibilitychange', this.onVisible);
    if (document.hidden) return;
    api.admin.inbox.markRead
      .mutate({ ticketId, upToMessageId })
      .then(() => window.dispatchEvent(new T0ReadEvent()))
      .catch(() => {
        // Unread state is a hint: failing to mark it never gets in the way of the page.
      });
  }

  get isAdmin(): boolean {
    return this.operator.role === 'admin' || this.operator.role === 'owner';
  }

  /** Moves focus to the page heading, so screen readers announce the new page. */
  focusHeading(): void {
    this.shadowRoot?.querySelector<HTMLElement>('h1')?.focus();
  }
}

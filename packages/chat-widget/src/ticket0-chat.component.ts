import type { PropertyValues, TemplateResult } from 'lit';
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { T0CloseEvent, T0ErrorEvent, T0OpenEvent, T0UnreadEvent } from './events.js';
import type { ChatPanel } from './internal/panel.js';
import type { Ticket0ChatStrings } from './internal/strings.js';
import type { Language } from './internal/language.js';
import type { SiteConfig } from './internal/site-config.js';
import { fetchSiteConfig } from './internal/site-config.js';
import { isRightToLeft, loadStrings, pickLanguage } from './internal/language.js';
import { defaultStrings, format } from './internal/strings.js';
import type { ChatTransport } from './internal/transport.js';
import styles from './ticket0-chat.styles.js';

/** The server the widget script came from: `https://support.example.com/widget.js` → its origin. */
const scriptOrigin = new URL(import.meta.url).origin;

const chatIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path
    d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"
    fill="currentColor"
  />
</svg>`;

const closeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path
    d="M6 6l12 12M18 6L6 18"
    stroke="currentColor"
    stroke-width="2.25"
    stroke-linecap="round"
    fill="none"
  />
</svg>`;

/**
 * An AI support chat answered by a Ticket0 server: a round launcher button that opens a
 * chat panel. The panel's code and the network client load on first open. In the panel the
 * visitor can also ask for a human ("Talk to a human", and the offers the AI makes), rate
 * each reply, and verify their email with a code.
 *
 * @summary Support chat launcher and panel for any web page.
 * @tagname ticket0-chat
 *
 * @csspart launcher - The round button that opens and closes the panel.
 * @csspart unread - The count of unread replies on the launcher.
 * @csspart panel - The chat window (full screen below 480px viewport width).
 * @csspart header - The panel's title bar, holding the title, the verified badge and the close button.
 * @csspart badge - "Verified: ana@example.com" under the title, once the visitor verified their email.
 * @csspart actions - The bar under the header with "Talk to a human", "Verify your email", "Email me this conversation" and "New conversation".
 * @csspart messages - The scrolling conversation log.
 * @csspart verify - The "Verify your email" form (email, then the emailed code), shown in place of the conversation.
 * @csspart composer - The message box with its Send / Stop button.
 *
 * @cssproperty [--t0-accent=#2563eb] - Launcher, header and visitor-message colour (wins over the `accent` attribute and the console's colour).
 * @cssproperty [--t0-accent-contrast=#ffffff] - Text and icon colour on the accent colour.
 * @cssproperty [--t0-radius=16px] - Corner radius of the panel; bubbles and controls scale from it.
 * @cssproperty [--t0-font=system-ui, sans-serif] - Font family of everything in the widget.
 * @cssproperty [--t0-surface=#ffffff] - Panel background (dark scheme default `#1c1d21`).
 * @cssproperty [--t0-text=#1f2328] - Panel text colour (dark scheme default `#ececf1`).
 * @cssproperty [--t0-z-index=2147483000] - Stacking level of the launcher and the panel.
 *
 * @event {T0OpenEvent} t0-open - The panel opened.
 * @event {T0CloseEvent} t0-close - The panel closed.
 * @event {T0MessageEvent} t0-message - The server stored a message: the visitor's, once accepted, and the reply, once complete. `event.message` is the stored `ChatMessage`.
 * @event {T0EscalateEvent} t0-escalate - The visitor accepted an escalation offer and the server opened (or added to) a follow-up email ticket. `event.ticketId` is its number, `event.reason` the escalation reason code.
 * @event {T0RateEvent} t0-rate - The server stored the visitor's thumbs up / down on a reply. `event.messageId`, `event.rating` (`'up'`, `'down'`, or `null` when taken back).
 * @event {T0VerifiedEvent} t0-verified - The visitor proved their email with the emailed code. `event.email` is the verified address.
 * @event {T0UnreadEvent} t0-unread - Replies arrived while the panel was closed; `event.count` is the number on the launcher's badge (0 again once the panel opens).
 * @event {T0ErrorEvent} t0-error - The visitor was shown an error. `event.code` is the tRPC code (`TOO_MANY_REQUESTS`, …) or `NETWORK`, `INTERRUPTED`, `LOAD_FAILED`; `event.message` the sentence shown.
 */
export class Ticket0Chat extends LitElement {
  static override styles = styles;

  /**
   * Base URL of the Ticket0 server (its API is at `${server}/trpc`). Defaults to the origin
   * `widget.js` was loaded from. Set it before the first open.
   */
  @property() server?: string;

  /** Whether the panel is open. Reflects to the `open` attribute; set it or call `open()`. */
  @property({ type: Boolean, reflect: true, attribute: 'open' }) isOpen = false;

  /**
   * Where the launcher and the panel sit: `right` or `left` (physical sides). Unset, they
   * sit at the inline end, so `dir="rtl"` puts them on the left.
   */
  @property({ reflect: true }) position?: 'right' | 'left';

  /**
   * `hidden` hides the round button, for sites that open the chat from their own button
   * (which calls `open()`); Escape then returns focus to that button.
   */
  @property({ reflect: true }) launcher?: 'hidden' | 'shown';

  /** The brand name in the panel's header; wins over the one set in the console. */
  @property() brand?: string;

  /** The accent colour (`#0a7d4f`); wins over the console's. `--t0-accent` wins over both. */
  @property() accent?: string;

  /** The assistant's first message; wins over the console's and the built-in greeting. */
  @property() greeting?: string;

  /**
   * A signed identity from the site's own server for its signed-in visitor (see the README):
   * the chat is verified as that customer without a code. Presented when the panel opens.
   */
  @property() identity?: string;

  /** Plays a short tone when a reply arrives while the panel is closed. Off unless set. */
  @property({ type: Boolean }) sound = false;

  /** `light` or `dark` forces that colour scheme; `auto` (default) follows the visitor's system. */
  @property({ reflect: true }) theme?: 'auto' | 'light' | 'dark';

  /**
   * Replacement wording, merged over the built-in wording of the visitor's language
   * (`{ title: 'Aide' }`).
   */
  @property({ attribute: false }) strings: Partial<Ticket0ChatStrings> = {};

  /**
   * Replaces the network client (tests, or hosts that relay the chat another way). When
   * unset, the tRPC client for `server` is loaded on first open.
   */
  @property({ attribute: false }) transport: ChatTransport | undefined;

  @state() private panel: ChatPanel | undefined;
  /** The built-in wording of the visitor's language, once loaded (English is built in). */
  @state() private localeStrings: Ticket0ChatStrings | null = null;
  private chosen: { language: Language; tag: string } = { language: 'en', tag: 'en' };
  /** What the site owner set in the console, once fetched. */
  @state() private siteConfig: SiteConfig | null = null;
  /** Messages from the assistant or support that arrived while the panel was closed. */
  @state() private unread = 0;
  @state() private panelFailed = false;
  private panelLoading: Promise<ChatPanel | undefined> | undefined;
  private returnFocus = false;
  /** What had focus on the page when the panel opened; focus goes back there on close. */
  private opener: HTMLElement | null = null;

  constructor() {
    super();
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.isOpen) {
        event.stopPropagation();
        this.close();
      }
    });
  }

  /** The resolved server base URL, without a trailing slash. */
  get serverUrl(): string {
    return new URL(this.server || scriptOrigin, document.baseURI).href.replace(/\/+$/, '');
  }

  /**
   * The strings in effect: the visitor's language, with `strings` merged over it.
   * @internal
   */
  get text(): Ticket0ChatStrings {
    const config = this.siteConfig;
    const site: Partial<Ticket0ChatStrings> = {};
    // Console settings, then attributes, then `strings`: the page has the last word.
    const title = this.brand || config?.brandName;
    if (title) site.title = title;
    const greeting = this.greeting || config?.greeting;
    if (greeting) site.greeting = greeting;
    if (config?.assistantLabel) site.assistantLabel = config.assistantLabel;
    const text = { ...defaultStrings, ...this.localeStrings, ...site, ...this.strings };
    // The visitor must always be told they are talking to an AI.
    if (!text.assistantLabel?.trim())
      text.assistantLabel = (this.localeStrings ?? defaultStrings).assistantLabel;
    return text;
  }

  /**
   * Counts a message that arrived while the panel is closed: badge, `t0-unread`, and the
   * tone when `sound` is set.
   * @internal
   */
  noteArrival(): void {
    if (this.isOpen) return;
    this.unread++;
    this.emit(new T0UnreadEvent(this.unread));
    if (this.sound) this.chime();
  }

  /** A short soft tone, made on the spot (no audio file to download). */
  private chime(): void {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      tone.frequency.value = 880;
      volume.gain.setValueAtTime(0.08, audio.currentTime);
      volume.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
      tone.connect(volume).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
      tone.onended = () => void audio.close();
    } catch {
      // No audio here (or not allowed before the visitor interacted): the badge remains.
    }
  }

  /**
   * The visitor's language tag, sent to the server as the chat's locale: the element's or
   * the page's `lang`, else the first of the browser's languages the widget speaks.
   * @internal
   */
  get languageTag(): string {
    return this.chosen.tag;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.chooseLanguage();
  }

  /** Picks the language again (a `lang` may have changed) and loads its wording. */
  private async chooseLanguage(): Promise<void> {
    const chosen = pickLanguage([
      this.closest<HTMLElement>('[lang]')?.lang,
      ...(navigator.languages ?? [navigator.language]),
    ]);
    if (chosen.language === this.chosen.language && chosen.tag === this.chosen.tag) return;
    this.chosen = chosen;
    try {
      const strings = await loadStrings(chosen.language);
      if (this.chosen === chosen) this.localeStrings = strings;
    } catch {
      // The language file did not load: English stays.
    }
  }

  /** Opens the panel and moves focus to the message box. */
  open(): void {
    this.isOpen = true;
  }

  /**
   * Closes the panel; focus returns to the launcher if it was inside the widget (with the
   * launcher hidden, to the element that had focus when the panel opened).
   */
  close(): void {
    this.isOpen = false;
  }

  /** Opens the panel when closed, closes it when open. */
  toggle(): void {
    this.isOpen = !this.isOpen;
  }

  /** Sets `identity`: the site's signed identity for the visitor who just signed in. */
  identify(token: string): void {
    this.identity = token;
  }

  /**
   * Forgets the identity and this browser's chat (call it when the visitor signs out of the
   * site): the next person at this browser starts a new, unverified chat.
   */
  reset(): void {
    this.identity = undefined;
    if (this.panel) return this.panel.reset();
    // The keys internal/credentials.ts writes, without loading it into the launcher.
    const key = `ticket0-chat:${new URL(this.serverUrl).origin}`;
    try {
      localStorage.removeItem(key);
      localStorage.removeItem(`${key}:started`);
    } catch {
      // no storage here: nothing was kept
    }
  }

  protected override firstUpdated(): void {
    void fetchSiteConfig(this.serverUrl, this.transport).then((config) => {
      this.siteConfig = config;
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const accent = this.accent || this.siteConfig?.accentColor;
    // An inline fallback, so `--t0-accent` set by the page's CSS still wins.
    if (accent && CSS.supports('color', accent)) this.style.setProperty('--t0-site-accent', accent);
    else this.style.removeProperty('--t0-site-accent');
    if (changed.has('identity') && this.identity) void this.panel?.identify();
    if (!changed.has('isOpen')) return;
    if (this.isOpen) {
      void this.loadPanel();
      void this.chooseLanguage();
      const active = document.activeElement;
      this.opener = active instanceof HTMLElement && active !== this ? active : null;
    }
    // Hiding the panel drops focus to <body>; remember to put it back instead.
    else this.returnFocus = this.shadowRoot?.activeElement != null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('isOpen')) return;
    const wasOpen = changed.get('isOpen');
    if (this.isOpen) {
      this.emit(new T0OpenEvent());
      if (this.unread) {
        this.unread = 0;
        this.emit(new T0UnreadEvent(0));
      }
      void this.afterOpen(wasOpen !== undefined);
    } else if (wasOpen) {
      this.emit(new T0CloseEvent());
      // To the launcher, or with none shown, to the page's element that opened the panel.
      if (this.returnFocus) {
        if (this.launcher === 'hidden') this.opener?.focus();
        else this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus();
      }
      this.returnFocus = false;
      this.opener = null;
    }
  }

  /** Events are listed in the class JSDoc; dispatching through here keeps the manifest clean. */
  private emit(event: Event): void {
    this.dispatchEvent(event);
  }

  /** `moveFocus` is false for a panel open from the page's markup (`<ticket0-chat open>`). */
  private async afterOpen(moveFocus: boolean): Promise<void> {
    const panel = await this.loadPanel();
    if (!panel || !this.isOpen) return;
    panel.opened();
    await this.updateComplete;
    if (moveFocus) panel.focusInput();
  }

  private loadPanel(): Promise<ChatPanel | undefined> {
    this.panelFailed = false;
    this.panelLoading ??= import('./internal/panel.js').then(
      ({ ChatPanel }) => (this.panel = new ChatPanel(this)),
      () => {
        this.panelLoading = undefined;
        this.panelFailed = true;
        this.emit(new T0ErrorEvent('LOAD_FAILED', this.text.loadError));
        return undefined;
      },
    );
    return this.panelLoading;
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const rendered = this.isOpen || this.panel;
    // Arabic and Hebrew lay out right to left even on a left-to-right page.
    const dir = isRightToLeft(this.chosen.language) && this.localeStrings ? 'rtl' : nothing;
    return html`
      ${
        rendered
          ? html`<section
              part="panel"
              class="panel"
              role="dialog"
              aria-labelledby="title"
              dir=${dir}
              ?hidden=${!this.isOpen}
            >
              <header part="header" class="header">
                <div class="heading">
                  <h2 id="title">${t.title}</h2>
                  <p class="ai">${t.assistantLabel}</p>
                  ${this.panel ? this.panel.renderBadge() : nothing}
                </div>
                <button type="button" class="close" aria-label=${t.closeLabel} @click=${this.close}>
                  ${closeIcon}
                </button>
              </header>
              ${
                this.panel
                  ? this.panel.render()
                  : html`<p class="status" role="status">
                      ${this.panelFailed ? t.loadError : t.loadingPanel}
                    </p>`
              }
            </section>`
          : nothing
      }
      <button
        type="button"
        part="launcher"
        class="launcher"
        dir=${dir}
        aria-label=${
          this.isOpen
            ? t.closeLabel
            : this.unread
              ? format(t.launcherUnread, { n: this.unread })
              : t.launcherLabel
        }
        aria-expanded=${this.isOpen ? 'true' : 'false'}
        @click=${this.toggle}
      >
        ${this.isOpen ? closeIcon : chatIcon}
        ${
          this.unread && !this.isOpen
            ? html`<span part="unread" class="unread" aria-hidden="true"
                >${this.unread > 9 ? '9+' : this.unread}</span
              >`
            : nothing
        }
      </button>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ticket0-chat': Ticket0Chat;
  }
}

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { T0CloseEvent, T0ErrorEvent, T0OpenEvent, T0UnreadEvent } from './events.js';
import type { ChatPanel } from './internal/panel.js';
import type { Ticket0ChatStrings } from './internal/strings.js';
import type { Language } from './internal/language.js';
import type { SiteConfig } from './internal/site-config.js';
import { fetchSiteConfig } from './internal/site-config.js';
import { isRightToLeft, loadStrings, pickLanguage } from './internal/language.js';
import { defaultStrings, format } from './internal/strings.js';
import { adoptStyles } from './internal/styles.js';
import type { ChatTransport } from './internal/transport.js';
import styles from './ticket0-chat.styles.js';

/*
 * The launcher stage is plain DOM, without Lit: a page downloads only this until the
 * visitor opens the chat (or points at the launcher). The panel stage (internal/panel.ts,
 * with Lit's templates and the tRPC client) draws into the frame made here; this element is
 * the host its controllers expect (`addController`, `requestUpdate`, `updateComplete`).
 */

/** The server the widget script came from: `https://support.example.com/widget.js` → its origin. */
const scriptOrigin = new URL(import.meta.url).origin;

/** The panel stage, fetched on the first open or ahead of it on hover or focus. */
const panelStage = () => import('./internal/panel.js');

const SVG = 'http://www.w3.org/2000/svg';

/** A 24×24 icon the accessible name of its button describes (so hidden from readers). */
function icon(d: string, paint: Record<string, string>): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = svg.appendChild(document.createElementNS(SVG, 'path'));
  path.setAttribute('d', d);
  for (const [name, value] of Object.entries(paint)) path.setAttribute(name, value);
  return svg;
}

const chatIcon = () =>
  icon('M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z', {
    fill: 'currentColor',
  });

const closeIcon = () =>
  icon('M6 6l12 12M18 6L6 18', {
    stroke: 'currentColor',
    'stroke-width': '2.25',
    'stroke-linecap': 'round',
    fill: 'none',
  });

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Sets or removes an attribute, touching the DOM only on a change. */
function attribute(node: Element, name: string, value: string | null): void {
  if (node.getAttribute(name) === value) return;
  if (value === null) node.removeAttribute(name);
  else node.setAttribute(name, value);
}

function text(node: Node, value: string): void {
  if (node.textContent !== value) node.textContent = value;
}

/** The element's settable properties (see connectedCallback). */
const ADOPTED_PROPERTIES = [
  'server',
  'isOpen',
  'position',
  'launcher',
  'brand',
  'accent',
  'greeting',
  'identity',
  'sound',
  'theme',
  'strings',
  'transport',
] as const;

/** The panel's frame: made on first open, filled by the panel stage once it has loaded. */
interface Frame {
  section: HTMLElement;
  heading: HTMLElement;
  title: HTMLElement;
  label: HTMLElement;
  close: HTMLButtonElement;
  status: HTMLElement;
}

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
export class Ticket0Chat extends HTMLElement implements ReactiveControllerHost {
  static readonly observedAttributes = [
    'server',
    'open',
    'position',
    'launcher',
    'brand',
    'accent',
    'greeting',
    'identity',
    'sound',
    'theme',
  ];

  private serverValue: string | undefined;
  private brandValue: string | undefined;
  private accentValue: string | undefined;
  private greetingValue: string | undefined;
  private identityValue: string | undefined;
  private soundValue = false;
  private stringsValue: Partial<Ticket0ChatStrings> = {};
  private transportValue: ChatTransport | undefined;

  /**
   * Base URL of the Ticket0 server (its API is at `${server}/trpc`). Defaults to the origin
   * `widget.js` was loaded from. Set it before the first open.
   * @attr server
   */
  get server(): string | undefined {
    return this.serverValue;
  }
  set server(value: string | undefined) {
    this.serverValue = value ?? undefined;
    this.requestUpdate();
  }

  /**
   * Whether the panel is open. Reflects to the `open` attribute; set it or call `open()`.
   * @attr open
   */
  get isOpen(): boolean {
    return this.hasAttribute('open');
  }
  set isOpen(value: boolean) {
    this.toggleAttribute('open', Boolean(value));
  }

  /**
   * Where the launcher and the panel sit: `right` or `left` (physical sides). Unset, they
   * sit at the inline end, so `dir="rtl"` puts them on the left.
   * @attr position
   */
  get position(): 'right' | 'left' | undefined {
    return this.reflected('position') as 'right' | 'left' | undefined;
  }
  set position(value: 'right' | 'left' | undefined) {
    this.reflect('position', value);
  }

  /**
   * `hidden` hides the round button, for sites that open the chat from their own button
   * (which calls `open()`); Escape then returns focus to that button.
   * @attr launcher
   */
  get launcher(): 'hidden' | 'shown' | undefined {
    return this.reflected('launcher') as 'hidden' | 'shown' | undefined;
  }
  set launcher(value: 'hidden' | 'shown' | undefined) {
    this.reflect('launcher', value);
  }

  /**
   * The brand name in the panel's header; wins over the one set in the console.
   * @attr brand
   */
  get brand(): string | undefined {
    return this.brandValue;
  }
  set brand(value: string | undefined) {
    this.brandValue = value ?? undefined;
    this.requestUpdate();
  }

  /**
   * The accent colour (`#0a7d4f`); wins over the console's. `--t0-accent` wins over both.
   * @attr accent
   */
  get accent(): string | undefined {
    return this.accentValue;
  }
  set accent(value: string | undefined) {
    this.accentValue = value ?? undefined;
    this.requestUpdate();
  }

  /**
   * The assistant's first message; wins over the console's and the built-in greeting.
   * @attr greeting
   */
  get greeting(): string | undefined {
    return this.greetingValue;
  }
  set greeting(value: string | undefined) {
    this.greetingValue = value ?? undefined;
    this.requestUpdate();
  }

  /**
   * A signed identity from the site's own server for its signed-in visitor (see the README):
   * the chat is verified as that customer without a code. Presented when the panel opens.
   * @attr identity
   */
  get identity(): string | undefined {
    return this.identityValue;
  }
  set identity(value: string | undefined) {
    this.identityValue = value ?? undefined;
    if (value) void this.panel?.identify();
  }

  /**
   * Plays a short tone when a reply arrives while the panel is closed. Off unless set.
   * @attr sound
   */
  get sound(): boolean {
    return this.soundValue;
  }
  set sound(value: boolean) {
    this.soundValue = Boolean(value);
  }

  /**
   * `light` or `dark` forces that colour scheme; `auto` (default) follows the visitor's system.
   * @attr theme
   */
  get theme(): 'auto' | 'light' | 'dark' | undefined {
    return this.reflected('theme') as 'auto' | 'light' | 'dark' | undefined;
  }
  set theme(value: 'auto' | 'light' | 'dark' | undefined) {
    this.reflect('theme', value);
  }

  /**
   * Replacement wording, merged over the built-in wording of the visitor's language
   * (`{ title: 'Aide' }`).
   */
  get strings(): Partial<Ticket0ChatStrings> {
    return this.stringsValue;
  }
  set strings(value: Partial<Ticket0ChatStrings>) {
    this.stringsValue = value ?? {};
    this.requestUpdate();
  }

  /**
   * Replaces the network client (tests, or hosts that relay the chat another way). When
   * unset, the tRPC client for `server` is loaded on first open.
   */
  get transport(): ChatTransport | undefined {
    return this.transportValue;
  }
  set transport(value: ChatTransport | undefined) {
    this.transportValue = value;
    this.requestUpdate();
  }

  private panel: ChatPanel | undefined;
  /** The built-in wording of the visitor's language, once loaded (English is built in). */
  private localeStrings: Ticket0ChatStrings | null = null;
  private chosen: { language: Language; tag: string } = { language: 'en', tag: 'en' };
  /** What the site owner set in the console, once fetched. */
  private siteConfig: SiteConfig | null = null;
  private configAsked = false;
  /** Messages from the assistant or support that arrived while the panel was closed. */
  private unread = 0;
  private panelFailed = false;
  private panelLoading: Promise<ChatPanel | undefined> | undefined;
  private returnFocus = false;
  /** What had focus on the page when the panel opened; focus goes back there on close. */
  private opener: HTMLElement | null = null;

  private adopted = false;
  private readonly controllers = new Set<ReactiveController>();
  private updatePending = false;
  private updated: Promise<boolean> = Promise.resolve(true);
  /** Whether the last render showed the panel open; undefined before the first render. */
  private shownOpen: boolean | undefined;
  private frame: Frame | undefined;
  private readonly launcherButton: HTMLButtonElement;
  private launcherIcon: SVGSVGElement | undefined;
  private readonly unreadBadge: HTMLElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    adoptStyles(root, [styles]);
    this.launcherButton = element('button', {
      type: 'button',
      part: 'launcher',
      class: 'launcher',
    });
    this.unreadBadge = element('span', { part: 'unread', class: 'unread', 'aria-hidden': 'true' });
    this.launcherButton.addEventListener('click', () => this.toggle());
    // Fetch the panel's code while the pointer or focus is on its way to the click.
    for (const type of ['pointerenter', 'focus']) {
      this.launcherButton.addEventListener(type, () => void panelStage().catch(() => {}), {
        once: true,
      });
    }
    root.append(this.launcherButton);
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.isOpen) {
        event.stopPropagation();
        this.close();
      }
    });
  }

  /** Where the panel stage renders. @internal */
  get renderRoot(): ShadowRoot {
    return this.shadowRoot!;
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
    this.requestUpdate();
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

  connectedCallback(): void {
    if (!this.adopted) {
      this.adopted = true;
      // A page script may set properties before widget.js defined the element: they sit on
      // the element itself, hiding this class's accessors. Hand them to the accessors.
      for (const name of ADOPTED_PROPERTIES) {
        if (!Object.prototype.hasOwnProperty.call(this, name)) continue;
        const value: unknown = this[name];
        delete this[name];
        (this as Record<typeof name, unknown>)[name] = value;
      }
    }
    for (const controller of this.controllers) controller.hostConnected?.();
    this.requestUpdate();
    void this.chooseLanguage();
  }

  disconnectedCallback(): void {
    for (const controller of this.controllers) controller.hostDisconnected?.();
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    if (name === 'server') this.server = value ?? undefined;
    else if (name === 'brand') this.brand = value ?? undefined;
    else if (name === 'accent') this.accent = value ?? undefined;
    else if (name === 'greeting') this.greeting = value ?? undefined;
    else if (name === 'identity') this.identity = value ?? undefined;
    else if (name === 'sound') this.sound = value !== null;
    else this.requestUpdate(); // reflected ones (open, position, launcher, theme) read the attribute
  }

  private reflected(name: string): string | undefined {
    return this.getAttribute(name) ?? undefined;
  }

  private reflect(name: string, value: string | undefined | null): void {
    if (value == null) this.removeAttribute(name);
    else this.setAttribute(name, value);
  }

  // ReactiveControllerHost, for the panel stage's controllers.

  /** @internal */
  addController(controller: ReactiveController): void {
    this.controllers.add(controller);
    if (this.isConnected) controller.hostConnected?.();
  }

  /** @internal */
  removeController(controller: ReactiveController): void {
    this.controllers.delete(controller);
  }

  /** Schedules one render for everything changed in this task, as Lit does. @internal */
  requestUpdate(): void {
    if (this.updatePending) return;
    this.updatePending = true;
    this.updated = Promise.resolve().then(() => {
      this.updatePending = false;
      this.update();
      return !this.updatePending;
    });
  }

  /** Resolves once the pending render is done (true when no other one is pending). */
  get updateComplete(): Promise<boolean> {
    return this.updated;
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
      if (this.chosen === chosen) {
        this.localeStrings = strings;
        this.requestUpdate();
      }
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
    if (this.panel) return this.panel.startOver();
    // The keys internal/credentials.ts writes, without loading it into the launcher.
    const key = `ticket0-chat:${new URL(this.serverUrl).origin}`;
    try {
      localStorage.removeItem(key);
      localStorage.removeItem(`${key}:started`);
    } catch {
      // no storage here: nothing was kept
    }
  }

  /** Events are listed in the class JSDoc; dispatching through here keeps the manifest clean. */
  private emit(event: Event): void {
    this.dispatchEvent(event);
  }

  private update(): void {
    const open = this.isOpen;
    const wasOpen = this.shownOpen;
    const toggled = open !== wasOpen;
    if (!this.configAsked) {
      this.configAsked = true;
      void fetchSiteConfig(this.serverUrl, this.transport).then((config) => {
        this.siteConfig = config;
        this.requestUpdate();
      });
    }
    const accent = this.accent || this.siteConfig?.accentColor;
    // An inline fallback, so `--t0-accent` set by the page's CSS still wins.
    if (accent && CSS.supports('color', accent)) this.style.setProperty('--t0-site-accent', accent);
    else this.style.removeProperty('--t0-site-accent');
    if (toggled && open) {
      void this.loadPanel();
      void this.chooseLanguage();
      const active = document.activeElement;
      this.opener = active instanceof HTMLElement && active !== this ? active : null;
    }
    // Hiding the panel drops focus to <body>; remember to put it back instead.
    else if (toggled) this.returnFocus = this.renderRoot.activeElement != null;

    for (const controller of this.controllers) controller.hostUpdate?.();
    this.render();
    this.shownOpen = open;
    for (const controller of this.controllers) controller.hostUpdated?.();

    if (!toggled) return;
    if (open) {
      this.emit(new T0OpenEvent());
      if (this.unread) {
        this.unread = 0;
        this.requestUpdate();
        this.emit(new T0UnreadEvent(0));
      }
      void this.afterOpen(wasOpen !== undefined);
    } else if (wasOpen) {
      this.emit(new T0CloseEvent());
      // To the launcher, or with none shown, to the page's element that opened the panel.
      if (this.returnFocus) {
        if (this.launcher === 'hidden') this.opener?.focus();
        else this.launcherButton.focus();
      }
      this.returnFocus = false;
      this.opener = null;
    }
  }

  /** `moveFocus` is false for a panel open from the page's markup (`<ticket0-chat open>`). */
  private async afterOpen(moveFocus: boolean): Promise<void> {
    const panel = await this.loadPanel();
    if (!panel || !this.isOpen) return;
    void panel.opened();
    await this.updateComplete;
    if (moveFocus) panel.focusInput();
  }

  private loadPanel(): Promise<ChatPanel | undefined> {
    this.panelFailed = false;
    this.panelLoading ??= panelStage().then(
      ({ ChatPanel }) => {
        this.panel = new ChatPanel(this);
        this.requestUpdate();
        return this.panel;
      },
      () => {
        this.panelLoading = undefined;
        this.panelFailed = true;
        this.requestUpdate();
        this.emit(new T0ErrorEvent('LOAD_FAILED', this.text.loadError));
        return undefined;
      },
    );
    return this.panelLoading;
  }

  /** The panel's frame and the launcher; the panel stage fills in the rest. */
  private render(): void {
    const t = this.text;
    // Arabic and Hebrew lay out right to left even on a left-to-right page.
    const dir = isRightToLeft(this.chosen.language) && this.localeStrings ? 'rtl' : null;
    if (this.isOpen || this.panel) {
      const frame = (this.frame ??= this.makeFrame());
      attribute(frame.section, 'dir', dir);
      frame.section.hidden = !this.isOpen;
      text(frame.title, t.title);
      text(frame.label, t.assistantLabel);
      attribute(frame.close, 'aria-label', t.closeLabel);
      if (this.panel) {
        frame.status.remove();
        this.panel.renderInto(frame.heading, frame.section);
      } else {
        text(frame.status, this.panelFailed ? t.loadError : t.loadingPanel);
      }
    }

    const button = this.launcherButton;
    attribute(button, 'dir', dir);
    attribute(
      button,
      'aria-label',
      this.isOpen
        ? t.closeLabel
        : this.unread
          ? format(t.launcherUnread, { n: this.unread })
          : t.launcherLabel,
    );
    attribute(button, 'aria-expanded', String(this.isOpen));
    if (this.isOpen !== this.shownOpen || !this.launcherIcon) {
      this.launcherIcon?.remove();
      this.launcherIcon = this.isOpen ? closeIcon() : chatIcon();
      button.prepend(this.launcherIcon);
    }
    if (this.unread && !this.isOpen) {
      text(this.unreadBadge, this.unread > 9 ? '9+' : String(this.unread));
      button.append(this.unreadBadge);
    } else {
      this.unreadBadge.remove();
    }
  }

  private makeFrame(): Frame {
    const title = element('h2', { id: 'title' });
    const label = element('p', { class: 'ai' });
    const heading = element('div', { class: 'heading' }, title, label);
    const close = element('button', { type: 'button', class: 'close' }, closeIcon());
    close.addEventListener('click', () => this.close());
    const status = element('p', { class: 'status', role: 'status' });
    // A <div>, not <header>: inside the shadow root a <header> counts as the page's banner
    // landmark, a second one beside the site's own.
    const header = element('div', { part: 'header', class: 'header' }, heading, close);
    const section = element(
      'section',
      { part: 'panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'title' },
      header,
      status,
    );
    this.renderRoot.prepend(section);
    return { section, heading, title, label, close, status };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ticket0-chat': Ticket0Chat;
  }
}

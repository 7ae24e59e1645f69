import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { html as staticHtml, literal, type StaticValue } from 'lit/static-html.js';
import { api, errorMessage, type InboxCounts, type LiveEvent, type Operator } from './api.js';
import { documentTitle, chime, loadAlertPreferences, newActivity, notifyDesktop } from './alerts.js';
import { SHORTCUT_KEYS, T0CatchUpEvent, T0LiveEvent, T0ReadEvent, T0ShortcutEvent } from './events.js';
import { time } from './format.js';
import { LiveConnection, type LiveStatus } from './live-connection.js';
import { BASE, MENU, isCurrent, navigate, parseRoute, routeSpec, type Route } from './router.js';
import { shared } from './styles.js';
import './pages/sign-in.js';
import './pages/chat-list.js';
import './pages/chat-view.js';
import './pages/ticket-list.js';
import './pages/ticket-view.js';
import './pages/team.js';
import './pages/settings.js';
import './pages/outbox.js';
import './pages/audit.js';
import './pages/integrations.js';
import './pages/account.js';
import './pages/review-queue.js';
import './pages/customer-list.js';
import './pages/customer-view.js';
import './pages/knowledge-list.js';
import './pages/article-edit.js';
import './pages/lessons.js';
import './pages/search.js';

const WIDE = '(min-width: 1200px)';

/** The list shown beside a chat or a ticket on wide screens. */
const LIST_BESIDE: Partial<Record<string, { list: StaticValue; section: string }>> = {
  chat: { list: literal`t0-chat-list`, section: 'chats' },
  ticket: { list: literal`t0-ticket-list`, section: 'tickets' },
};

/** The operator console: session, navigation, live events, and the page for the route. */
@customElement('t0-console-app')
export class ConsoleApp extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        min-height: 100vh;
        background: var(--soft);
      }
      header .skip {
        position: absolute;
        left: -999px;
        top: 0.5rem;
        color: var(--accent);
        background: var(--surface);
        padding: 0.5rem 0.75rem;
        z-index: 10;
      }
      header .skip:focus {
        left: 0.5rem;
      }
      header {
        background: #1f2a44;
        color: #fff;
        padding: 0.35rem 1rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.35rem 0.75rem;
      }
      /* Wide screens: brand, menu and who's signed in on one row. */
      @media (min-width: 1100px) {
        header {
          flex-wrap: nowrap;
        }
        nav ul {
          flex-wrap: nowrap;
        }
        nav a {
          white-space: nowrap;
        }
      }
      header :focus-visible {
        outline-color: #ffd27a;
      }
      .brand {
        font-weight: 700;
        white-space: nowrap;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.15rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .menu {
        display: none;
        background: transparent;
        border-color: #fff;
        min-height: 2.25rem;
      }
      /* Narrow screens: the page list folds behind a Menu button. */
      @media (max-width: 720px) {
        .menu {
          display: inline-flex;
        }
        nav {
          order: 3;
          flex-basis: 100%;
        }
        nav ul {
          display: none;
          flex-direction: column;
        }
        nav ul.open {
          display: flex;
        }
        nav a {
          display: block;
        }
      }
      nav a {
        color: #fff;
        text-decoration: none;
        padding: 0.4rem 0.5rem;
        border-radius: 6px;
        display: inline-block;
      }
      .me {
        color: #fff;
        white-space: nowrap;
      }
      nav li.phone-only {
        display: none;
      }
      nav a[aria-current='page'] {
        background: rgba(255, 255, 255, 0.18);
        text-decoration: underline;
        text-underline-offset: 4px;
      }
      .who {
        margin-left: auto;
        display: flex;
        align-items: center;
        gap: 0.5rem;
        flex-wrap: wrap;
        justify-content: flex-end;
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
      /* Phones: one compact row; the name moves into the menu's reach (Account), the status stays. */
      @media (max-width: 720px) {
        .brand {
          font-size: 0.95rem;
        }
        .who {
          gap: 0.35rem;
        }
        .who .me,
        .who .sign-out {
          display: none;
        }
        nav li.phone-only {
          display: block;
        }
        nav li.phone-only button {
          background: transparent;
          border-color: #fff;
          margin: 0.25rem 0.5rem;
        }
        .who button {
          min-height: 2.25rem;
          padding: 0.25rem 0.6rem;
        }
        .live {
          max-width: 9rem;
          overflow: hidden;
          text-overflow: ellipsis;
          white-space: nowrap;
        }
      }
      .who button {
        background: transparent;
        border-color: #fff;
        min-height: 2.25rem;
      }
      main {
        padding: 1rem;
        max-width: 64rem;
        margin: 0 auto;
      }
      main.inbox-main {
        max-width: 110rem;
      }
      /* Wide screens: the list beside the open chat or ticket. */
      .inbox {
        display: grid;
        grid-template-columns: minmax(18rem, 24rem) minmax(0, 1fr);
        gap: 1rem;
        align-items: start;
      }
      .inbox > .list-pane {
        position: sticky;
        top: 0.5rem;
        max-height: calc(100vh - 4.5rem);
        overflow: auto;
        padding-right: 0.25rem;
      }
      .live {
        font-size: 0.8rem;
        opacity: 0.85;
      }
      .live.offline,
      .live.reconnecting {
        opacity: 1;
        color: #ffd27a;
      }
      dialog.shortcuts {
        border: 1px solid var(--line);
        border-radius: var(--radius);
        max-width: min(32rem, calc(100vw - 2rem));
      }
      .count {
        display: inline-block;
        min-width: 1.3rem;
        padding: 0 0.35rem;
        border-radius: 999px;
        background: #ffd27a;
        color: #1f2a44;
        font-size: 0.78rem;
        font-weight: 700;
        text-align: center;
      }
    `,
  ];

  @state() private route: Route = parseRoute(location);
  @state() private operator: Operator | null = null;
  @state() private checking = true;
  @state() private loadError = '';
  @state() private liveState: LiveStatus = 'connecting';
  @state() private lastUpdate: Date | null = null;
  @state() private menuOpen = false;
  @state() private counts: InboxCounts | null = null;
  /** Wide enough to show a list beside the chat or ticket open from it. */
  @state() private wide = window.matchMedia(WIDE).matches;
  private readonly wideQuery = window.matchMedia(WIDE);
  private readonly onWide = () => (this.wide = this.wideQuery.matches);
  /** The list each section last showed (its filter), kept beside an open chat or ticket. */
  private readonly listRoutes = new Map<string, Route>();
  private countsTimer: number | null = null;
  private readonly live = new LiveConnection<LiveEvent>({
    open: (handlers) => api.admin.live.events.subscribe(undefined, handlers),
    probe: async () => (await api.admin.auth.session.query()) !== null,
    onEvent: (event) => {
      window.dispatchEvent(new T0LiveEvent(event));
      this.recountSoon();
    },
    onCatchUp: () => {
      window.dispatchEvent(new T0CatchUpEvent());
      this.recountSoon();
    },
    onStatus: (status, lastUpdate) => {
      this.liveState = status;
      this.lastUpdate = lastUpdate;
    },
    onSignedOut: () => this.sessionEnded(),
  });
  private focusAfterRender = false;

  private readonly onPopState = () => {
    this.route = parseRoute(location);
    this.menuOpen = false;
    this.focusAfterRender = true;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    this.wideQuery.addEventListener('change', this.onWide);
    window.addEventListener(T0ReadEvent.eventName, this.onRead);
    window.addEventListener('t0-open-path', this.onOpenPath);
    window.addEventListener('keydown', this.onKey);
    this.addEventListener('t0-signed-in', (event) => this.signedIn(event.operator));
    this.addEventListener('t0-session-ended', () => this.sessionEnded());
    this.addEventListener('t0-operator-changed', (event) => (this.operator = event.operator));
    void this.checkSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
    this.wideQuery.removeEventListener('change', this.onWide);
    window.removeEventListener(T0ReadEvent.eventName, this.onRead);
    window.removeEventListener('t0-open-path', this.onOpenPath);
    window.removeEventListener('keydown', this.onKey);
    this.live.stop();
  }

  private async checkSession(): Promise<void> {
    this.checking = true;
    this.loadError = '';
    try {
      const session = await api.admin.auth.session.query();
      if (session) this.signedIn(session.operator, false);
      else this.operator = null;
    } catch (error) {
      this.loadError = errorMessage(error);
    } finally {
      this.checking = false;
    }
  }

  private readonly onRead = () => this.recountSoon(50);

  /** Keyboard shortcuts, never while typing: `?` lists them; the page handles its own (see T0ShortcutEvent). */
  private readonly onKey = (event: KeyboardEvent) => {
    if (!this.operator || event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.composedPath().some(
      (node) => node instanceof HTMLElement && (node.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(node.tagName)),
    );
    if (typing) return;
    if (event.key === '?') {
      event.preventDefault();
      this.shadowRoot?.querySelector<HTMLDialogElement>('dialog.shortcuts')?.showModal();
    } else if (event.key === '/') {
      event.preventDefault();
      navigate('/search');
    } else if (SHORTCUT_KEYS.includes(event.key)) {
      window.dispatchEvent(new T0ShortcutEvent(event.key));
    }
  };
  private readonly onOpenPath = (event: Event) => navigate((event as CustomEvent<string>).detail);

  /** Reads the unread counts once for a burst of events, and alerts when they grew. */
  private recountSoon(delayMs = 400): void {
    if (this.countsTimer || !this.operator) return;
    this.countsTimer = window.setTimeout(() => {
      this.countsTimer = null;
      void this.recount();
    }, delayMs);
  }

  private async recount(): Promise<void> {
    try {
      const counts = await api.admin.inbox.counts.query();
      const news = newActivity(this.counts, counts);
      this.counts = counts;
      if (news) {
        const preferences = loadAlertPreferences();
        if (preferences.sound) chime();
        if (preferences.desktop && document.hidden) notifyDesktop(`New activity: ${news}.`, counts.chats ? '/chats' : '/tickets');
      }
    } catch {
      // The counts are a hint; the live status line already says when the server is away.
    }
  }

  private signedIn(operator: Operator, fromForm = true): void {
    this.operator = operator;
    this.counts = null;
    void this.recount();
    this.connectLive();
    if (this.route.name === 'sign-in') navigate('/chats', { replace: true });
    else if (fromForm) this.focusAfterRender = true;
  }

  private sessionEnded(): void {
    this.live.stop();
    this.operator = null;
  }

  /** One SSE stream per console, kept open; pages hear it as window events. */
  private connectLive(): void {
    this.live.start();
  }

  /** The connection's state in words, with the time the console last heard from the server. */
  private liveText(): string {
    const since = this.lastUpdate ? `last update ${time(this.lastUpdate)}` : 'no update yet';
    switch (this.liveState) {
      case 'live':
        return 'live';
      case 'connecting':
        return 'connecting…';
      case 'reconnecting':
        return `reconnecting… (${since})`;
      case 'polling':
        return `updating every 15 s (${since})`;
      case 'offline':
        return `offline (${since})`;
    }
  }

  private async signOut(): Promise<void> {
    try {
      await api.admin.auth.signOut.mutate();
    } finally {
      this.sessionEnded();
      navigate('/sign-in');
    }
  }

  protected override updated(): void {
    const page = this.operator ? routeSpec(this.route.name)?.title ?? 'Not found' : 'Sign in';
    document.title = documentTitle(page, this.operator && this.counts ? this.counts.chats + this.counts.tickets : 0);
    if (this.focusAfterRender) {
      this.focusAfterRender = false;
      const current = this.shadowRoot?.querySelector('main > :not(.inbox), main .detail-pane > *') as (HTMLElement & { focusHeading?: () => void }) | null;
      void (current as unknown as LitElement | null)?.updateComplete?.then(() => current?.focusHeading?.());
    }
  }

  override render() {
    if (this.checking && !this.operator) {
      return html`<main><p role="status">Loading the console…</p></main>`;
    }
    if (this.loadError && !this.operator) {
      return html`<main>
        <h1>Console</h1>
        <p class="error" role="alert">${this.loadError}</p>
        <button @click=${() => void this.checkSession()}>Try again</button>
      </main>`;
    }
    if (!this.operator) {
      return html`<main id="main"><t0-sign-in></t0-sign-in></main>`;
    }
    const admin = this.operator.role !== 'member';
    const menu = MENU.filter((entry) => admin || !routeSpec(entry.route)?.adminOnly).map((entry) => {
      const spec = routeSpec(entry.route);
      const href = `${BASE}${spec?.path ?? ''}${entry.query ? `?${entry.query}` : ''}`;
      const current = isCurrent(entry, this.route) ? 'page' : nothing;
      const unread = !entry.query && this.counts ? (entry.route === 'chats' ? this.counts.chats : entry.route === 'tickets' ? this.counts.tickets : 0) : 0;
      return html`<li>
        <a href=${href} aria-current=${current}
          >${entry.label ?? spec?.title}${unread
            ? html` <span class="count">${unread > 999 ? '999+' : unread}<span class="visually-hidden"> unread</span></span>`
            : nothing}</a
        >
      </li>`;
    });
    return html`
      <header>
        <!-- A button inside the banner: a link's #main could not reach into this shadow root. -->
        <button type="button" class="skip" @click=${this.skipToMain}>Skip to content</button>
        <span class="brand">Ticket0 Chat</span>
        <button type="button" class="menu" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="main-nav"
          @click=${() => (this.menuOpen = !this.menuOpen)}>
          Menu
        </button>
        <nav aria-label="Main">
          <ul id="main-nav" class=${this.menuOpen ? 'open' : ''}>
            ${menu}
            <li class="phone-only"><a href="${BASE}/account">Account (${this.operator.name})</a></li>
            <li class="phone-only"><button type="button" @click=${() => void this.signOut()}>Sign out</button></li>
          </ul>
        </nav>
        <div class="who">
          <a class="me" href="${BASE}/account" aria-current=${this.route.name === 'account' ? 'page' : nothing}
            >${this.operator.name}<span class="visually-hidden"> (account)</span></a
          >
          <span class="live ${this.liveState}" role="status">· ${this.liveText()}</span>
          ${this.liveState === 'offline' || this.liveState === 'polling'
            ? html`<button type="button" @click=${() => this.live.retryNow()}>Reconnect</button>`
            : nothing}
          <button type="button" class="sign-out" @click=${() => void this.signOut()}>Sign out</button>
        </div>
      </header>
      <dialog class="shortcuts" aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <dl class="facts">
          <dt><kbd>?</kbd></dt>
          <dd>This list</dd>
          <dt><kbd>/</kbd></dt>
          <dd>Search chats, tickets and customers</dd>
          <dt><kbd>n</kbd></dt>
          <dd>Next: the next chat or ticket in the list beside it (wide screens)</dd>
          <dt><kbd>r</kbd></dt>
          <dd>Reply to the open ticket</dd>
          <dt><kbd>a</kbd></dt>
          <dd>Assign the open ticket to me</dd>
          <dt><kbd>c</kbd></dt>
          <dd>Close the open ticket</dd>
        </dl>
        <form method="dialog"><button>Close</button></form>
      </dialog>
      <main id="main" tabindex="-1" class=${this.besideList() ? 'inbox-main' : ''}>${this.page()}</main>
    `;
  }

  private skipToMain(event: Event): void {
    event.preventDefault();
    const current = this.shadowRoot?.querySelector('main > :not(.inbox), main .detail-pane > *') as (HTMLElement & { focusHeading?: () => void }) | null;
    if (current?.focusHeading) current.focusHeading();
    else this.shadowRoot?.querySelector<HTMLElement>('main')?.focus();
  }

  private page() {
    const { route, operator } = this;
    const tag = routeSpec(route.name)?.page;
    if (!tag) {
      return html`<section>
        <h1 tabindex="-1">Page not found</h1>
        <p>There is nothing at this address. <a href="/admin/chats">Go to Live Chat</a>.</p>
      </section>`;
    }
    const page = staticHtml`<${tag} .operator=${operator} .route=${route}></${tag}>`;
    const beside = this.besideList();
    if (!beside) return page;
    return html`<div class="inbox">
      ${staticHtml`<${beside.list} class="list-pane" compact .selected=${route.id} .operator=${operator} .route=${beside.route}></${beside.list}>`}
      <div class="detail-pane">${page}</div>
    </div>`;
  }

  /** On wide screens, the list a chat or ticket was opened from, to show beside it. */
  private besideList(): { list: StaticValue; route: Route } | null {
    const { route } = this;
    if (route.name === 'chats' || route.name === 'tickets') this.listRoutes.set(route.name, route);
    const spec = LIST_BESIDE[route.name];
    if (!spec || !this.wide) return null;
    let listRoute = this.listRoutes.get(spec.section);
    if (!listRoute) {
      listRoute = parseRoute({ pathname: `${BASE}/${spec.section}`, search: '' });
      this.listRoutes.set(spec.section, listRoute);
    }
    return { list: spec.list, route: listRoute };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-console-app': ConsoleApp;
  }
}

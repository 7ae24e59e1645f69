import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { html as staticHtml } from 'lit/static-html.js';
import { api, errorMessage, type Operator } from './api.js';
import { T0LiveEvent } from './events.js';
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
import './pages/account.js';
import './pages/review-queue.js';
import './pages/customer-list.js';
import './pages/customer-view.js';
import './pages/knowledge-list.js';
import './pages/article-edit.js';
import './pages/lessons.js';

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
      .skip {
        position: absolute;
        left: -999px;
        top: 0.5rem;
        background: var(--surface);
        padding: 0.5rem 0.75rem;
        z-index: 10;
      }
      .skip:focus {
        left: 0.5rem;
      }
      header {
        background: #1f2a44;
        color: #fff;
        padding: 0.5rem 1rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
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
        padding: 0.4rem 0.6rem;
        border-radius: 6px;
        display: inline-block;
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
      .live {
        font-size: 0.8rem;
        opacity: 0.85;
      }
    `,
  ];

  @state() private route: Route = parseRoute(location);
  @state() private operator: Operator | null = null;
  @state() private checking = true;
  @state() private loadError = '';
  @state() private liveState: 'connecting' | 'live' | 'offline' = 'connecting';
  @state() private menuOpen = false;
  private live: { unsubscribe(): void } | null = null;
  private focusAfterRender = false;

  private readonly onPopState = () => {
    this.route = parseRoute(location);
    this.menuOpen = false;
    this.focusAfterRender = true;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    this.addEventListener('t0-signed-in', (event) => this.signedIn(event.operator));
    this.addEventListener('t0-session-ended', () => this.sessionEnded());
    this.addEventListener('t0-operator-changed', (event) => (this.operator = event.operator));
    void this.checkSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
    this.live?.unsubscribe();
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

  private signedIn(operator: Operator, fromForm = true): void {
    this.operator = operator;
    this.connectLive();
    if (this.route.name === 'sign-in') navigate('/chats', { replace: true });
    else if (fromForm) this.focusAfterRender = true;
  }

  private sessionEnded(): void {
    this.live?.unsubscribe();
    this.live = null;
    this.operator = null;
  }

  /** One SSE stream per console; pages hear it as window events. */
  private connectLive(): void {
    this.live?.unsubscribe();
    this.liveState = 'connecting';
    this.live = api.admin.live.events.subscribe(undefined, {
      onStarted: () => (this.liveState = 'live'),
      onData: (event) => {
        this.liveState = 'live';
        window.dispatchEvent(new T0LiveEvent(event));
      },
      onConnectionStateChange: (state) => {
        if (state.state === 'connecting' && state.error) this.liveState = 'offline';
        if (state.state === 'pending') this.liveState = 'live';
      },
      onError: () => {
        this.liveState = 'offline';
        // Most likely the session ended: find out, and show the sign-in form if so.
        void this.checkSession();
      },
    });
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
    document.title = `${page} — Ticket0 Chat`;
    if (this.focusAfterRender) {
      this.focusAfterRender = false;
      const current = this.shadowRoot?.querySelector('main > *') as (HTMLElement & { focusHeading?: () => void }) | null;
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
      return html`<li><a href=${href} aria-current=${current}>${entry.label ?? spec?.title}</a></li>`;
    });
    return html`
      <a class="skip" href="#main" @click=${this.skipToMain}>Skip to content</a>
      <header>
        <span class="brand">Ticket0 Chat</span>
        <button type="button" class="menu" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="main-nav"
          @click=${() => (this.menuOpen = !this.menuOpen)}>
          Menu
        </button>
        <nav aria-label="Main">
          <ul id="main-nav" class=${this.menuOpen ? 'open' : ''}>
            ${menu}
          </ul>
        </nav>
        <div class="who">
          <span
            >${this.operator.name} <span class="live" role="status">· ${this.liveState === 'live'
                ? 'live'
                : this.liveState === 'offline'
                  ? 'reconnecting…'
                  : 'connecting…'}</span></span
          >
          <button type="button" @click=${() => void this.signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" tabindex="-1">${this.page()}</main>
    `;
  }

  private skipToMain(event: Event): void {
    event.preventDefault();
    const current = this.shadowRoot?.querySelector('main > *') as (HTMLElement & { focusHeading?: () => void }) | null;
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
    return staticHtml`<${tag} .operator=${operator} .route=${route}></${tag}>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-console-app': ConsoleApp;
  }
}

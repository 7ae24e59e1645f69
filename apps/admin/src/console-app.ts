import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, errorMessage, type Operator } from './api.js';
import { LIVE_EVENT } from './page.js';
import { navigate, parseRoute, type Route } from './router.js';
import { shared } from './styles.js';
import './pages/sign-in.js';
import './pages/chat-list.js';
import './pages/chat-view.js';
import './pages/ticket-list.js';
import './pages/ticket-view.js';
import './pages/team.js';
import './pages/settings.js';
import './pages/outbox.js';
import './pages/account.js';
import './pages/review-queue.js';
import './pages/customer-list.js';
import './pages/customer-view.js';
import './pages/knowledge-list.js';
import './pages/article-edit.js';
import './pages/lessons.js';

const TITLES: Record<string, string> = {
  chats: 'Live Chat',
  chat: 'Chat',
  review: 'Review queue',
  tickets: 'Tickets',
  ticket: 'Ticket',
  customers: 'Customers',
  customer: 'Customer',
  knowledge: 'Knowledge base',
  article: 'Article',
  lessons: 'Lessons',
  team: 'Team',
  settings: 'Settings',
  outbox: 'Outbox',
  account: 'Account',
  'sign-in': 'Sign in',
  'not-found': 'Not found',
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
    this.addEventListener('t0-signed-in', (event) => this.signedIn((event as CustomEvent<Operator>).detail));
    this.addEventListener('t0-session-ended', () => this.sessionEnded());
    this.addEventListener('t0-operator-changed', (event) => (this.operator = (event as CustomEvent<Operator>).detail));
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
        window.dispatchEvent(new CustomEvent(LIVE_EVENT, { detail: event }));
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
    const name = this.operator ? this.route.name : 'sign-in';
    const page = TITLES[name] ?? 'Console';
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
    const { name, query } = this.route;
    const escalated = name === 'chats' && query.get('filter') === 'escalated';
    const link = (path: string, label: string, current: boolean) =>
      html`<li><a href="/admin${path}" aria-current=${current ? 'page' : nothing}>${label}</a></li>`;
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
            ${link('/chats', 'Live Chat', (name === 'chats' && !escalated) || name === 'chat')}
            ${link('/chats?filter=escalated', 'Escalated', escalated)} ${link('/review', 'Review queue', name === 'review')}
            ${link('/tickets', 'Tickets', name === 'tickets' || name === 'ticket')}
            ${link('/customers', 'Customers', name === 'customers' || name === 'customer')}
            ${admin ? link('/knowledge', 'Knowledge base', name === 'knowledge' || name === 'article') : nothing}
            ${link('/lessons', 'Lessons', name === 'lessons')} ${link('/team', 'Team', name === 'team')}
            ${admin ? link('/settings', 'Settings', name === 'settings') : nothing}
            ${admin ? link('/outbox', 'Outbox', name === 'outbox') : nothing} ${link('/account', 'Account', name === 'account')}
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
    switch (route.name) {
      case 'chats':
        return html`<t0-chat-list .operator=${operator} .route=${route}></t0-chat-list>`;
      case 'chat':
        return html`<t0-chat-view .operator=${operator} .route=${route}></t0-chat-view>`;
      case 'review':
        return html`<t0-review-queue .operator=${operator} .route=${route}></t0-review-queue>`;
      case 'customers':
        return html`<t0-customer-list .operator=${operator} .route=${route}></t0-customer-list>`;
      case 'customer':
        return html`<t0-customer-view .operator=${operator} .route=${route}></t0-customer-view>`;
      case 'knowledge':
        return html`<t0-knowledge-page .operator=${operator} .route=${route}></t0-knowledge-page>`;
      case 'article':
        return html`<t0-article-page .operator=${operator} .route=${route}></t0-article-page>`;
      case 'lessons':
        return html`<t0-lessons-page .operator=${operator} .route=${route}></t0-lessons-page>`;
      case 'tickets':
        return html`<t0-ticket-list .operator=${operator} .route=${route}></t0-ticket-list>`;
      case 'ticket':
        return html`<t0-ticket-view .operator=${operator} .route=${route}></t0-ticket-view>`;
      case 'team':
        return html`<t0-team-page .operator=${operator} .route=${route}></t0-team-page>`;
      case 'settings':
        return html`<t0-settings-page .operator=${operator} .route=${route}></t0-settings-page>`;
      case 'outbox':
        return html`<t0-outbox-page .operator=${operator} .route=${route}></t0-outbox-page>`;
      case 'account':
        return html`<t0-account-page .operator=${operator} .route=${route}></t0-account-page>`;
      default:
        return html`<section>
          <h1 tabindex="-1">Page not found</h1>
          <p>There is nothing at this address. <a href="/admin/chats">Go to Live Chat</a>.</p>
        </section>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    't0-console-app': ConsoleApp;
  }
}

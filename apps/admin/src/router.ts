import { literal, type StaticValue } from 'lit/static-html.js';

/** The console's client-side routes, all under /admin/ (the server serves index.html for them). */
export const BASE = '/admin';

interface RouteSpec {
  readonly name: string;
  /** The path under /admin; `:id` stands for a chat session id, a number, or `new`. */
  readonly path: string;
  /** The page's name in the document title and the main menu. */
  readonly title: string;
  /** The page element (none for sign-in: the shell shows that form when signed out). */
  readonly page?: StaticValue;
  /** A page inside another: its menu entry is the current one. */
  readonly under?: string;
  /** Admins and owners only: left out of a member's menu. */
  readonly adminOnly?: boolean;
  /** Reached another way (the search box, the operator's name), not from the main menu. */
  readonly offMenu?: boolean;
}

/** Every page of the console, in menu order. */
export const ROUTES = [
  { name: 'chats', path: '/chats', title: 'Live Chat', page: literal`t0-chat-list` },
  { name: 'chat', path: '/chats/:id', title: 'Chat', page: literal`t0-chat-view`, under: 'chats' },
  { name: 'review', path: '/review', title: 'Review queue', page: literal`t0-review-queue` },
  { name: 'tickets', path: '/tickets', title: 'Tickets', page: literal`t0-ticket-list` },
  { name: 'ticket', path: '/tickets/:id', title: 'Ticket', page: literal`t0-ticket-view`, under: 'tickets' },
  { name: 'customers', path: '/customers', title: 'Customers', page: literal`t0-customer-list` },
  { name: 'customer', path: '/customers/:id', title: 'Customer', page: literal`t0-customer-view`, under: 'customers' },
  { name: 'knowledge', path: '/knowledge', title: 'Knowledge base', page: literal`t0-knowledge-page`, adminOnly: true },
  { name: 'article', path: '/knowledge/:id', title: 'Article', page: literal`t0-article-page`, under: 'knowledge' },
  { name: 'lessons', path: '/lessons', title: 'Lessons', page: literal`t0-lessons-page` },
  { name: 'team', path: '/team', title: 'Team', page: literal`t0-team-page` },
  { name: 'settings', path: '/settings', title: 'Settings', page: literal`t0-settings-page`, adminOnly: true },
  { name: 'outbox', path: '/outbox', title: 'Outbox', page: literal`t0-outbox-page`, adminOnly: true, under: 'settings' },
  { name: 'integrations', path: '/integrations', title: 'Integrations', page: literal`t0-integrations-page`, adminOnly: true, under: 'settings' },
  { name: 'audit', path: '/audit', title: 'Audit', page: literal`t0-audit-page`, adminOnly: true, under: 'settings' },
  { name: 'account', path: '/account', title: 'Account', page: literal`t0-account-page`, offMenu: true },
  { name: 'search', path: '/search', title: 'Search', page: literal`t0-search-page`, offMenu: true },
  { name: 'sign-in', path: '/sign-in', title: 'Sign in' },
] as const satisfies readonly RouteSpec[];

export type RouteName = (typeof ROUTES)[number]['name'] | 'not-found';

/** The administration pages, reached from Settings so the main menu stays on one row. */
export const ADMIN_PAGES = ['settings', 'outbox', 'integrations', 'audit'] as const satisfies readonly RouteName[];

/** The main menu: a route's page, or a view of it (`query`), under its title or `label`. */
export const MENU: ReadonlyArray<{ route: RouteName; label?: string; query?: string }> = [
  { route: 'chats' },
  ...ROUTES.filter((spec: RouteSpec) => !spec.under && !spec.offMenu && spec.page && spec.name !== 'chats').map(
    (spec) => ({ route: spec.name }),
  ),
];

export interface Route {
  name: RouteName;
  /** The path's `:id` part: a chat session id, a ticket, customer or article number, or `new`. */
  id: string | null;
  query: URLSearchParams;
  path: string;
}

/** The table's entry for a route (none for `not-found`). */
export function routeSpec(name: RouteName): RouteSpec | undefined {
  return ROUTES.find((spec) => spec.name === name);
}

export function parseRoute(location: Pick<Location, 'pathname' | 'search'>): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) || '/' : location.pathname;
  const query = new URLSearchParams(location.search);
  const parts = path.split('/').filter(Boolean);
  // The console's front page is Live Chat.
  if (!parts.length) return { name: 'chats', id: null, query, path };
  for (const spec of ROUTES) {
    const pattern = spec.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    if (pattern.every((part, i) => part === ':id' || part === parts[i])) {
      const id = pattern.findIndex((part) => part === ':id');
      return { name: spec.name, id: id < 0 ? null : (parts[id] ?? null), query, path };
    }
  }
  return { name: 'not-found', id: null, query, path };
}

/** Whether a menu entry is the current page: the most specific entry for the route's section. */
export function isCurrent(entry: (typeof MENU)[number], route: Route): boolean {
  const section = routeSpec(route.name)?.under ?? route.name;
  const matches = MENU.filter(
    (candidate) =>
      candidate.route === section &&
      [...new URLSearchParams(candidate.query)].every(([key, value]) => route.query.get(key) === value),
  );
  return (matches.find((candidate) => candidate.query) ?? matches[0]) === entry;
}

/** Goes to a console path such as `/tickets/12` without reloading the page. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = path.startsWith(BASE) ? path : `${BASE}${path}`;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/**
 * Same-origin console links navigate in place. Clicks inside shadow roots are seen here
 * through composedPath().
 */
export function interceptLinks(): void {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(`${BASE}/`)) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}

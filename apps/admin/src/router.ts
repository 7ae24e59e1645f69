/** The console's client-side routes, all under /admin/ (the server serves index.html for them). */
export const BASE = '/admin';

export interface Route {
  /**
   * `chats`, `chat`, `review`, `tickets`, `ticket`, `customers`, `customer`, `knowledge`,
   * `article`, `lessons`, `team`, `settings`, `outbox`, `account`, `sign-in`, `not-found`
   */
  name: string;
  /** The path's id part: a chat session id, a ticket, customer or article number, or `new`. */
  id: string | null;
  query: URLSearchParams;
  path: string;
}

export function parseRoute(location: Pick<Location, 'pathname' | 'search'>): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) || '/' : location.pathname;
  const query = new URLSearchParams(location.search);
  const parts = path.split('/').filter(Boolean);
  const [first, second] = parts;
  const route = (name: string, id: string | null = null): Route => ({ name, id, query, path });
  if (!first) return route('chats');
  if (first === 'chats') return second ? route('chat', second) : route('chats');
  if (parts.length > 2) return route('not-found');
  if (first === 'tickets') return second ? route('ticket', second) : route('tickets');
  if (first === 'customers') return second ? route('customer', second) : route('customers');
  if (first === 'knowledge') return second ? route('article', second) : route('knowledge');
  if (['review', 'lessons', 'team', 'settings', 'outbox', 'account', 'sign-in'].includes(first) && !second) return route(first);
  return route('not-found');
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

import { describe, expect, it } from 'vitest';
import { ADMIN_PAGES, MENU, isCurrent, parseRoute, routeSpec, type Route } from '../src/router.js';

const at = (url: string): Route => {
  const { pathname, search } = new URL(url, 'https://support.example.com');
  return parseRoute({ pathname, search });
};
const current = (url: string) =>
  MENU.filter((entry) => isCurrent(entry, at(url))).map((entry) => entry.label ?? routeSpec(entry.route)?.title);

describe('console routes', () => {
  it('every console address names its page, with the id and query it carries', () => {
    expect(at('/admin/')).toMatchObject({ name: 'chats', id: null });
    expect(at('/admin/chats?filter=escalated')).toMatchObject({ name: 'chats', id: null });
    expect(at('/admin/chats?filter=escalated').query.get('filter')).toBe('escalated');
    expect(at('/admin/chats/cs_AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ name: 'chat', id: 'cs_AAAAAAAAAAAAAAAAAAAAAA' });
    expect(at('/admin/tickets/12/')).toMatchObject({ name: 'ticket', id: '12' });
    expect(at('/admin/knowledge/new')).toMatchObject({ name: 'article', id: 'new' });
    expect(at('/admin/sign-in')).toMatchObject({ name: 'sign-in' });
  });

  it('an address the console does not have is "not found", however close it comes', () => {
    for (const url of ['/admin/nope', '/admin/team/3', '/admin/tickets/12/edit', '/admin/chats/a/b']) {
      expect(at(url).name, url).toBe('not-found');
    }
    expect(routeSpec('not-found')).toBeUndefined();
  });

  it('the menu lists every top-level page once, in order, and marks the one in use', () => {
    expect(MENU.map((entry) => entry.label ?? routeSpec(entry.route)?.title)).toEqual([
      'Live Chat',
      'Review queue',
      'Tickets',
      'Customers',
      'Knowledge base',
      'Lessons',
      'Team',
      'Settings',
    ]);
    expect(current('/admin/chats')).toEqual(['Live Chat']);
    expect(current('/admin/chats?filter=verified')).toEqual(['Live Chat']);
    expect(current('/admin/chats?filter=escalated')).toEqual(['Live Chat']);
    expect(current('/admin/search?q=parcel')).toEqual([]);
    expect(current('/admin/chats/cs_AAAAAAAAAAAAAAAAAAAAAA')).toEqual(['Live Chat']);
    expect(current('/admin/tickets/4')).toEqual(['Tickets']);
    expect(current('/admin/knowledge/new')).toEqual(['Knowledge base']);
    expect(current('/admin/nope')).toEqual([]);
    // The administration pages live under Settings, so the menu stays on one row.
    expect(current('/admin/outbox')).toEqual(['Settings']);
    expect(current('/admin/integrations')).toEqual(['Settings']);
    expect(current('/admin/audit')).toEqual(['Settings']);
  });

  it('pages for admins only are marked so the menu can leave them out for members', () => {
    const adminOnly = MENU.filter((entry) => routeSpec(entry.route)?.adminOnly).map((entry) => entry.route);
    expect(adminOnly).toEqual(['knowledge', 'settings']);
    expect(ADMIN_PAGES.map((name) => routeSpec(name)?.adminOnly)).toEqual([true, true, true, true]);
  });
});

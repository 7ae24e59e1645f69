import { html, nothing } from 'lit';
import { ADMIN_PAGES, BASE, routeSpec } from './router.js';

/** The administration pages' own row of links, shown at the top of each of them. */
export function adminNav(current: (typeof ADMIN_PAGES)[number]) {
  return html`<nav class="subnav" aria-label="Administration">
    <ul>
      ${ADMIN_PAGES.map((name) => {
        const spec = routeSpec(name);
        return html`<li><a href="${BASE}${spec?.path ?? ''}" aria-current=${name === current ? 'page' : nothing}>${spec?.title}</a></li>`;
      })}
    </ul>
  </nav>`;
}

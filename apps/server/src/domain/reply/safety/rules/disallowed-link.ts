import { prepare } from '../context.js';
import { extractLinks, hostIsAllowed } from '../links.js';
import { quote, viewsOf } from '../text.js';
import type { SafetyRule, SafetyContext } from '../types.js';

function checkDisallowedLink(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const allowed = prepare(context).linkDomains;
  for (const reading of [views.plain, ...views.decoded]) {
    const link = extractLinks(reading).find((l) => !hostIsAllowed(l.host, allowed));
    if (link) return `links to a site that is not allowed: ${quote(link.raw)}`;
  }
  return null;
}

export const disallowedLink: SafetyRule = {
  name: 'disallowed_link',
  description:
    'Links (http/https/www or a bare domain such as "evil.example.com/x") to a host that is not one of allowedLinkDomains or their subdomains.',
  check: checkDisallowedLink,
};

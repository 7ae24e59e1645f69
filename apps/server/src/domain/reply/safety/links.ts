/** Links and bare domains in a text, and whether a host is one of the allowed domains. */

const COMMON_TLDS = new Set(
  (
    'com net org info biz io co uk de fr es it nl be ch at eu us ca au nz ie pl pt br mx ar cl jp cn kr in ru ua tr ' +
    'se no dk fi cz sk hu ro gr il za ae sa sg hk tw my th vn id ph xyz top site online shop store click link club app ' +
    'dev ai ly gg tk ml ga cf gq ws cc pw su icu live pro fun space website tech cloud page host email support help ' +
    'win bid loan work today world news life tv fm me to gov edu mil int example test onion'
  ).split(' '),
);

export function normaliseDomain(domain: string): string {
  let host = domain
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^\*\./, '');
  host = host.split(/[/?#]/, 1)[0]!.replace(/:\d+$/, '').replace(/\.$/, '');
  try {
    host = new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
  return host.replace(/^www\./, '');
}

export function hostIsAllowed(host: string, allowed: string[]): boolean {
  return allowed.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

export function extractLinks(plain: string): Array<{ raw: string; host: string }> {
  const links: Array<{ raw: string; host: string }> = [];
  let rest = plain;
  const schemed = /\b(?:https?|ftp|wss?):\/\/[^\s<>"'()[\]{}]+|\bwww\.[^\s<>"'()[\]{}]+/giu;
  for (const m of plain.matchAll(schemed)) {
    const raw = m[0].replace(/[.,;:!?]+$/, '');
    let host: string;
    try {
      host = new URL(raw.startsWith('www.') ? `http://${raw}` : raw).hostname
        .toLowerCase()
        .replace(/\.$/, '');
    } catch {
      host = raw
        .replace(/^[a-z]+:\/\//i, '')
        .split(/[/?#:@]/, 1)[0]!
        .toLowerCase();
    }
    links.push({ raw, host });
    rest = rest.replace(m[0], ' '.repeat(m[0].length));
  }
  for (const m of rest.matchAll(/\b(?:javascript|data|vbscript|file):(?=\S)[^\s]+/giu))
    links.push({ raw: m[0], host: m[0].split(':', 1)[0]!.toLowerCase() });
  const bare =
    /(?<![\p{L}\p{N}@.\-/_])((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(\p{L}{2,24}))(?::\d{2,5})?(\/[^\s<>"'()[\]{}]*)?/gu;
  for (const m of rest.matchAll(bare)) {
    const tld = m[2]!.toLowerCase();
    if (!COMMON_TLDS.has(tld) && !m[3] && !/^xn--/.test(tld)) continue; // "file.pdf", "Node.js"
    if (/^\p{Lu}/u.test(m[2]!) && !m[3] && !/^\p{Lu}+$/u.test(m[2]!)) continue; // "today.Please" is a missing space
    links.push({ raw: m[0].replace(/[.,;:!?]+$/, ''), host: normaliseDomain(m[1]!) });
  }
  return links;
}

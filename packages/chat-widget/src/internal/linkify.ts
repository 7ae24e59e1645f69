export type Segment = { text: string; href?: undefined } | { text: string; href: string };

// Only absolute http(s) URLs are candidates; `javascript:`, `data:`, `mailto:` and
// scheme-relative links never match, so they stay plain text.
const candidate = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const trailingPunctuation = /[.,;:!?'"*_~]+$/;

/** Drops sentence punctuation and unbalanced closing brackets glued to the end of a URL. */
function trimUrl(raw: string): string {
  let url = raw.replace(trailingPunctuation, '');
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
  ] as const) {
    while (url.endsWith(close) && url.split(close).length > url.split(open).length) {
      url = url.slice(0, -1).replace(trailingPunctuation, '');
    }
  }
  return url;
}

/**
 * `url` as an absolute http(s) address, or undefined for any other scheme (`javascript:`,
 * `data:`, …) and for text that is no URL. A relative `url` is resolved against `base`.
 */
export function safeHref(url: string, base?: string): string | undefined {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits model output into text and link segments. The caller binds each segment as text
 * (or as an `<a>` built by a template), so the output never passes through an HTML parser.
 */
export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(candidate)) {
    const url = trimUrl(match[0]);
    const href = safeHref(url);
    if (!href) continue;
    const start = match.index;
    if (start > last) segments.push({ text: text.slice(last, start) });
    segments.push({ text: url, href });
    last = start + url.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

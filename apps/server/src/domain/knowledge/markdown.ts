import MarkdownIt from 'markdown-it';
import Token from 'markdown-it/lib/token.mjs';

/**
 * Knowledge-base articles are Markdown as help centres write it: CommonMark with GitHub's
 * tables and strikethrough (markdown-it), so headings, lists (nested too), tables,
 * blockquotes, code, images and links all work. Raw HTML is switched off: a tag in an
 * article is text, shown escaped, never markup.
 *
 * One parse serves both readers, so what the AI reads and what a visitor sees come from the
 * same tokens: `toBlocks` gives the passage splitter (passages.ts) headings and plain text,
 * `renderMarkdown` gives the public pages (kb-pages.ts) safe HTML.
 */
const markdown = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
// Every link and image parses as one, whatever its address, so an unsafe one can become its
// plain label rather than stay as raw Markdown (which would show the address); renderMarkdown
// and renderInline then keep only http(s) addresses.
markdown.validateLink = () => true;

/** The tokens of an article's Markdown. Never throws; any input yields some tokens. */
export function parseMarkdown(source: string): Token[] {
  return markdown.parse(source.replace(/^\uFEFF/, ''), {});
}

// ---------------------------------------------------------------------------------------
// Plain text, for the passages the model reads

/** A heading, or the plain text of one top-level block (paragraph, list, table, quote, code). */
export type Block = { type: 'heading'; level: number; text: string } | { type: 'text'; text: string };

/**
 * The article as headings and plain-text blocks, in order. Emphasis markers go, a link
 * keeps its label and its address (`label (https://…)`), an image its description, code
 * its content; list items keep their markers, nested ones indented; table cells are joined
 * with ` | `, a row a line. Empty headings are left out.
 */
export function toBlocks(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'heading_open') {
      const text = inlineText(tokens[i + 1]!).trim();
      if (text) blocks.push({ type: 'heading', level: Number(token.tag.slice(1)), text });
      i += 2;
      continue;
    }
    const end = closingIndex(tokens, i);
    const text = blockText(tokens.slice(i, end + 1), '');
    if (text.trim()) blocks.push({ type: 'text', text });
    i = end;
  }
  return blocks;
}

/** Where the block opened at `start` closes (itself, for a block without children). */
function closingIndex(tokens: Token[], start: number): number {
  if (tokens[start]!.nesting !== 1) return start;
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    depth += tokens[i]!.nesting;
    if (depth === 0) return i;
  }
  return tokens.length - 1;
}

/** Plain text of a run of block tokens; `indent` prefixes each line (nested list items). */
function blockText(tokens: Token[], indent: string): string {
  const lines: string[] = [];
  const lists: Array<{ ordered: boolean; next: number }> = [];
  let cells: string[] | null = null;
  let marker: string | null = null;
  const add = (text: string) => {
    const depth = Math.max(0, lists.length - 1);
    const pad = indent + '  '.repeat(depth);
    text.split('\n').forEach((line, n) => {
      const lead = n === 0 && marker !== null ? `${pad}${marker} ` : lists.length ? `${pad}  ` : indent;
      lines.push(lead + line);
    });
    marker = null;
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open': {
        const list = lists.at(-1)!;
        marker = list.ordered ? `${list.next++}.` : '-';
        break;
      }
      case 'tr_open':
        cells = [];
        break;
      case 'tr_close':
        add(cells!.join(' | '));
        cells = null;
        break;
      case 'inline':
        if (cells) cells.push(inlineText(token).trim());
        else add(inlineText(token));
        break;
      case 'fence':
      case 'code_block':
        add(token.content.replace(/\n$/, ''));
        break;
    }
  }
  return lines.join('\n');
}

/** Inline Markdown as plain text. */
function inlineText(token: Token): string {
  let text = '';
  let link: { href: string; start: number } | null = null;
  for (const child of token.children ?? []) {
    switch (child.type) {
      case 'text':
      case 'code_inline':
        text += child.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        text += '\n';
        break;
      case 'image':
        text += child.content;
        break;
      case 'link_open':
        link = { href: child.attrGet('href') ?? '', start: text.length };
        break;
      case 'link_close':
        if (link) {
          const label = text.slice(link.start);
          if (isWebAddress(link.href) && label !== link.href) text += ` (${link.href})`;
        }
        link = null;
        break;
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------
// HTML, for the public pages

/**
 * Article Markdown as safe HTML: the body's top heading level becomes `<h2>` (the page's
 * title being the `<h1>`, whether the author started at `#` or `##`), each heading with an
 * anchor id. Links and images only point to http(s) addresses (anything else is its label
 * or description as text), links carry `rel="nofollow noopener noreferrer"`, and nothing
 * carries a style attribute (the pages run under a CSP without inline styles).
 */
export function renderMarkdown(source: string): string {
  const tokens = parseMarkdown(source);
  const levels = tokens.filter((t) => t.type === 'heading_open').map((t) => Number(t.tag.slice(1)));
  const top = Math.min(6, ...levels);
  const usedIds = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'heading_open' || token.type === 'heading_close') {
      token.tag = `h${Math.min(6, Number(token.tag.slice(1)) - top + 2)}`;
      if (token.type === 'heading_open') {
        const id = uniqueId(anchorFor(inlineText(tokens[i + 1]!)), usedIds);
        if (id) token.attrSet('id', id);
      }
    }
    if (token.type === 'th_open' || token.type === 'td_open') alignByClass(token);
    if (token.children) token.children = safeInline(token.children);
  }
  return markdown.renderer.render(tokens, markdown.options, {});
}

/** Inline Markdown as safe HTML, by the same rules as renderMarkdown. */
export function renderInline(source: string): string {
  const tokens = markdown.parseInline(source, {});
  for (const token of tokens) if (token.children) token.children = safeInline(token.children);
  return markdown.renderer.render(tokens, markdown.options, {});
}

/** Code without the trailing line break, and without a class from the info string. */
markdown.renderer.rules.fence = (tokens, idx) => `<pre><code>${markdown.utils.escapeHtml(tokens[idx]!.content.replace(/\n$/, ''))}</code></pre>\n`;
markdown.renderer.rules.code_block = markdown.renderer.rules.fence;

/** Links and images to http(s) only; the others become their text. */
function safeInline(children: Token[]): Token[] {
  const out: Token[] = [];
  const dropped: boolean[] = [];
  for (const child of children) {
    if (child.type === 'link_open') {
      const safe = isWebAddress(child.attrGet('href') ?? '');
      dropped.push(!safe);
      if (safe) {
        child.attrSet('rel', 'nofollow noopener noreferrer');
        out.push(child);
      }
    } else if (child.type === 'link_close') {
      if (!dropped.pop()) out.push(child);
    } else if (child.type === 'image') {
      if (isWebAddress(child.attrGet('src') ?? '')) {
        child.attrSet('loading', 'lazy');
        out.push(child);
      } else {
        const text = new Token('text', '', 0);
        text.content = child.content;
        out.push(text);
      }
    } else {
      out.push(child);
    }
  }
  return out;
}

/** markdown-it aligns table cells with a style attribute; the pages use classes instead. */
function alignByClass(cell: Token): void {
  const align = /text-align:(left|center|right)/.exec(cell.attrGet('style') ?? '')?.[1];
  if (!cell.attrs) return;
  cell.attrs = cell.attrs.filter(([name]) => name !== 'style');
  if (align) cell.attrSet('class', `align-${align}`);
}

function isWebAddress(href: string): boolean {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function anchorFor(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

function uniqueId(base: string, used: Set<string>): string {
  if (!base) return '';
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

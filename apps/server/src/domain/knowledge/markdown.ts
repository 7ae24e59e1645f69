/**
 * The small Markdown subset knowledge-base articles are written in: ATX headings (`#`),
 * paragraphs, bullet and numbered lists, fenced code blocks, and inline links, bold,
 * italic and code. Anything else is text. Raw HTML is never passed through: it is text too.
 *
 * One parser serves both the passage splitter (domain/knowledge.ts) and the public pages
 * (kb-pages.ts), so what the AI reads and what a visitor sees come from the same blocks.
 */

export type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; ordered: boolean; items: string[] }
  | { type: 'code'; text: string };

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/;
const EMPTY_HEADING = /^ {0,3}(#{1,6})[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/;
const NUMBERED = /^ {0,3}\d{1,9}[.)][ \t]+(.*)$/;
const CONTINUATION = /^(?: {2,}|\t)(.*)$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;

/** Splits a Markdown document into blocks. Never throws; any input yields some blocks. */
export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  // Typed through `as`: the closures below reassign it, which TypeScript's narrowing cannot see.
  let list = null as { ordered: boolean; items: string[] } | null;

  const endParagraph = () => {
    if (paragraph.length) blocks.push({ type: 'paragraph', text: paragraph.join('\n') });
    paragraph = [];
  };
  const endList = () => {
    if (list) blocks.push({ type: 'list', ordered: list.ordered, items: list.items });
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      endParagraph();
      endList();
      const marker = fence[1]!;
      const code: string[] = [];
      // An unclosed fence runs to the end of the document, as in CommonMark.
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(marker); i++) code.push(lines[i]!);
      blocks.push({ type: 'code', text: code.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line) ?? EMPTY_HEADING.exec(line);
    if (heading) {
      endParagraph();
      endList();
      const text = (heading[2] ?? '').trim();
      if (text) blocks.push({ type: 'heading', level: heading[1]!.length, text });
      continue;
    }
    if (!line.trim()) {
      endParagraph();
      // A blank line inside a list keeps the list going only if another item follows.
      if (list) {
        let next = i + 1;
        while (next < lines.length && !lines[next]!.trim()) next++;
        const following = lines[next];
        if (!following || !(BULLET.test(following) || NUMBERED.test(following))) endList();
      }
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (item && !THEMATIC_BREAK.test(line)) {
      endParagraph();
      const ordered = !!numbered;
      if (list && list.ordered !== ordered) endList();
      list ??= { ordered, items: [] };
      list.items.push(item[1]!.trim());
      continue;
    }
    const continuation = CONTINUATION.exec(line);
    if (list && continuation) {
      list.items[list.items.length - 1] += `\n${continuation[1]!.trim()}`;
      continue;
    }
    endList();
    // A thematic break (---, ***) separates paragraphs and is otherwise dropped.
    if (THEMATIC_BREAK.test(line)) {
      endParagraph();
      continue;
    }
    paragraph.push(line.trim());
  }
  endParagraph();
  endList();
  return blocks;
}

/**
 * Inline Markdown as plain text, for passages the model reads: emphasis markers go, a link
 * keeps its label and its address (`label (https://…)`), code keeps its content.
 */
export function inlineToPlainText(text: string): string {
  return text
    .replace(/`([^`]+)`/g, '$1')
    .replace(/!?\[([^[\]]*)\]\(((?:[^\s()[\]]|\([^\s()[\]]*\))+)\)/g, (_, label: string, href: string) =>
      /^https?:\/\//i.test(href) && label !== href ? `${label} (${href})` : label,
    )
    .replace(/(\*\*|__)(?=\S)((?:(?!\1)[\s\S])*?\S)\1/g, '$2')
    .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*]*?\S)\*/gu, '$1$2')
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/gu, '$1$2');
}

/** A block as plain text: list items on their own lines with their markers. */
export function blockToPlainText(block: Block): string {
  switch (block.type) {
    case 'heading':
    case 'paragraph':
      return inlineToPlainText(block.text);
    case 'list':
      return block.items.map((item, n) => `${block.ordered ? `${n + 1}.` : '-'} ${inlineToPlainText(item)}`).join('\n');
    case 'code':
      return block.text;
  }
}

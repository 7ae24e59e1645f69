import { parseMarkdown, toBlocks } from './markdown.js';

/**
 * The passages retrieval works on: an article's Markdown cut at its headings into pieces of
 * plain text small enough to put several in front of the model.
 */

/** Longest passage, in characters. Longer sections are cut at paragraph, then sentence, bounds. */
export const MAX_PASSAGE_CHARS = 1200;
/** Separates the headings of a passage's heading path. */
export const HEADING_SEPARATOR = ' › ';

export interface PassageDraft {
  /** Heading path, outermost first, joined with HEADING_SEPARATOR; empty before any heading. */
  heading: string;
  /** Plain text, at most MAX_PASSAGE_CHARS. */
  text: string;
}

/**
 * Splits an article's Markdown into passages: a new passage at every heading (carrying the
 * heading path), the paragraphs of one section packed together up to `maxChars`, and a
 * paragraph longer than that cut at sentence bounds. Markdown markers are removed.
 */
export function splitIntoPassages(body: string, maxChars = MAX_PASSAGE_CHARS): PassageDraft[] {
  const sections: Array<{ heading: string; pieces: string[] }> = [];
  const path: Array<{ level: number; text: string }> = [];
  let section = { heading: '', pieces: [] as string[] };

  for (const block of toBlocks(parseMarkdown(body))) {
    if (block.type === 'heading') {
      sections.push(section);
      while (path.length && path[path.length - 1]!.level >= block.level) path.pop();
      path.push({ level: block.level, text: block.text });
      section = { heading: path.map((entry) => entry.text).join(HEADING_SEPARATOR), pieces: [] };
      continue;
    }
    const text = block.text.trim();
    if (text) section.pieces.push(...cutToLength(text, maxChars));
  }
  sections.push(section);

  return sections.flatMap(({ heading, pieces }) => pack(pieces, maxChars).map((text) => ({ heading, text })));
}

/** Packs a section's paragraphs into as few passages as the cap allows, of similar lengths. */
function pack(pieces: string[], maxChars: number): string[] {
  const separator = '\n\n';
  const total = pieces.reduce((sum, piece) => sum + piece.length + separator.length, 0);
  const target = total / Math.max(1, Math.ceil(total / maxChars));
  const passages: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && (current.length >= target || current.length + separator.length + piece.length > maxChars)) {
      passages.push(current);
      current = '';
    }
    current = current ? current + separator + piece : piece;
  }
  if (current) passages.push(current);
  return passages;
}

/** Cuts text longer than `maxChars` at sentence ends, or at spaces when a sentence is too long. */
function cutToLength(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const parts: string[] = [];
  let current = '';
  for (const sentence of text.split(/(?<=[.!?…])\s+/u)) {
    for (const piece of hardWrap(sentence, maxChars)) {
      if (current && current.length + 1 + piece.length > maxChars) {
        parts.push(current);
        current = '';
      }
      current = current ? `${current} ${piece}` : piece;
    }
  }
  if (current) parts.push(current);
  return parts;
}

function hardWrap(text: string, maxChars: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(' ', maxChars);
    const cut = space > maxChars / 2 ? space : maxChars;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

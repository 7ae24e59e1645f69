/**
 * How the fake model servers write the reply's structured output, as a real model does
 * under a JSON schema: the judgement fields first, then the answer string, streamed word by
 * word from inside the JSON.
 */

/** How a fake answers a reply request that asks for structured output. */
export type ReplyShape =
  /** The judgement, then the answer (what the schema asks for). */
  | 'structured'
  /** The answer first, the judgement after it (a server that does not enforce the order). */
  | 'answer-first'
  /** Plain text: a model that ignores the format altogether. */
  | 'plain-text';

export interface ReplyPieces {
  /** Written before the answer's first word. */
  before: string[];
  /** The answer's words, each ready to be written (JSON-escaped in the structured shapes). */
  words: string[];
  /** Written after the last word, when the answer is complete. */
  after: string[];
}

/** The answer's words as a model streams them: each word with the space after it. */
export function wordsOf(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/**
 * The pieces of a reply. `judgement` is an object (written as JSON fields, spaced like a
 * model writes them) or raw text (to write malformed JSON).
 */
export function replyPieces(answer: string, judgement: Record<string, unknown> | string, shape: ReplyShape): ReplyPieces {
  const words = wordsOf(answer);
  if (shape === 'plain-text') return { before: [], words, after: [] };
  const escaped = words.map((word) => JSON.stringify(word).slice(1, -1));
  const fields = typeof judgement === 'string' ? judgement : Object.entries(judgement).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(', ');
  if (shape === 'answer-first') {
    return { before: ['{"answer": "'], words: escaped, after: [fields ? `", ${fields}}` : '"}'] };
  }
  const opening = typeof judgement === 'string' ? judgement : fields ? `{${fields}, ` : '{';
  // The judgement in a few pieces, the way tokens arrive.
  const before = (opening.match(/[^,]+,?\s*/g) ?? [opening]).concat('"answer": "');
  return { before, words: escaped, after: ['"}'] };
}

/** A reply request: its schema asks for an answer (the judgement and answer in one). */
export function isReplySchema(schema: unknown): boolean {
  const required = (schema as { required?: unknown } | undefined)?.required;
  return Array.isArray(required) && required.includes('answer');
}

import type { z } from 'zod';

/*
 * Text people type. Control characters (NUL, backspace, escape, the C1 range, …) never
 * belong in a message, a name or an article: they are refused with a sentence rather than
 * stored invisibly, and so are broken UTF-16 halves, which cannot be stored as written.
 * Multi-line text keeps tabs and line breaks; single-line text refuses those too.
 */

// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const CONTROL_CHARACTER_MESSAGE =
  'Text cannot contain control characters (such as NUL, U+0000).';
export const LINE_BREAK_MESSAGE = 'This field is a single line: remove line breaks and tabs.';
export const BROKEN_TEXT_MESSAGE = 'Text must be valid Unicode.';

/** `schema`, refusing control characters (tabs and line breaks allowed) and broken Unicode. */
export function multiLineText<T extends z.ZodType<string, string>>(schema: T): T {
  return schema
    .refine((value) => !CONTROL.test(value), CONTROL_CHARACTER_MESSAGE)
    .refine((value) => !LONE_SURROGATE.test(value), BROKEN_TEXT_MESSAGE);
}

/** `schema`, refusing every control character (line breaks and tabs too) and broken Unicode. */
export function singleLineText<T extends z.ZodType<string, string>>(schema: T): T {
  return multiLineText(schema).refine(
    (value) => !LINE_BREAK_OR_TAB.test(value),
    LINE_BREAK_MESSAGE,
  );
}

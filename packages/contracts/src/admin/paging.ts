import { z } from 'zod';

/*
 * Cursor paging, the same for every console list: ask with `cursor` (and `limit`), get
 * `items` and the `nextCursor` to ask for the page after (null on the last page).
 */

/** An opaque position in a list; pass `nextCursor` back to get the next page. */
export const cursorSchema = z
  .string()
  .max(100)
  .regex(/^\d+:\d+$/, 'This page cursor is not valid.');

/** The paging fields of a list's input; `size` is the page size when none is asked for. */
export function pageFields(size = 25) {
  return {
    cursor: cursorSchema.optional(),
    limit: z.number().int().min(1).max(100).default(size),
  };
}

/** One page of a list. */
export function pageOf<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

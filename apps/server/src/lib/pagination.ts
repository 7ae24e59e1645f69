import { raw } from '@mikro-orm/sqlite';

/**
 * Keyset pagination over (time desc, id desc): the cursor is `<epoch ms>:<id>` of the last
 * row shown. Stable while rows are added at the top, unlike an offset.
 */
export interface Cursor {
  at: Date;
  id: number;
}

export function encodeCursor(at: Date, id: number): string {
  return `${at.getTime()}:${id}`;
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  const match = /^(\d+):(\d+)$/.exec(cursor);
  if (!match) return null;
  return { at: new Date(Number(match[1])), id: Number(match[2]) };
}

/** Takes `limit` of the `limit + 1` rows fetched; the extra one says whether there is more. */
export function page<T>(rows: T[], limit: number, cursorOf: (row: T) => string): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? cursorOf(items.at(-1)!) : null };
}

/**
 * A search condition: the column `column` contains `text` as typed, ignoring case (ASCII
 * letters on SQLite, every letter on PostgreSQL, whose LIKE alone is case-sensitive). `%` and
 * `_` in the text match themselves, not any characters. Standard SQL, for either database.
 */
export function containsText(column: string, text: string): Record<string, never[]> {
  const pattern = `%${text.replace(/[!%_]/g, '!$&')}%`;
  return { [raw((alias: string) => `lower(${alias}."${column}") like lower(?) escape '!'`, [pattern])]: [] };
}

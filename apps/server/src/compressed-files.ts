import { stat, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/*
 * The widget's files go out compressed: what a page downloads is what the size budget
 * counts (gzip), or less (brotli). Built files are compressed once per version and kept.
 */

export type Encoding = 'br' | 'gzip';

/** The best encoding `Accept-Encoding` allows among ours (brotli, then gzip); null: none. */
export function pickEncoding(header: string | string[] | undefined): Encoding | null {
  const accepted = new Map<string, number>();
  for (const entry of String(header ?? '').split(',').slice(0, 20)) {
    const [name = '', ...params] = entry.split(';');
    const q = params.map((param) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
    accepted.set(name.trim().toLowerCase(), q === undefined ? 1 : Number(q));
  }
  for (const encoding of ['br', 'gzip'] as const) {
    if ((accepted.get(encoding) ?? accepted.get('*') ?? 0) > 0) return encoding;
  }
  return null;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Keyed by encoding, path, modification time and size: a rebuilt file is compressed anew. */
const cache = new Map<string, Promise<Buffer>>();
/** A handful of widget files per build; stale versions are dropped past this many. */
const MAX_CACHED = 100;

export async function compressedFile(path: string, encoding: Encoding): Promise<Buffer> {
  const { mtimeMs, size } = await stat(path);
  const key = `${encoding}:${path}:${mtimeMs}:${size}`;
  let body = cache.get(key);
  if (!body) {
    if (cache.size >= MAX_CACHED) cache.clear();
    body = readFile(path).then((raw) =>
      encoding === 'br'
        ? brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
        : gzipped(raw, { level: 9 }),
    );
    cache.set(key, body);
    body.catch(() => cache.delete(key));
  }
  return body;
}

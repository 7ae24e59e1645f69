import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import type { EntityManager } from '@mikro-orm/sqlite';
import { isMap, isScalar, parseDocument } from 'yaml';
import { DomainError } from '../../lib/errors.js';
import { checkArticleInput, PUBLIC_ARTICLES_CACHE, upsertArticle, type ArticleInput } from './articles.js';
import { databaseCaches } from '../../db/sql.js';
import { optimizeSearchIndex } from './search.js';

/**
 * Bulk import of knowledge-base articles: a folder of Markdown files with front matter, one
 * Markdown file, or a JSON file of articles. Articles are matched by slug: a new slug is
 * created, a known one updated, an identical one left alone. Every file or entry that
 * cannot be imported is reported with a reason; the others are imported anyway.
 *
 * Markdown front matter (all optional but a title, which may instead be a leading `# Title`):
 *
 *     ---
 *     title: Returns and refunds
 *     slug: returns            # default: made from the title
 *     published: true          # default true (false, or `draft: true`, keeps it a draft)
 *     visibility: public       # public | internal; default public
 *     ---
 *
 * JSON: `[{ "title", "body", "published"?, "visibility"?, "slug"? }, …]` or
 * `{ "articles": [ … ] }`, with the same defaults.
 *
 * Defaults are "published, public" because importing a help centre means publishing it.
 * Keys that look like a misspelt flag (`visiblity: internal`) are refused rather than
 * ignored, so a typo cannot turn an internal note public; other unknown keys (`tags`,
 * `date`, … from other tools) are ignored.
 */

export interface ImportRejection {
  /** The file (relative to the imported folder), or `file.json[index]` for a JSON entry. */
  source: string;
  reason: string;
}

export interface ImportReport {
  /** Slugs, in import order. */
  created: string[];
  updated: string[];
  unchanged: string[];
  rejected: ImportRejection[];
}

/** Files larger than this are refused rather than read. */
export const MAX_IMPORT_FILE_BYTES = 1024 * 1024;
/** An import changing this many articles or more compacts the search index afterwards. */
const OPTIMIZE_AFTER_CHANGES = 100;
const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown']);
const FLAG_KEYS = ['title', 'slug', 'published', 'visibility', 'draft'];

export type ImportCandidate = { source: string; input: ArticleInput } | { source: string; reason: string };

class RejectedError extends Error {}

/** Imports a folder, a `.md` file or a `.json` file at `path` (see the module comment). */
export async function importKnowledgeBase(em: EntityManager, path: string): Promise<ImportReport> {
  return importCandidates(em, await readCandidates(path));
}

/** Reads what is at `path` into articles to import and early rejections; writes nothing. */
export async function readCandidates(path: string): Promise<ImportCandidate[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    return [{ source: path, reason: describeFileError(error, 'no such file or folder') }];
  }
  if (info.isDirectory()) {
    let files: string[];
    try {
      files = await markdownFilesIn(path);
    } catch (error) {
      return [{ source: path, reason: describeFileError(error, 'unreadable folder') }];
    }
    if (!files.length) return [{ source: path, reason: 'no .md or .markdown files in this folder' }];
    return Promise.all(files.map((file) => readMarkdownFile(join(path, file), file.split(sep).join('/'))));
  }
  const name = basename(path);
  if (extname(path).toLowerCase() === '.json') return readJsonFile(path, name);
  if (MARKDOWN_EXTENSIONS.has(extname(path).toLowerCase())) return [await readMarkdownFile(path, name)];
  return [{ source: name, reason: 'not a folder, .md or .json file' }];
}

/**
 * Checks the candidates as a batch, then upserts the valid ones in one transaction. Entries
 * of one import that share a slug are all rejected: which of them is right is for a person
 * to decide, not the order files happen to be read in.
 */
export async function importCandidates(em: EntityManager, candidates: ImportCandidate[]): Promise<ImportReport> {
  const report: ImportReport = { created: [], updated: [], unchanged: [], rejected: [] };
  const checked: Array<{ source: string; input: ArticleInput; slug: string }> = [];
  for (const candidate of candidates) {
    if ('reason' in candidate) {
      report.rejected.push(candidate);
      continue;
    }
    try {
      checked.push({ ...candidate, slug: checkArticleInput(candidate.input).slug });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      report.rejected.push({ source: candidate.source, reason: error.message });
    }
  }

  const sourcesBySlug = new Map<string, string[]>();
  for (const { slug, source } of checked) sourcesBySlug.set(slug, [...(sourcesBySlug.get(slug) ?? []), source]);
  const accepted: Array<{ source: string; input: ArticleInput }> = [];
  for (const { source, input, slug } of checked) {
    const others = sourcesBySlug.get(slug)!.filter((other) => other !== source);
    if (others.length) {
      report.rejected.push({ source, reason: `duplicate slug "${slug}" in this import (also used by ${others.join(', ')})` });
    } else {
      accepted.push({ source, input: { ...input, slug } });
    }
  }

  await em.transactional(async (tx) => {
    for (const { source, input } of accepted) {
      try {
        const { article, outcome } = await upsertArticle(tx, input);
        report[outcome].push(article.slug);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        report.rejected.push({ source, reason: error.message });
      }
    }
  });
  // Each write invalidated the public articles inside this transaction; once more after its commit.
  databaseCaches(em).invalidate(PUBLIC_ARTICLES_CACHE);
  if (report.created.length + report.updated.length >= OPTIMIZE_AFTER_CHANGES) await optimizeSearchIndex(em);
  const order = new Map(candidates.map((candidate, index) => [candidate.source, index]));
  report.rejected.sort((a, b) => (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0));
  return report;
}

// ---------------------------------------------------------------------------------------
// Markdown files

async function markdownFilesIn(root: string, dir = root): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await markdownFilesIn(root, full)));
    else if (MARKDOWN_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(relative(root, full));
  }
  return found;
}

async function readMarkdownFile(path: string, source: string): Promise<ImportCandidate> {
  try {
    return { source, input: parseMarkdownArticle(await readText(path)) };
  } catch (error) {
    if (error instanceof RejectedError) return { source, reason: error.message };
    throw error;
  }
}

/**
 * One Markdown article: front matter (optional) and body. The title comes from the front
 * matter or else from a leading `# Heading`; a leading heading equal to the title is
 * dropped from the body (the page shows the title already). Throws with the reason when
 * the file cannot be an article.
 */
export function parseMarkdownArticle(text: string): ArticleInput {
  const { fields, body: rawBody } = parseFrontMatter(text);
  let body = rawBody.trim();
  let title = fields.get('title') ?? '';
  const leading = /^#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\n|$)/.exec(body);
  if (leading && (!title || leading[1]!.trim().toLowerCase() === title.trim().toLowerCase())) {
    title ||= leading[1]!.trim();
    body = body.slice(leading[0].length).trim();
  }

  const published = fields.has('published') ? parseBoolean('published', fields.get('published')!) : undefined;
  const draft = fields.has('draft') ? parseBoolean('draft', fields.get('draft')!) : undefined;
  if (published !== undefined && draft !== undefined && published === draft) {
    throw new RejectedError(`published: ${String(published)} contradicts draft: ${String(draft)}`);
  }
  const visibility = fields.get('visibility')?.trim().toLowerCase();
  return {
    title,
    body,
    published: published ?? (draft === undefined ? true : !draft),
    ...(visibility !== undefined ? { visibility } : {}),
    ...(fields.get('slug') ? { slug: fields.get('slug')! } : {}),
  };
}

/**
 * The YAML between a leading `---` and the next `---` (or `...`): the keys this importer
 * reads (FLAG_KEYS, any case), each a single value. Other keys, nested or not, are left
 * alone, unless they look like a misspelt flag.
 */
export function parseFrontMatter(text: string): { fields: Map<string, string>; body: string } {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const fields = new Map<string, string>();
  if (!/^---[ \t]*\n/.test(normalised)) return { fields, body: normalised };

  const lines = normalised.split('\n');
  const end = lines.findIndex((line, n) => n > 0 && /^(---|\.\.\.)[ \t]*$/.test(line));
  if (end < 0) throw new RejectedError('front matter starts with --- but has no closing ---');

  // Duplicates are checked below, for the keys read here only.
  const document = parseDocument(lines.slice(1, end).join('\n'), { uniqueKeys: false });
  const [error] = document.errors;
  if (error) throw new RejectedError(`front matter is not valid YAML (${error.message.split('\n', 1)[0]})`);
  const map = document.contents;
  if (map !== null && !isMap(map)) throw new RejectedError('front matter must be "key: value" lines');
  for (const { key: keyNode, value } of map?.items ?? []) {
    const written = String(isScalar(keyNode) ? keyNode.value : keyNode);
    const key = written.toLowerCase();
    if (!FLAG_KEYS.includes(key)) {
      const meant = FLAG_KEYS.find((flag) => editDistance(flag, key) <= 2);
      if (meant && key.length >= 4) {
        throw new RejectedError(`unknown front-matter key "${written}" (did you mean "${meant}"?)`);
      }
      continue;
    }
    if (fields.has(key)) throw new RejectedError(`front matter sets "${key}" twice`);
    if (value !== null && !isScalar(value)) throw new RejectedError(`front matter "${key}" must be a single value on its line`);
    fields.set(key, value === null || value.value === null ? '' : String(value.value).trim());
  }
  return { fields, body: lines.slice(end + 1).join('\n') };
}

function parseBoolean(key: string, value: string): boolean {
  const normalised = value.trim().toLowerCase();
  if (normalised === 'true' || normalised === 'yes') return true;
  if (normalised === 'false' || normalised === 'no') return false;
  throw new RejectedError(`${key} must be true or false (got "${value}")`);
}

// ---------------------------------------------------------------------------------------
// JSON files

async function readJsonFile(path: string, name: string): Promise<ImportCandidate[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readText(path));
  } catch (error) {
    if (error instanceof RejectedError) return [{ source: name, reason: error.message }];
    return [{ source: name, reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` }];
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { articles?: unknown }).articles)
      ? (data as { articles: unknown[] }).articles
      : null;
  if (!list) return [{ source: name, reason: 'expected an array of articles, or { "articles": [ … ] }' }];
  if (!list.length) return [{ source: name, reason: 'the file has no articles' }];
  return list.map((entry, index) => {
    const source = `${name}[${index}]`;
    try {
      return { source, input: jsonArticle(entry) };
    } catch (error) {
      if (error instanceof RejectedError) return { source, reason: error.message };
      throw error;
    }
  });
}

function jsonArticle(entry: unknown): ArticleInput {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new RejectedError('not an object');
  const record = entry as Record<string, unknown>;
  for (const key of ['title', 'body', 'slug', 'visibility'] as const) {
    if (record[key] !== undefined && record[key] !== null && typeof record[key] !== 'string') {
      throw new RejectedError(`${key} must be a string`);
    }
  }
  for (const key of ['published', 'draft'] as const) {
    if (record[key] !== undefined && typeof record[key] !== 'boolean') {
      throw new RejectedError(`${key} must be true or false (got ${JSON.stringify(record[key])})`);
    }
  }
  const meant = Object.keys(record).find(
    (key) => !FLAG_KEYS.includes(key) && key !== 'body' && key.length >= 4 && FLAG_KEYS.some((flag) => editDistance(flag, key.toLowerCase()) <= 2),
  );
  if (meant) throw new RejectedError(`unknown key "${meant}" (did you mean "${FLAG_KEYS.find((flag) => editDistance(flag, meant.toLowerCase()) <= 2)}"?)`);
  const draft = record.draft as boolean | undefined;
  const published = record.published as boolean | undefined;
  if (published !== undefined && draft !== undefined && published === draft) {
    throw new RejectedError(`published: ${String(published)} contradicts draft: ${String(draft)}`);
  }
  return {
    title: (record.title as string | undefined) ?? '',
    body: (record.body as string | undefined) ?? '',
    published: published ?? (draft === undefined ? true : !draft),
    ...(typeof record.visibility === 'string' ? { visibility: record.visibility.trim().toLowerCase() } : {}),
    ...(typeof record.slug === 'string' && record.slug ? { slug: record.slug } : {}),
  };
}

// ---------------------------------------------------------------------------------------
// Files

async function readText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.size > MAX_IMPORT_FILE_BYTES) {
      throw new RejectedError(`file is larger than ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB`);
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof RejectedError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new RejectedError(
      code === 'EACCES' || code === 'EPERM' ? 'unreadable file (permission denied)' : `unreadable file (${code ?? String(error)})`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RejectedError('not UTF-8 text');
  }
}

function describeFileError(error: unknown, fallback: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'unreadable file (permission denied)';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return code ? `${fallback} (${code})` : fallback;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, n) => n);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

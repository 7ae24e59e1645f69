import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnowledgeArticle } from '../src/db/entities/index.js';
import { initORM, type ORM } from '../src/db/orm.js';
import { importKnowledgeBase, parseMarkdownArticle } from '../src/domain/knowledge/import.js';
import { searchPassages } from '../src/domain/knowledge/search.js';
import { closeTestORM, createTestDatabase, openTestORM } from './support/database.js';

const fixtures = fileURLToPath(new URL('./fixtures/kb/', import.meta.url));
const serverRoot = fileURLToPath(new URL('../', import.meta.url));

let orm: ORM;
let scratch: string;
beforeEach(async () => {
  orm = await openTestORM();
  scratch = mkdtempSync(join(tmpdir(), 'kb-import-'));
});
afterEach(async () => {
  await closeTestORM(orm);
  rmSync(scratch, { recursive: true, force: true });
});
const em = () => orm.em.fork();
const importPath = (path: string) => importKnowledgeBase(em(), path);

describe('importing a folder of Markdown files', () => {
  it('reports what was created and each rejected file with its reason', async () => {
    const report = await importPath(join(fixtures, 'folder'));
    expect(report.created).toEqual(['gift-cards', 'shipping-norway', 'staff-notes-escalation-contacts']);
    expect(report.updated).toEqual([]);
    expect(report.rejected).toEqual([
      { source: 'bad-published.md', reason: 'published must be true or false (got "maybe")' },
      { source: 'bad-visibility.md', reason: 'visibility must be "public" or "internal" (got "secret")' },
      { source: 'duplicate.md', reason: 'duplicate slug "returns-and-refunds" in this import (also used by returns.md)' },
      { source: 'empty-body.md', reason: 'empty body' },
      { source: 'no-title.md', reason: 'missing title' },
      { source: 'returns.md', reason: 'duplicate slug "returns-and-refunds" in this import (also used by duplicate.md)' },
      { source: 'typo.md', reason: 'unknown front-matter key "visiblity" (did you mean "visibility"?)' },
      { source: 'unclosed.md', reason: 'front matter starts with --- but has no closing ---' },
    ]);
    // Nothing but .md / .markdown files is read: notes.txt is neither imported nor rejected.
    expect(JSON.stringify(report)).not.toContain('notes.txt');
  });

  it('stores the flags from the front matter, defaulting to published and public', async () => {
    await importPath(join(fixtures, 'folder'));
    const articles = await em().find(KnowledgeArticle, {}, { orderBy: { slug: 'asc' } });
    expect(articles.map(({ slug, title, published, visibility }) => ({ slug, title, published, visibility }))).toEqual([
      { slug: 'gift-cards', title: 'Gift cards', published: true, visibility: 'public' },
      { slug: 'shipping-norway', title: 'Shipping to Norway', published: false, visibility: 'public' },
      { slug: 'staff-notes-escalation-contacts', title: 'Staff notes: escalation contacts', published: true, visibility: 'internal' },
    ]);
    // The title taken from a leading "# Gift cards" is not repeated in the body.
    expect(articles[0]!.body).toBe('Gift cards are valid for two years and can be combined on one order.');
  });

  it('keeps an imported internal article and draft away from the widget', async () => {
    await importPath(join(fixtures, 'folder'));
    const widget = await searchPassages(em(), 'warehouse lead extension lost parcels norway', { audience: 'widget' });
    expect(widget).toEqual([]);
    const operator = await searchPassages(em(), 'warehouse lead extension lost parcels norway', { audience: 'operator' });
    expect(operator.map((hit) => hit.slug).sort()).toEqual(['shipping-norway', 'staff-notes-escalation-contacts']);
  });

  it('leaves unchanged articles alone and updates changed ones on a second import', async () => {
    const folder = join(scratch, 'kb');
    cpSync(join(fixtures, 'folder'), folder, { recursive: true });
    await importPath(folder);

    writeFileSync(join(folder, 'gift-cards.md'), '# Gift cards\n\nGift cards are valid for three years.\n');
    const second = await importPath(folder);
    expect(second.created).toEqual([]);
    expect(second.updated).toEqual(['gift-cards']);
    expect(second.unchanged).toEqual(['shipping-norway', 'staff-notes-escalation-contacts']);
    const hits = await searchPassages(em(), 'how many years is a gift card valid', { audience: 'widget' });
    expect(hits[0]?.text).toBe('Gift cards are valid for three years.');
  });

  it('rejects a file that is not UTF-8 text and one that cannot be read', async () => {
    writeFileSync(join(scratch, 'latin1.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x74, 0xe9, 0xe9, 0x0a]));
    symlinkSync(join(scratch, 'missing-target.md'), join(scratch, 'dangling.md'));
    writeFileSync(join(scratch, 'fine.md'), '# Fine\n\nA good article.');
    const report = await importPath(scratch);
    expect(report.created).toEqual(['fine']);
    expect(report.rejected).toEqual([
      { source: 'dangling.md', reason: 'unreadable file (ENOENT)' },
      { source: 'latin1.md', reason: 'not UTF-8 text' },
    ]);
  });

  it('rejects a path that does not exist and a folder without Markdown files', async () => {
    const missing = join(scratch, 'nope');
    expect((await importPath(missing)).rejected).toEqual([{ source: missing, reason: 'no such file or folder' }]);
    expect((await importPath(scratch)).rejected).toEqual([{ source: scratch, reason: 'no .md or .markdown files in this folder' }]);
  });

  it('imports a single Markdown file', async () => {
    const report = await importPath(join(fixtures, 'folder', 'gift-cards.md'));
    expect(report).toEqual({ created: ['gift-cards'], updated: [], unchanged: [], rejected: [] });
  });
});

describe('importing a JSON file', () => {
  it('reports created entries and each rejected entry by its index', async () => {
    const report = await importPath(join(fixtures, 'articles.json'));
    expect(report.created).toEqual(['opening-hours', 'refund-approvals']);
    // In file order, each with its reason.
    expect(report.rejected.map((r) => r.source)).toEqual(['articles.json[0]', 'articles.json[3]', 'articles.json[4]', 'articles.json[5]', 'articles.json[6]']);
    expect(Object.fromEntries(report.rejected.map((r) => [r.source, r.reason]))).toEqual({
      'articles.json[0]': 'duplicate slug "payment-methods" in this import (also used by articles.json[6])',
      'articles.json[3]': 'empty body',
      'articles.json[4]': 'published must be true or false (got "yes")',
      'articles.json[5]': 'not an object',
      'articles.json[6]': 'duplicate slug "payment-methods" in this import (also used by articles.json[0])',
    });
    const approvals = await em().findOneOrFail(KnowledgeArticle, { slug: 'refund-approvals' });
    expect(approvals.visibility).toBe('internal');
    const hours = await em().findOneOrFail(KnowledgeArticle, { slug: 'opening-hours' });
    expect(hours.published).toBe(false);
  });

  it('rejects a file that is not valid JSON as a whole', async () => {
    const report = await importPath(join(fixtures, 'broken.json'));
    expect(report.created).toEqual([]);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0]!.source).toBe('broken.json');
    expect(report.rejected[0]!.reason).toMatch(/^not valid JSON/);
  });

  it('rejects JSON that is not a list of articles', async () => {
    writeFileSync(join(scratch, 'object.json'), '{ "title": "One article, not a list" }');
    expect((await importPath(join(scratch, 'object.json'))).rejected).toEqual([
      { source: 'object.json', reason: 'expected an array of articles, or { "articles": [ … ] }' },
    ]);
  });
});

describe('reading Markdown front matter', () => {
  it('reads quoted values, comments and the draft flag', () => {
    expect(
      parseMarkdownArticle(`---\ntitle: 'It''s "quoted"'  # a comment\nslug: quoted\ndraft: yes\nvisibility: Internal\n---\nBody.`),
    ).toEqual({ title: `It's "quoted"`, slug: 'quoted', published: false, visibility: 'internal', body: 'Body.' });
  });

  it('refuses contradicting published and draft flags', () => {
    expect(() => parseMarkdownArticle('---\ntitle: T\npublished: true\ndraft: true\n---\nBody.')).toThrow(
      'published: true contradicts draft: true',
    );
  });

  it('refuses a flag set twice or given a list, and front matter that is not YAML, in words', () => {
    expect(() => parseMarkdownArticle('---\ntitle: A\nTitle: B\n---\nBody.')).toThrow('front matter sets "title" twice');
    expect(() => parseMarkdownArticle('---\ntitle: T\nvisibility:\n  - public\n---\nBody.')).toThrow(
      'front matter "visibility" must be a single value on its line',
    );
    expect(() => parseMarkdownArticle('---\ntitle: [unclosed\n---\nBody.')).toThrow(/^front matter is not valid YAML \(/);
    expect(() => parseMarkdownArticle('---\n- just\n- a list\n---\nBody.')).toThrow('front matter must be "key: value" lines');
  });

  it('reads booleans written the YAML way and the words yes and no alike', () => {
    expect(parseMarkdownArticle('---\ntitle: T\npublished: false\n---\nBody.')).toMatchObject({ published: false });
    expect(parseMarkdownArticle('---\ntitle: T\npublished: No\n---\nBody.')).toMatchObject({ published: false });
    expect(parseMarkdownArticle('---\n---\n# Only a heading title\n\nBody.')).toMatchObject({ title: 'Only a heading title', body: 'Body.' });
  });

  it('ignores keys from other tools, including nested ones', () => {
    expect(parseMarkdownArticle('---\ntitle: T\ndate: 2024-01-01\ntags:\n  - a\n  - b\n---\nBody.')).toMatchObject({ title: 'T', body: 'Body.' });
  });
});

describe('npm run import:kb', () => {
  it('prints created and rejected articles with reasons and exits with 1 when anything was rejected', async () => {
    const database = await createTestDatabase({ file: true });
    try {
      const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'scripts/import-kb.ts', join(fixtures, 'articles.json')],
          { cwd: serverRoot, env: { ...process.env, ...database.env, INIT_CWD: serverRoot } },
          (error, stdout) => resolve({ code: error ? (error.code as number) : 0, stdout }),
        );
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/created\s+2\s+opening-hours, refund-approvals/);
      expect(result.stdout).toMatch(/rejected\s+5/);
      expect(result.stdout).toContain('articles.json[3]: empty body');

      const check = await initORM(database.options);
      expect(await check.em.fork().count(KnowledgeArticle, {})).toBe(2);
      await check.close(true);
    } finally {
      await database.drop();
    }
  }, 60_000);
});

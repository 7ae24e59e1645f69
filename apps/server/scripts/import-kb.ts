// Imports knowledge-base articles into the configured database (DATABASE_URL, or the SQLite file at DATABASE_PATH).
//
//   npm run import:kb -- <folder of .md files | file.md | articles.json>
//
// Prints what was created, updated, left unchanged and rejected (with the reason).
// Exit codes: 0 everything imported; 1 some files or entries were rejected (the others
// ARE imported — fix the rejected ones and run again: re-importing is idempotent, articles
// are matched by slug); 2 bad usage, bad configuration or the database failed (nothing
// imported). Front matter and JSON format: see src/domain/knowledge/import.ts.
import { importKnowledgeBase } from '../src/domain/knowledge/import.js';
import { runImportCommand } from './import-command.js';

const USAGE = `Usage: npm run import:kb -- <folder of .md files | file.md | articles.json>

Markdown front matter: title, slug (optional), published (default true), visibility (public | internal, default public).
JSON: [{ "title", "body", "published"?, "visibility"?, "slug"? }, …].
Exit code 1 when anything was rejected (the rest is still imported), 2 on bad usage.`;

runImportCommand({
  usage: USAGE,
  entries: 'articles',
  importFile: importKnowledgeBase,
  name: (slug: string) => slug,
});

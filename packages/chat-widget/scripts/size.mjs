// Checks the two-stage loading budget of the built widget (run `npm run build` first):
// the launcher stage (dist/widget.js and everything it imports statically, plus the
// largest language file, which a visitor not reading English fetches at once: what a page
// downloads before the visitor points at the launcher) and the whole widget (every .js in
// dist, but of the language files only the largest: a visitor downloads their own only).
import console from 'node:console';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const LAUNCHER_BUDGET_KB = 8;
const TOTAL_BUDGET_KB = 30;

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const entry = join(dist, 'widget.js');

const gzipKb = (file) => gzipSync(readFileSync(file)).length / 1024;

/** Files reachable from widget.js through static `import` statements only. */
async function launcherStage() {
  // esbuild parses the built files; its metafile records each import with its kind.
  const { metafile } = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: dist,
    bundle: true,
    format: 'esm',
    splitting: true,
    outdir: join(dist, '.size-check'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const edge of metafile.inputs[path]?.imports ?? []) {
      if (edge.kind === 'import-statement') visit(edge.path);
    }
  };
  visit('widget.js');
  return [...seen].map((path) => join(dist, path));
}

function allJs(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.js'))
    .map((d) => join(d.parentPath ?? d.path, d.name));
}

/** A built-in language's wording: `chunks/fr-<hash>.js` (see src/internal/language.ts). */
const isLanguage = (file) => /^(fr|de|es|it|pt|nl|ar|he)-[A-Z0-9]+\.js$/.test(basename(file));

const launcherFiles = await launcherStage();
const everything = allJs(dist);
const languages = everything.filter(isLanguage);
const largestLanguage = Math.max(0, ...languages.map(gzipKb));
const launcher = launcherFiles.reduce((sum, file) => sum + gzipKb(file), 0) + largestLanguage;
const total =
  everything.filter((file) => !isLanguage(file)).reduce((sum, file) => sum + gzipKb(file), 0) +
  largestLanguage;

const list = (files) => files.map((f) => relative(dist, f)).join(', ');
console.log(
  `launcher stage: ${launcher.toFixed(1)} KB gz (budget ${LAUNCHER_BUDGET_KB} KB) — ${list(launcherFiles)} and the largest language`,
);
console.log(
  `whole widget:   ${total.toFixed(1)} KB gz (budget ${TOTAL_BUDGET_KB} KB) — ${everything.length - languages.length} files and the largest of ${languages.length} languages (${largestLanguage.toFixed(1)} KB gz)`,
);

let over = false;
if (launcher > LAUNCHER_BUDGET_KB) {
  console.error(`launcher stage is over budget by ${(launcher - LAUNCHER_BUDGET_KB).toFixed(1)} KB gz`);
  over = true;
}
if (total > TOTAL_BUDGET_KB) {
  console.error(`whole widget is over budget by ${(total - TOTAL_BUDGET_KB).toFixed(1)} KB gz`);
  over = true;
}
process.exit(over ? 1 : 0);

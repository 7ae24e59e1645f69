// Bundles src/index.ts into dist/widget.js plus lazily loaded chunks.
// `--watch` rebuilds on change (used by `npm run dev`).
import { rmSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import * as esbuild from 'esbuild';
import { minifyTemplates } from './minify-templates.mjs';
import { sideEffectFree } from './side-effect-free.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: { widget: 'src/index.ts' },
  outdir: 'dist',
  entryNames: '[name]',
  // Chunk imports are relative, so they resolve next to widget.js wherever it is served.
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  target: 'es2021',
  // The package tsconfig turns on experimentalDecorators / useDefineForClassFields: false.
  tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
  legalComments: 'none',
  // Arabic and Hebrew wording as UTF-8 is half the size of \u escapes; the server sends
  // the files as text/javascript; charset=utf-8.
  charset: 'utf8',
  sourcemap: watch ? 'linked' : false,
  logLevel: 'info',
  plugins: [minifyTemplates, sideEffectFree],
};

// Hashed chunk names change with every edit; stale ones would be served and counted.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}

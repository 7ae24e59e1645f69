// An esbuild plugin for the widget's Lit templates, which esbuild keeps as written (they are
// strings to it): the CSS in css`…` is minified with esbuild's CSS minifier, and in html`…`
// each line break with the indentation around it becomes one space. Rendering is the same
// (white-space: normal folds such runs into one space anyway; no template writes text into a
// `pre` context), but the widget ships less. Templates are found with the TypeScript parser.
import { readFile } from 'node:fs/promises';
import * as esbuild from 'esbuild';
import ts from 'typescript';

/** The template's literal pieces (between the backticks and the `${…}`s), as source ranges. */
function pieces(template) {
  const text = (node, start, end) => ({ start: node.getStart() + start, end: node.getEnd() - end });
  if (ts.isNoSubstitutionTemplateLiteral(template)) return [text(template, 1, 1)];
  return [
    text(template.head, 1, 2),
    ...template.templateSpans.map((span) =>
      text(span.literal, 1, ts.isTemplateTail(span.literal) ? 1 : 2),
    ),
  ];
}

async function minify(path, source) {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
  const edits = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag)) {
      const tag = node.tag.text;
      for (const { start, end } of tag === 'css' || tag === 'html' ? pieces(node.template) : []) {
        const raw = source.slice(start, end);
        if (tag === 'css') {
          if (!ts.isNoSubstitutionTemplateLiteral(node.template) || /[\\`]/.test(raw)) {
            throw new Error(`${path}: css\`…\` must be plain CSS, without \${…} or escapes`);
          }
          edits.push({ start, end, text: raw, css: true });
        } else {
          edits.push({ start, end, text: raw.replace(/[ \t]*\n\s*/g, ' ') });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let result = source;
  // From the end backwards, so each edit leaves the positions of those still to come.
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    let text = edit.text;
    if (edit.css) {
      text = (await esbuild.transform(text, { loader: 'css', minify: true })).code.trim();
      if (/[\\`$]/.test(text)) throw new Error(`${path}: the minified CSS would need escaping`);
    }
    result = result.slice(0, edit.start) + text + result.slice(edit.end);
  }
  return result;
}

/** @type {import('esbuild').Plugin} */
export const minifyTemplates = {
  name: 'minify-templates',
  setup(build) {
    build.onLoad({ filter: /\/src\/.*\.ts$/ }, async ({ path }) => ({
      contents: await minify(path, await readFile(path, 'utf8')),
      loader: 'ts',
    }));
  },
};

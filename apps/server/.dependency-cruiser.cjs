// The server's layers, checked on every `npm run lint` (see docs/architecture.md):
//
//   lib ← db, llm, mail ← domain ← app ← router ← http and boot (the files in src/ itself)
//
// A folder may import from its own layer and the layers to its left, never to its right,
// and no import may go round in a circle (in the tests either). Type-only imports count too.
/* global module */
const LIB = '^src/lib/';
const DOMAIN = '^src/domain/';
const APP = '^src/app/';
const ROUTER = '^src/router/';
const TOP = '^src/[^/]+$';

/** One rule per layer: what it must not import. */
const layer = (name, from, forbidden, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: forbidden },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: split the shared part out, or move it down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    layer('lib-imports-nothing', LIB, '^src/(?!lib/)', 'lib/ is plumbing: it knows nothing of the product.'),
    layer('db-below-domain', '^src/db/', '^src/(?!db/|lib/)', 'db/ holds entities and migrations only.'),
    layer('llm-below-domain', '^src/llm/', '^src/(?!llm/|lib/)', 'llm/ speaks to models; it knows nothing of the product.'),
    layer('mail-below-domain', '^src/mail/', '^src/(?!mail/|lib/|db/)', 'mail/ sends what the domain queues.'),
    layer('domain-below-app', DOMAIN, `${APP}|${ROUTER}|${TOP}`, 'The rules are free of HTTP, routers and boot.'),
    layer('app-below-router', APP, `${ROUTER}|${TOP}`, 'app/ wires the domain; routers use it, not the other way.'),
    layer('router-below-http', ROUTER, TOP, 'Routers translate HTTP calls; the HTTP server and boot use them.'),
    {
      name: 'no-tests-in-src',
      comment: 'Shipped code never imports test helpers.',
      severity: 'error',
      from: { path: '^(src|scripts)/' },
      to: { path: '^(test|e2e|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};

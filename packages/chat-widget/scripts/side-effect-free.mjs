// tRPC's client package does not declare `"sideEffects": false` (its server package does),
// so esbuild keeps every link its index re-exports (WebSocket, local, subscription links,
// and the server-side procedure caller they import) although the widget uses three. Its
// modules only define things, so they are marked side-effect free here and tree-shaken.
import { dirname } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const trpcClient = dirname(require.resolve('@trpc/client/package.json'));

/** @type {import('esbuild').Plugin} */
export const sideEffectFree = {
  name: 'side-effect-free',
  setup(build) {
    build.onLoad({ filter: /\.mjs$/ }, () => undefined);
    build.onResolve({ filter: /^@trpc\/client(\/|$)|^\.\.?\// }, async (args) => {
      if (args.pluginData === sideEffectFree || !(args.path.startsWith('@trpc/client') || args.importer.startsWith(trpcClient))) return undefined;
      const result = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: sideEffectFree,
      });
      if (result.errors.length > 0) return { errors: result.errors };
      return { ...result, sideEffects: false };
    });
  },
};

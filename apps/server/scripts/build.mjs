// Bundles the server into dist/index.js. npm packages stay external (installed beside it);
// the workspace's own TypeScript packages (@ticket0/*) are compiled in.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-npm-packages',
      setup(builder) {
        builder.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@ticket0/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});

import { defineConfig } from 'vite';

// Served by the server at /admin/; in dev, Vite proxies the API to a running server.
export default defineConfig({
  base: '/admin/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2021' },
  server: {
    proxy: { '/trpc': 'http://127.0.0.1:3000' },
  },
  esbuild: { target: 'es2021' },
});

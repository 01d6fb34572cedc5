import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web dashboard: Preact through Vite's own JSX transform (Oxc; no Babel, no framework plugin),
 * bundled into dist/dashboard, which the query API and the all-in-one serve at /dashboard/
 * (libs/runtime/src/dashboard). `npm run build:dashboard`; `npx vite --config apps/dashboard/vite.config.ts`
 * serves it with hot reload, proxying the API to a Herald on :3000.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/dashboard/',
  // No public/ folder: everything the page needs is imported by src/.
  publicDir: false,
  // The dev server's dependency cache with the repository's others, not in a node_modules of apps/dashboard.
  cacheDir: here('../../node_modules/.vite/dashboard'),
  resolve: {
    // The TypeScript client SDK from its sources, as the rest of the monorepo imports the libs (tsconfig.app.json says the same).
    alias: [{ find: /^@herald\/client$/, replacement: here('../../libs/client/src/index.ts') }],
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../../dist/dashboard'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One small app: a single chunk is fine; warn only if it grows past this.
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: { '/api': { target: process.env.HERALD_URL ?? 'http://127.0.0.1:3000', changeOrigin: true } },
  },
});

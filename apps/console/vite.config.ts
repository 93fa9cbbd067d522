import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The API serves the build at /console from dist/console. */
export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Inlined assets would become data: URLs, which the console's CSP refuses.
    assetsInlineLimit: 0,
    // No module-preload polyfill: it is not needed by the browsers the console supports.
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite --config apps/console/vite.config.ts` during development, with the API on :3000.
    proxy: { '/v1': 'http://127.0.0.1:3000' },
  },
});

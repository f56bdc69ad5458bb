import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

/** The web console: built into dist/console, served by the server at /console. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    // `npx vite --config console/vite.config.ts` for development, against a server on 8080.
    proxy: { '/v1': 'http://127.0.0.1:8080', '/v3': 'http://127.0.0.1:8080' },
  },
});

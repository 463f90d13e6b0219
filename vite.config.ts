import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard page is built into dist/web beside the compiled service, which serves it at `/`.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    // Assets are served with long-lived, immutable cache headers: their names carry a hash.
    assetsDir: 'assets',
  },
});

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** The repository root: the first folder above this file with a package.json (src/ or dist/src/). */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Where `npm run build` (vite) puts the dashboard page. */
export const WEB_PAGE_DIR = join(packageRoot(__dirname), 'dist', 'web');

/**
 * The page runs only its own module files (vite emits no inline script), talks to this service
 * only, and may not be framed. Its forms never submit to a URL: a key must not end up in one.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const WEB_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  // The page names its assets by content hash, so only the page itself must be revalidated.
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const NOT_BUILT = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Supplier tasks</title></head>
  <body>
    <h1>Supplier tasks</h1>
    <p>The dashboard page is not built: run <code>npm run build</code> and restart the service.</p>
    <p>The API is documented at <a href="/docs">/docs</a>.</p>
  </body>
</html>
`;

/** The page's HTML from a build folder, or a short page saying it is not built. */
export function readWebPage(dir: string): { built: boolean; html: string } {
  const index = join(dir, 'index.html');
  return existsSync(index)
    ? { built: true, html: readFileSync(index, 'utf8') }
    : { built: false, html: NOT_BUILT };
}

/** The page's hashed assets (`/assets/…`), cached for good; everything else goes on to the routes. */
export function serveWebAssets(app: INestApplication, dir = WEB_PAGE_DIR): void {
  (app as NestExpressApplication).useStaticAssets(join(dir, 'assets'), {
    prefix: '/assets/',
    index: false,
    immutable: true,
    maxAge: '365d',
    setHeaders: (res: { setHeader(name: string, value: string): void }) =>
      res.setHeader('X-Content-Type-Options', 'nosniff'),
  });
}

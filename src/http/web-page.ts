import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * Where `npm run build` (vite) puts the dashboard page: `dist/web`, seen from the compiled
 * `dist/src/http/` and from the sources (`src/http/`, as the tests run them) alike.
 */
const OUTPUT_ROOT = join(__dirname, '..', '..');
export const WEB_PAGE_DIR =
  basename(OUTPUT_ROOT) === 'dist' ? join(OUTPUT_ROOT, 'web') : join(OUTPUT_ROOT, 'dist', 'web');

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

/** Where the built page takes the service's facts, filled in by the service. */
export const SERVICE_FACTS_SLOT = '<footer id="service-facts"></footer>';

/**
 * The page at `/`: the built dashboard with the service's facts in its footer, or, before a
 * build, a short page saying so with the same facts (so `/` always tells where the API is).
 */
export function webPageHtml(dir: string, title: string, factsHtml: string): string {
  const index = join(dir, 'index.html');
  if (existsSync(index))
    return readFileSync(index, 'utf8').replace(
      SERVICE_FACTS_SLOT,
      `<footer id="service-facts">${factsHtml}</footer>`,
    );
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>supplier-tasks</title></head>
<body>
<h1>${title}</h1>
<p>The dashboard page is not built: run <code>npm run build</code> and restart the service.</p>
${factsHtml}
</body>
</html>
`;
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

import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApp } from '../support/http-app';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  version: string;
};

/** Runs inside a describe of the back-end's app; `app()` is that app, `backend` its name. */
export function homeCases(app: () => TestApp, backend: string): void {
  it('GET / is an HTML page naming the service, its version, its storage, and linking the docs and health', async () => {
    const res = await app().call('GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<h1>supplier-tasks');
    expect(res.text).toContain(pkg.version);
    expect(res.text).toContain('href="/docs"');
    expect(res.text).toContain('href="/health"');
    if (backend === 'PGlite') {
      // The test's DATA_DIR is a fresh folder `http-e2e-XXXXXX` under the temp directory.
      expect(res.text).toMatch(/events and read models on PGlite in the folder http-e2e-\w{6}/);
    } else {
      expect(res.text).toContain('events and read models on PostgreSQL');
    }
    expect(res.text).not.toContain(tmpdir());
    expect(res.text).not.toContain('postgres://');
  });
}

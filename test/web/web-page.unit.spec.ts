import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webPageHtml } from '../../src/http/web-page';

const FACTS = '<p>Storage: events and read models on PostgreSQL.</p>';

describe('the page at /', () => {
  it('before a build: a short page saying how to build it, with the service facts', () => {
    const html = webPageHtml(mkdtempSync(join(tmpdir(), 'web-none-')), 'supplier-tasks', FACTS);
    expect(html).toContain('<h1>supplier-tasks</h1>');
    expect(html).toContain('not built: run <code>npm run build</code>');
    expect(html).toContain(FACTS);
    expect(html).not.toMatch(/<script/);
  });

  it('after a build: the built page with the facts in its footer slot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'web-built-'));
    writeFileSync(
      join(dir, 'index.html'),
      '<body><main>dashboard</main><footer id="service-facts"></footer></body>',
    );
    expect(webPageHtml(dir, 'supplier-tasks', FACTS)).toBe(
      `<body><main>dashboard</main><footer id="service-facts">${FACTS}</footer></body>`,
    );
  });
});

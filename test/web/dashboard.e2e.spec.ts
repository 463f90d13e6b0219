import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { SEED_FILE, seedLines } from '../support/seed';
import { TEST_ADMIN_KEY as ADMIN_KEY } from '../support/test-keys';
import { cli, startBuiltService, type BuiltService } from './support/built-service';
import {
  COUNT_FIELDS,
  loaded,
  shownInstanceIds,
  shownProgress,
  type Counts,
  type ShownRow,
} from './support/dashboard-page';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT_DIR = join(__dirname, '..', '..', 'test-output');

// The seed history's one supplier, project and instances (test/fixtures/legacy-v1).
const SUPPLIER_ID = 'e3bf3bdb-53ad-5ed2-b8e6-9df6697119ee';
const PROJECT_ID = '042120be-d427-586a-8668-16bf75507aa5';
const PA2_SECTION_ID = 'e55d7f3c-f7b1-522d-92fb-53da6cfdaf7f';
const PA3_SECTION_ID = '0e14a1f5-cecb-52c7-b02b-c99677f58bba';
/** Run-at-rate trial: IN_PROGRESS, its template due 2025-08-29. */
const RUN_AT_RATE_ID = 'babe1f08-fe7b-5278-a91a-29a067635ed4';
/** PPAP submission: NOT_STARTED, its template due 2025-09-30. */
const PPAP_ID = '4c3d45bc-29a1-5b8a-8ac7-6a7b78ba7c56';

/**
 * By hand from the file, as of 2025-09-01 with due soon = within 30 days (to 2025-10-01): the two
 * PA2 instances are completed (due 06-15 and 06-30, so neither counts as overdue); Run-at-rate
 * (due 08-29, in progress) is overdue; PPAP (due 09-30, not started) is due soon.
 */
const AS_OF = '2025-09-01';
const DUE_SOON_DAYS = '30';
const ALL_FOUR: Counts = {
  total: 4,
  notStarted: 1,
  inProgress: 1,
  completed: 2,
  overdue: 1,
  dueSoon: 1,
};
const PA2: Counts = {
  total: 2,
  notStarted: 0,
  inProgress: 0,
  completed: 2,
  overdue: 0,
  dueSoon: 0,
};
const PA3: Counts = {
  total: 2,
  notStarted: 1,
  inProgress: 1,
  completed: 0,
  overdue: 1,
  dueSoon: 1,
};

interface ProgressAnswer {
  asOf: string;
  rows: Array<{ key: string; label: string } & Counts>;
}
interface InstancesAnswer {
  items: Array<{ id: string; status: string }>;
}

describe('the dashboard page in headless Chromium, on the built service with the seed history', () => {
  let dataDir: string;
  let service: BuiltService;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  const api = async <T>(path: string, query: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${service.url}${path}?${new URLSearchParams(query)}`, {
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
    });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const filters = { supplierId: SUPPLIER_ID, asOf: AS_OF, dueSoonDays: DUE_SOON_DAYS };
  const apiRows = async (query: Record<string, string>): Promise<ShownRow[]> =>
    (await api<ProgressAnswer>('/dashboards/progress', query)).rows.map((row) => ({
      key: row.key,
      counts: Object.fromEntries(COUNT_FIELDS.map((f) => [f, row[f]])) as Counts,
    }));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
    dataDir = mkdtempSync(join(tmpdir(), 'web-dashboard-'));
    await cli({ DATA_DIR: dataDir }, ['import', SEED_FILE]);
    await cli({ DATA_DIR: dataDir }, ['migrate']);
    service = await startBuiltService({ DATA_DIR: dataDir, SUPPLIER_TASKS_ADMIN_KEY: ADMIN_KEY });
    userDataDir = mkdtempSync(join(tmpdir(), 'web-dashboard-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1440, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await service?.stop();
    for (const dir of [userDataDir, dataDir])
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page with its content security policy and cacheable assets', async () => {
    const res = await fetch(`${service.url}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html);
    expect(script).not.toBeNull();
    // Nothing inline: every script is a file of the page's own origin.
    expect(html.match(/<script\b/g)).toHaveLength(1);
    const asset = await fetch(`${service.url}${script![1]}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
  });

  it('asks for a key, applies the filters, shows the API’s numbers and a task’s history', async () => {
    await page.goto(service.url);
    await page.locator('#api-key').fill(ADMIN_KEY);
    await page.locator('#api-key').press('Enter');
    await loaded(page, 1);
    expect(await page.evaluate("sessionStorage.getItem('supplier-tasks.apiKey')")).toBe(ADMIN_KEY);

    await page.locator('#filter-supplier').selectOption(SUPPLIER_ID);
    await page.locator('#filter-as-of').fill(AS_OF);
    await page.locator('#filter-due-soon-days').fill(DUE_SOON_DAYS);
    await page.locator('#filter-due-soon-days').press('Enter');
    await loaded(page, 2);

    const byProject = await shownProgress(page, 'progress-project');
    expect(byProject).toEqual([{ key: PROJECT_ID, counts: ALL_FOUR }]);
    expect(byProject).toEqual(await apiRows({ ...filters, by: 'project' }));
    const bySupplier = await shownProgress(page, 'progress-supplier');
    expect(bySupplier).toEqual([{ key: SUPPLIER_ID, counts: ALL_FOUR }]);
    expect(bySupplier).toEqual(await apiRows({ ...filters, by: 'supplier' }));

    // The drill-down: the project's sections.
    await page
      .getByRole('button', { name: /^Sections of / })
      .first()
      .press('Enter');
    await page.locator('#drill-scope', { hasText: 'Sections of project' }).waitFor();
    const sections = await shownProgress(page, 'progress-section');
    expect(Object.fromEntries(sections.map((row) => [row.key, row.counts]))).toEqual({
      [PA2_SECTION_ID]: PA2,
      [PA3_SECTION_ID]: PA3,
    });
    expect(sections).toEqual(await apiRows({ ...filters, by: 'section', projectId: PROJECT_ID }));

    const overdue = await shownInstanceIds(page, 'overdue');
    expect(overdue).toEqual([RUN_AT_RATE_ID]);
    const apiOverdue = await api<InstancesAnswer>('/dashboards/instances', {
      ...filters,
      state: 'overdue',
    });
    expect(overdue).toEqual(apiOverdue.items.map((item) => item.id));
    const dueSoon = await shownInstanceIds(page, 'due-soon');
    expect(dueSoon).toEqual([PPAP_ID]);
    const apiDueSoon = await api<InstancesAnswer>('/dashboards/instances', {
      ...filters,
      state: 'due-soon',
    });
    expect(dueSoon).toEqual(apiDueSoon.items.map((item) => item.id));
    await expect(page.locator('#chart-summary').textContent()).resolves.toContain(
      '2 open instances',
    );

    // The overdue task's detail and its history from the audit log (the admin key audits too).
    await page.locator(`#overdue tr[data-id="${RUN_AT_RATE_ID}"] button`).press('Enter');
    await page.locator('#audit-note', { hasText: 'events of this instance' }).waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('detail');
    expect(await page.locator('#detail [data-field="status"]').textContent()).toBe('IN_PROGRESS');
    const shownTypes = await page.locator('#audit-history td[data-field="type"]').allTextContents();
    const seedTypes = seedLines()
      .filter(
        (line) =>
          (line.data as { supplierTaskInstanceId?: string }).supplierTaskInstanceId ===
          RUN_AT_RATE_ID,
      )
      .map((line) => line.type);
    expect(seedTypes).toEqual([
      'SupplierTaskInstanceCreated',
      'SupplierTaskStatusChanged',
      'SupplierTaskNoteAdded',
    ]);
    expect(shownTypes).toEqual(seedTypes);
    await expect(page.locator('#audit-history').textContent()).resolves.toContain(
      'NOT_STARTED → IN_PROGRESS',
    );
    await expect(page.locator('#lag').textContent()).resolves.toMatch(/^Read model: /);

    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUTPUT_DIR, 'dashboard.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('refuses an unknown key, and tells a manager without the auditor role why no history shows', async () => {
    const created = await fetch(`${service.url}/admin/keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'dashboard reader', roles: ['manager'] }),
    });
    expect(created.status).toBe(201);
    const managerKey = ((await created.json()) as { secret: string }).secret;
    // A new tab: its session storage holds no key.
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    tab.on('pageerror', (error) => errors.push(String(error)));
    await tab.goto(service.url);

    await tab.locator('#api-key').fill('st_never-issued-key-0123456789abcdefghijklmnop');
    await tab.locator('#api-key').press('Enter');
    await tab.locator('#error', { hasText: 'The service refused the key' }).waitFor();
    await expect(tab.locator('#api-key').isVisible()).resolves.toBe(true);
    expect(await tab.evaluate("sessionStorage.getItem('supplier-tasks.apiKey')")).toBeNull();

    await tab.locator('#api-key').fill(managerKey);
    await tab.locator('#api-key').press('Enter');
    await loaded(tab, 1);
    await tab.locator(`#overdue tr[data-id="${RUN_AT_RATE_ID}"] button`).press('Enter');
    await tab.locator('#audit-note', { hasText: 'lacks the auditor role' }).waitFor();
    expect(await tab.locator('#audit-history tbody tr').count()).toBe(0);
    // The browser logs each refused request (401, 403) as an error; nothing else may be one.
    expect(errors.filter((text) => !/status of 40[13]/.test(text))).toEqual([]);
    await tab.close();
  }, 120_000);

  it('shows the suppliers past the API\'s first page of progress rows on "More suppliers"', async () => {
    const post = async (path: string, body: Record<string, unknown>): Promise<string> => {
      const res = await fetch(`${service.url}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    };
    // 100 more suppliers, each with one instance: 101 rows, one more than the API's page of 100.
    const [{ templateId }] = (
      await api<{ items: Array<{ templateId: string }> }>('/dashboards/instances', {
        state: 'all',
        limit: '1',
      })
    ).items as [{ templateId: string }];
    for (let i = 0; i < 100; i++) {
      const supplierId = await post('/suppliers', { code: `PAGED-${i}`, name: `Paged ${i}` });
      const assignment = await post('/supplier-projects', { supplierId, projectId: PROJECT_ID });
      await post(`/supplier-projects/${assignment}/tasks`, { templateId });
    }
    const everySupplier = async () => apiRows({ by: 'supplier', limit: '1000' });
    for (let waited = 0; (await everySupplier()).length < 101; waited += 100) {
      if (waited > 10_000) throw new Error('the read model did not show the 100 suppliers');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await page.goto(service.url);
    await loaded(page, 1);
    await expect(shownProgress(page, 'progress-supplier')).resolves.toHaveLength(100);
    await page.locator('#supplier-more').press('Enter');
    await page.locator('#progress-supplier tbody tr[data-key]').nth(100).waitFor();
    expect(await shownProgress(page, 'progress-supplier')).toEqual(await everySupplier());
    await expect(page.locator('#supplier-more').isVisible()).resolves.toBe(false);
    // One project: its table has no second page.
    await expect(page.locator('#project-more').isVisible()).resolves.toBe(false);
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});

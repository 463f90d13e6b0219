import type { Page } from 'playwright-core';

export const COUNT_FIELDS = [
  'total',
  'notStarted',
  'inProgress',
  'completed',
  'overdue',
  'dueSoon',
] as const;
export type Counts = Record<(typeof COUNT_FIELDS)[number], number>;
export interface ShownRow {
  key: string;
  counts: Counts;
}

/**
 * Resolves once the page has finished `n` loads of the dashboard in all (it counts them); fails
 * with the page's own message when it shows an error instead.
 */
export async function loaded(page: Page, n: number): Promise<void> {
  // Locators, not waitForFunction: the page's CSP forbids the eval the latter polls with.
  await page
    .locator(`#dashboard[data-loads="${n}"], #error:not([hidden])`)
    .first()
    .waitFor({ state: 'attached' });
  const error = page.locator('#error');
  if (await error.isVisible()) throw new Error(`the page shows: ${await error.textContent()}`);
}

/** The rows of a progress table as a person reads them: which row, and its numbers. */
export async function shownProgress(page: Page, tableId: string): Promise<ShownRow[]> {
  const rows = page.locator(`#${tableId} tbody tr[data-key]`);
  const shown: ShownRow[] = [];
  for (const row of await rows.all()) {
    const counts = {} as Counts;
    for (const field of COUNT_FIELDS)
      counts[field] = Number(await row.locator(`td[data-count="${field}"]`).textContent());
    shown.push({ key: (await row.getAttribute('data-key'))!, counts });
  }
  return shown;
}

/** The instance ids a list shows, in order. */
export async function shownInstanceIds(page: Page, tableId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const row of await page.locator(`#${tableId} tbody tr[data-id]`).all())
    ids.push((await row.getAttribute('data-id'))!);
  return ids;
}

export type { ProgressPage, ProgressPaging, ProgressRow } from './progress-row';
import type { DashboardFilters, ProgressGrouping } from './dashboard-params';
import type { DueWindow } from './due-window';
import { countedProgress } from './counted-progress.query';
import {
  KEY_ORDERED,
  pageOf,
  type ProgressPage,
  type ProgressPaging,
  type ProgressRow,
} from './progress-row';
import { keepsCountersIn, keepsTaskTypeCountersIn, type ReadModel } from './read-model';
import { supplierCounters } from './supplier-counters.query';
import { counterProgress } from './counters.query';

/**
 * Progress per group: counts by status, and the active instances whose due date falls before
 * `asOf` (overdue) or from `asOf` to `asOf + dueSoonDays` (due soon). Instances with no group
 * (no section, no category) are left out of that grouping. Reads the live version's counters
 * when it keeps them (see README, "How it scales"), else counts instance rows.
 */
export async function progressPage(
  model: ReadModel,
  by: ProgressGrouping,
  filters: DashboardFilters,
  window: DueWindow,
  paging?: ProgressPaging,
): Promise<ProgressPage> {
  const version = await model.liveVersion();
  // One supplier's instances are few: counting them is as quick as reading counters.
  if (!keepsCountersIn(version) || filters.supplierId !== undefined)
    return pageOf(by, await countedProgress(model, by, filters, window), paging);
  if (KEY_ORDERED.has(by))
    return supplierCounters(model, by as 'supplier' | 'supplier-project', filters, window, paging);
  return pageOf(
    by,
    await counterProgress(
      model,
      by as 'project' | 'section' | 'category',
      filters,
      window,
      keepsTaskTypeCountersIn(version),
    ),
    paging,
  );
}

/** Every row of a grouping (all pages): what callers that want the whole answer use. */
export async function progress(
  model: ReadModel,
  by: ProgressGrouping,
  filters: DashboardFilters,
  window: DueWindow,
): Promise<ProgressRow[]> {
  return (await progressPage(model, by, filters, window)).rows;
}

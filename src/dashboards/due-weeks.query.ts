import type { DashboardFilters } from './dashboard-params';
import { addDays } from './due-window';
import { NO_DUE_DATE } from './instance-item';
import { instanceScope } from './instance-scope';
import type { ReadModel } from './read-model';
import { counterScope, levelFor, openByDueDate } from './counters.query';

export interface DueWeek {
  /** The Monday of the ISO week, `YYYY-MM-DD`. */
  week: string;
  /** Open instances due that week before `asOf`. */
  overdue: number;
  /** Open instances due that week on or after `asOf`. */
  notYetDue: number;
}

export interface DueWeeksAnswer {
  weeks: DueWeek[];
  /** Open instances with no due date (their template was removed and nothing overrides it). */
  withoutDueDate: number;
}

/** The Monday of a date's ISO week (dates are days: UTC calendar arithmetic). */
export function weekOf(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(year, month - 1, date)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

interface DateCount {
  due: string | null;
  open: number | string;
}

/** Open instances per due week, the overdue part (due before `asOf`) apart. */
export function foldWeeks(counts: DateCount[], asOf: string): DueWeeksAnswer {
  const weeks = new Map<string, DueWeek>();
  let withoutDueDate = 0;
  for (const { due, open } of counts) {
    const n = Number(open);
    if (n === 0) continue;
    if (due === null) {
      withoutDueDate += n;
      continue;
    }
    const week = weekOf(due);
    const entry = weeks.get(week) ?? { week, overdue: 0, notYetDue: 0 };
    if (due < asOf) entry.overdue += n;
    else entry.notYetDue += n;
    weeks.set(week, entry);
  }
  return {
    weeks: [...weeks.values()].sort((a, b) => (a.week < b.week ? -1 : 1)),
    withoutDueDate,
  };
}

/**
 * Open instances by due week. From the counts of open instances per due date when the live
 * version keeps them (of everything, or of the fewest counter rows that split by the filters),
 * else, or for one supplier's few instances, a GROUP BY of the open instance rows by due date.
 */
export async function dueWeeks(
  model: ReadModel,
  filters: DashboardFilters,
  asOf: string,
): Promise<DueWeeksAnswer> {
  const k = model.knex;
  if (filters.supplierId !== undefined || !(await model.keepsCounters())) {
    const query = instanceScope(model, filters)
      .whereNot('d.status', 'COMPLETED')
      .groupBy('d.due_date')
      .select({ due: 'd.due_date' }, k.raw('count(*)::int AS open'));
    return foldWeeks(await model.rows<DateCount>(query), asOf);
  }
  const unfiltered =
    filters.projectId === undefined &&
    filters.sectionId === undefined &&
    filters.category === undefined;
  const query = unfiltered
    ? model.view('open_by_due_date', 'b').where('b.kind', 'all')
    : openByDueDate(
        model,
        counterScope(model, levelFor('weeks', filters), filters),
        levelFor('weeks', filters),
      );
  const counts = await model.rows<DateCount>(
    query.groupBy('b.due_date').select({ due: 'b.due_date' }, k.raw('sum(b.open)::int AS open')),
  );
  return foldWeeks(
    counts.map((c) => (c.due === NO_DUE_DATE ? { ...c, due: null } : c)),
    asOf,
  );
}

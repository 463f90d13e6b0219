import type { ProgressGrouping } from './dashboard-params';
import { encodeCursor, type Cursor } from './keyset-cursor';

export interface ProgressRow {
  key: string;
  label: string;
  total: number;
  notStarted: number;
  inProgress: number;
  completed: number;
  overdue: number;
  dueSoon: number;
}

/** Which rows of a grouping: at most `limit`, after `cursor` (from a previous page). */
export interface ProgressPaging {
  limit: number;
  cursor?: Cursor;
}

export interface ProgressPage {
  rows: ProgressRow[];
  nextCursor: string | null;
}

/**
 * Groupings with as many keys as suppliers are paged in the order of their key (an index
 * order); the others, a few rows each, by label then key.
 */
export const KEY_ORDERED: ReadonlySet<ProgressGrouping> = new Set(['supplier', 'supplier-project']);

export type Counted = Record<keyof ProgressRow, string | number | null>;

export const progressRowOf = (r: Counted): ProgressRow => ({
  key: String(r.key),
  label: String(r.label ?? r.key),
  total: Number(r.total),
  notStarted: Number(r.notStarted),
  inProgress: Number(r.inProgress),
  completed: Number(r.completed),
  overdue: Number(r.overdue ?? 0),
  dueSoon: Number(r.dueSoon ?? 0),
});

/** Code-unit order, as the keyset cursor compares: the same in every database collation. */
function compare(a: string[], b: string[]): number {
  for (const [i, x] of a.entries()) {
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
const byLabel = (a: ProgressRow, b: ProgressRow) => compare([a.label, a.key], [b.label, b.key]);
const byKey = (a: ProgressRow, b: ProgressRow) => compare([a.key], [b.key]);

/** One page of rows already counted in full, in the grouping's order. */
export function pageOf(
  by: ProgressGrouping,
  rows: ProgressRow[],
  paging?: ProgressPaging,
): ProgressPage {
  const keyed = KEY_ORDERED.has(by);
  const sorted = rows.sort(keyed ? byKey : byLabel);
  if (paging === undefined) return { rows: sorted, nextCursor: null };
  const { cursor } = paging;
  const after =
    cursor === undefined
      ? sorted
      : sorted.filter((r) =>
          keyed ? r.key > cursor.id : compare([r.label, r.key], [cursor.k ?? '', cursor.id]) > 0,
        );
  return pageEnd(by, after, paging.limit);
}

/** The first `limit` rows, and the cursor after the last of them if more rows follow. */
export function pageEnd(by: ProgressGrouping, rows: ProgressRow[], limit: number): ProgressPage {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ k: KEY_ORDERED.has(by) ? null : last.label, id: last.key })
        : null,
  };
}

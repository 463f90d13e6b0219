/** The day `days` after `date`, both `YYYY-MM-DD`: calendar arithmetic in UTC, no clock. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The days that make an active instance overdue (before `asOf`) or due soon (`asOf` to `until`). */
export interface DueWindow {
  asOf: string;
  until: string;
}

export const dueWindow = (asOf: string, dueSoonDays: number): DueWindow => ({
  asOf,
  until: addDays(asOf, dueSoonDays),
});

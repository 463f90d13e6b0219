import type { ProgressRow } from './api-types';
import { el } from './dom';

/** The counts shown per row, in column order; the browser test reads them by `data-count`. */
const COUNTS: Array<{ field: keyof ProgressRow & string; title: string }> = [
  { field: 'total', title: 'Total' },
  { field: 'notStarted', title: 'Not started' },
  { field: 'inProgress', title: 'In progress' },
  { field: 'completed', title: 'Completed' },
  { field: 'overdue', title: 'Overdue' },
  { field: 'dueSoon', title: 'Due soon' },
];

const share = (part: number, total: number): string =>
  total === 0 ? '0%' : `${((part / total) * 100).toFixed(2)}%`;

/** Completed, in progress and not started side by side, widths set through the CSSOM (CSP-safe). */
function progressBar(row: ProgressRow): HTMLElement {
  const bar = el('div', {
    class: 'bar',
    role: 'img',
    'aria-label': `${row.completed} of ${row.total} completed, ${row.inProgress} in progress`,
  });
  for (const [part, className] of [
    [row.completed, 'completed'],
    [row.inProgress, 'in-progress'],
    [row.notStarted, 'not-started'],
  ] as const) {
    const span = el('span', { class: className });
    span.style.width = share(part, row.total);
    bar.append(span);
  }
  return bar;
}

export interface ProgressTableOptions {
  caption: string;
  /** A button per row that opens the row's sections. */
  drill?: (row: ProgressRow) => void;
}

/** A progress table whose rows come a page at a time (the API pages them by key). */
export class ProgressTable {
  private rows: ProgressRow[] = [];

  constructor(
    private readonly table: HTMLTableElement,
    private readonly options: ProgressTableOptions,
  ) {}

  replace(rows: ProgressRow[]): void {
    this.rows = [...rows];
    this.render();
  }

  append(rows: ProgressRow[]): void {
    this.rows.push(...rows);
    this.render();
  }

  private render(): void {
    const head = el(
      'tr',
      {},
      el('th', { scope: 'col' }, 'Name'),
      el('th', { scope: 'col' }, 'Progress'),
      ...COUNTS.map((count) => el('th', { scope: 'col', class: 'number' }, count.title)),
    );
    const body = el('tbody');
    for (const row of this.rows) body.append(this.rowOf(row));
    if (this.rows.length === 0)
      body.append(
        el('tr', {}, el('td', { colspan: String(COUNTS.length + 2) }, 'Nothing matches.')),
      );
    // The section's heading says what the table is; the caption names it for screen readers.
    this.table.replaceChildren(
      el(
        'caption',
        { class: 'visually-hidden' },
        `${this.options.caption}: ${this.rows.length} shown`,
      ),
      el('thead', {}, head),
      body,
    );
  }

  private rowOf(row: ProgressRow): HTMLElement {
    const name = el('th', { scope: 'row' }, row.label);
    const drill = this.options.drill;
    if (drill !== undefined) {
      const button = el(
        'button',
        { type: 'button', class: 'link', 'aria-label': `Sections of ${row.label}` },
        'Sections',
      );
      button.addEventListener('click', () => drill(row));
      name.append(' ', button);
    }
    return el(
      'tr',
      { 'data-key': row.key },
      name,
      el('td', {}, progressBar(row)),
      ...COUNTS.map((count) =>
        el('td', { class: 'number', 'data-count': count.field }, String(row[count.field])),
      ),
    );
  }
}

import type { InstanceItem } from './api-types';
import type { Catalog } from './catalog';
import { el } from './dom';

const named = (catalog: Catalog, id: string | null): string =>
  id === null ? '—' : (catalog.labels.get(id) ?? id);

const STATUS_TEXT: Record<string, string> = {
  NOT_STARTED: 'not started',
  IN_PROGRESS: 'in progress',
  COMPLETED: 'completed',
};

/** A list of instances (overdue or due soon), each with a button opening its detail. */
export class InstanceList {
  private items: InstanceItem[] = [];

  constructor(
    private readonly table: HTMLTableElement,
    private readonly caption: string,
    private readonly open: (item: InstanceItem, opener: HTMLElement) => void,
  ) {}

  replace(items: InstanceItem[], catalog: Catalog): void {
    this.items = [...items];
    this.render(catalog);
  }

  append(items: InstanceItem[], catalog: Catalog): void {
    this.items.push(...items);
    this.render(catalog);
  }

  private render(catalog: Catalog): void {
    const head = el(
      'tr',
      {},
      ...['Due date', 'Status', 'Task', 'Supplier', 'Project', 'Section', 'Category', ''].map(
        (title) => el('th', { scope: 'col' }, title),
      ),
    );
    const body = el('tbody');
    for (const item of this.items) {
      const task = named(catalog, item.taskId);
      const supplier = named(catalog, item.supplierId);
      const button = el(
        'button',
        { type: 'button', 'aria-label': `Details of ${task} for ${supplier}` },
        'Details',
      );
      button.addEventListener('click', () => this.open(item, button));
      body.append(
        el(
          'tr',
          { 'data-id': item.id },
          el(
            'td',
            { 'data-field': 'dueDate' },
            item.dueDate ?? '—',
            item.dueDateOverridden ? ' (moved)' : '',
          ),
          el('td', {}, STATUS_TEXT[item.status] ?? item.status),
          el('td', {}, task),
          el('td', {}, supplier),
          el('td', {}, named(catalog, item.projectId)),
          el('td', {}, named(catalog, item.sectionId)),
          el('td', {}, item.category ?? '—'),
          el('td', {}, button),
        ),
      );
    }
    if (this.items.length === 0) body.append(el('tr', {}, el('td', { colspan: '8' }, 'None.')));
    this.table.replaceChildren(
      el('caption', {}, `${this.caption}: ${this.items.length} shown`),
      el('thead', {}, head),
      body,
    );
  }
}

import { ApiError, type Api } from './api';
import type { AuditedEvent, EntityAsOf, StreamPage } from './api-types';
import type { Catalog } from './catalog';
import { byId, el } from './dom';

type Entry = Record<string, unknown>;

const REFERENCES = new Set(['supplierId', 'projectId', 'taskId', 'sectionId']);
/** A history can be long; beyond this many stream pages the page says it stopped. */
const MAX_STREAM_PAGES = 20;

const isEntry = (value: unknown): value is Entry =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const scalar = (value: unknown): string =>
  value === null || value === undefined
    ? '—'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** One line of a list entry: its fields as `name: value`, ids of known things by name. */
const describe = (entry: unknown, catalog: Catalog): string =>
  isEntry(entry)
    ? Object.entries(entry)
        .map(([name, value]) =>
          REFERENCES.has(name) && typeof value === 'string'
            ? `${name}: ${catalog.labels.get(value) ?? value}`
            : `${name}: ${scalar(value)}`,
        )
        .join(', ')
    : scalar(entry);

/** What an event did to the instance, in a few words. */
function change(event: { type: string; data: Entry }): string {
  const data = event.data;
  if (typeof data.from === 'string' && typeof data.to === 'string')
    return `${data.from} → ${data.to}`;
  if (typeof data.dueDate === 'string') return `due ${data.dueDate}`;
  if (typeof data.text === 'string') return `“${data.text}”`;
  return '';
}

/** The instance's own events in a stream page, in their upcast (current) form. */
const eventsOf = (events: AuditedEvent[], id: string) =>
  events.flatMap((event) =>
    (event.upcast ?? [event.raw])
      .filter((form) => form.data.supplierTaskInstanceId === id)
      .map((form) => ({ event, form })),
  );

/** A task instance's detail (the dashboard API) and its history (the audit routes). */
export class InstanceDetail {
  private readonly section = byId<HTMLElement>('detail');
  private opener: HTMLElement | undefined;

  constructor(
    private readonly api: () => Api,
    private readonly catalog: () => Catalog,
  ) {
    byId('detail-close').addEventListener('click', () => this.close());
  }

  async open(id: string, opener: HTMLElement): Promise<void> {
    this.opener = opener;
    const detail = await this.api().get<Entry>(
      `/supplier-task-instances/${encodeURIComponent(id)}`,
    );
    this.renderDetail(detail);
    this.section.hidden = false;
    this.section.focus();
    await this.renderAudit(id);
  }

  close(): void {
    this.section.hidden = true;
    this.opener?.focus();
  }

  private renderDetail(detail: Entry): void {
    const catalog = this.catalog();
    const fields = byId<HTMLDListElement>('detail-fields');
    const notes = byId<HTMLUListElement>('detail-notes');
    const history = byId<HTMLOListElement>('detail-status-history');
    fields.replaceChildren();
    notes.replaceChildren();
    history.replaceChildren();
    for (const [name, value] of Object.entries(detail)) {
      if (Array.isArray(value)) {
        const target = name === 'notes' ? notes : /history/i.test(name) ? history : undefined;
        if (target !== undefined) {
          for (const entry of value) target.append(el('li', {}, describe(entry, catalog)));
          continue;
        }
      }
      const shown =
        REFERENCES.has(name) && typeof value === 'string'
          ? (catalog.labels.get(value) ?? value)
          : scalar(value);
      fields.append(el('dt', {}, name), el('dd', { 'data-field': name }, shown));
    }
    if (notes.childElementCount === 0) notes.append(el('li', {}, 'No notes.'));
    if (history.childElementCount === 0) history.append(el('li', {}, 'No status change yet.'));
  }

  private async renderAudit(id: string): Promise<void> {
    const note = byId<HTMLParagraphElement>('audit-note');
    const table = byId<HTMLTableElement>('audit-history');
    table.replaceChildren();
    note.textContent = 'Reading the audit log…';
    const api = this.api();
    let entity: EntityAsOf;
    try {
      entity = await api.get<EntityAsOf>(
        `/audit/entities/supplier-task-instance/${encodeURIComponent(id)}`,
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) {
        note.textContent =
          'This key lacks the auditor role, so the history from the audit log is not shown.';
        return;
      }
      throw error;
    }
    const rows: HTMLTableRowElement[] = [];
    let next: string | null = `/audit/streams/${encodeURIComponent(entity.streamId)}`;
    let pages = 0;
    while (next !== null && pages < MAX_STREAM_PAGES) {
      const [path, search] = next.split('?');
      const page: StreamPage = await api.get<StreamPage>(path!, new URLSearchParams(search ?? ''));
      for (const { event, form } of eventsOf(page.events, id)) {
        const who = event.metadata.onBehalfOf
          ? `${event.metadata.actor} for ${event.metadata.onBehalfOf}`
          : event.metadata.actor;
        rows.push(
          el(
            'tr',
            { 'data-position': event.position },
            el('td', {}, event.metadata.occurredAt),
            el('td', { 'data-field': 'type' }, form.type),
            el('td', {}, change(form)),
            el('td', {}, who),
          ),
        );
      }
      next = page.next;
      pages++;
    }
    note.textContent =
      next === null
        ? `${rows.length} events of this instance in stream ${entity.streamId}.`
        : `The first ${rows.length} events of this instance (the stream is longer).`;
    table.replaceChildren(
      el('caption', {}, 'Events of this instance, oldest first'),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['When (business time)', 'Event', 'Change', 'Who'].map((title) =>
            el('th', { scope: 'col' }, title),
          ),
        ),
      ),
      el('tbody', {}, ...rows),
    );
  }
}

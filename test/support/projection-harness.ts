/**
 * Projection handlers without a database: events as the runner hands them over (stored, then
 * upcast), and an in-memory copy of the tables that a batch sees only through `reads`, exactly
 * as the runner loads rows. Pure, so the handlers' unit specs can use it.
 */
import { upcastStored } from '../../upcasters';
import type { StoredEvent } from '../../src/eventstore/event';
import type {
  ProjectionDefinition,
  ProjectionEvent,
  Row,
} from '../../projections/projection-definition';
import { RowChanges } from '../../src/projection-runner/row-changes';

export interface LogEntry {
  type: string;
  data: Record<string, unknown>;
  /** 1 (a legacy V1 event, upcast on read) unless given. */
  schemaVersion?: number;
  occurredAt?: string;
  actor?: string;
}

/** A V1 event as the legacy portal wrote it. */
export const v1 = (type: string, data: Record<string, unknown>, occurredAt?: string): LogEntry => ({
  type,
  data,
  schemaVersion: 1,
  occurredAt,
});

/** A V2 event as the domain writes it. */
export const v2 = (type: string, data: Record<string, unknown>, occurredAt?: string): LogEntry => ({
  type,
  data,
  schemaVersion: 2,
  occurredAt,
});

const idAt = (position: number) => `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`;

/** Stores the entries at positions 1, 2, … and upcasts them: what the handlers receive. */
export function logOf(entries: LogEntry[]): ProjectionEvent[] {
  return entries.flatMap((entry, index) => {
    const position = index + 1;
    const occurredAt =
      entry.occurredAt ?? new Date(Date.UTC(2025, 4, 5, 8, position)).toISOString();
    const stored: StoredEvent = {
      eventId: idAt(position),
      streamId: `test-${idAt(0)}`,
      revision: index,
      position: BigInt(position),
      type: entry.type,
      schemaVersion: entry.schemaVersion ?? 1,
      data: entry.data,
      metadata: {
        occurredAt,
        actor: entry.actor ?? 'legacy-portal',
        recordedAt: '2026-01-01T00:00:00.000Z',
      },
    };
    return upcastStored(stored);
  });
}

export type Tables = Record<string, Row[]>;

/** The tables of a projection in memory; a batch sees only the rows its events' `reads` name. */
export class MemoryTables {
  private readonly tables = new Map<string, Map<string, Row>>();

  applyBatch(definition: ProjectionDefinition, events: ProjectionEvent[]): void {
    const refs = events.flatMap((e) => definition.reads(e));
    const loaded = new Map<string, Map<string, Row>>();
    for (const [table, ids] of RowChanges.refsByTable(refs)) {
      const rows = this.tables.get(table) ?? new Map<string, Row>();
      loaded.set(
        table,
        new Map([...ids].flatMap((id) => (rows.has(id) ? [[id, rows.get(id)!] as const] : []))),
      );
    }
    const changes = new RowChanges(refs, loaded);
    for (const event of events) definition.apply(event, changes);
    for (const { table, upserts, deletes } of changes.changes()) {
      const rows = this.tables.get(table) ?? new Map<string, Row>();
      for (const id of deletes) rows.delete(id);
      for (const row of upserts) rows.set(row.id, { ...row });
      this.tables.set(table, rows);
    }
  }

  /** Every non-empty table, rows ordered by id. */
  snapshot(): Tables {
    const out: Tables = {};
    for (const [table, rows] of [...this.tables].sort(([a], [b]) => a.localeCompare(b))) {
      if (rows.size === 0) continue;
      out[table] = [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return out;
  }
}

/** Applies the events in batches of `batchSize` (the runner's unit of work). */
export function projectInBatches(
  definition: ProjectionDefinition,
  events: ProjectionEvent[],
  batchSize: number,
): Tables {
  const tables = new MemoryTables();
  for (let i = 0; i < events.length; i += batchSize) {
    tables.applyBatch(definition, events.slice(i, i + batchSize));
  }
  return tables.snapshot();
}

/**
 * The rows after the log, applied one event per batch (so every row a handler needs must be
 * named by `reads`, as it would be at a batch boundary in a rebuild) and as a single batch: the
 * two must agree, whatever the batch size.
 */
export function project(definition: ProjectionDefinition, entries: LogEntry[]): Tables {
  const events = logOf(entries);
  const oneByOne = projectInBatches(definition, events, 1);
  expect(projectInBatches(definition, events, Math.max(events.length, 1))).toEqual(oneByOne);
  return oneByOne;
}

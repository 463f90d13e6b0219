import type { UpcastStoredEvent } from '../upcasters';

/**
 * An event with its place in the log: what projection handlers see. Upcast unless the
 * definition's `input` is `'raw'` (a stored event has the same shape).
 */
export type ProjectionEvent = UpcastStoredEvent;

/**
 * Dates and times are kept as ISO-8601 text: they compare correctly as text, and neither driver
 * turns them into a JS Date in the machine's time zone.
 */
export type ColumnType = 'text' | 'integer' | 'boolean';

export interface TableDefinition {
  /** Every table also has `id text PRIMARY KEY`. */
  columns: Record<string, ColumnType>;
  indexes?: string[][];
}

export type Row = { id: string } & Record<string, string | number | boolean | null>;

/** The rows of a projection as one batch of handlers sees them: in memory, synchronous. */
export interface Rows {
  get(table: string, id: string): Row | undefined;
  /** Inserts or replaces the whole row. */
  put(table: string, row: Row): void;
  /** Changes some columns of an existing row; a missing row is a projection error. */
  update(table: string, id: string, changes: Partial<Row>): void;
  delete(table: string, id: string): void;
  /** The rows of a set `readsWhere` declared, as the batch has them so far. */
  where(table: string, column: string, value: string): Row[];
}

export interface RowRef {
  table: string;
  id: string;
}

/** Every row of `table` whose `column` equals `value` (the column should be indexed). */
export interface RowSetRef {
  table: string;
  column: string;
  value: string;
}

/**
 * A read model. Its handlers are pure row changes keyed by ids from the events, so applying a
 * batch is: load the rows it names, run the handlers in memory, write back what changed.
 * Any change to what a handler does is a new version (a new schema, rebuilt from position 0).
 */
export interface ProjectionDefinition {
  name: string;
  version: number;
  description: string;
  tables: Record<string, TableDefinition>;
  /** Views over the tables, `{schema}` standing for this version's schema; readers use these. */
  views?: Record<string, string>;
  /**
   * What the runner hands the handlers: the log upcast (the default), or the events exactly as
   * stored, for a projection that must not depend on the upcasters (legacy_v1, the migration's gate).
   */
  input?: 'raw' | 'upcast';
  /** The rows `apply` may read for this event. */
  reads(event: ProjectionEvent): RowRef[];
  /** The sets of rows (by a column's value) `apply` may read for this event. */
  readsWhere?(event: ProjectionEvent): RowSetRef[];
  /**
   * Rows `apply` may read that only other rows name (a status change names its instance, the
   * instance its template's counters): given the rows as they stand just before the event. It
   * may read the rows `reads` and `readsWhere` declare, and rows it names itself: the runner
   * loads those and asks again.
   */
  readsAfter?(event: ProjectionEvent, rows: Pick<Rows, 'get' | 'where'>): RowRef[];
  /** Throws to stop the projection at this event. */
  apply(event: ProjectionEvent, rows: Rows): void;
  /**
   * The code of the handlers `reads` and `apply` dispatch to, when they are a generic dispatcher:
   * part of the version's fingerprint, so an edited handler under the same version is noticed.
   */
  handlerSource?: string;
  /**
   * Validation facts: one row per entity, `(entity, id, fingerprint)` with the fingerprint a
   * canonical text of what must agree, from the relations of `{schema}`. Two versions (or two
   * projections sharing entity kinds) are compared on these.
   */
  facts: string;
  /** The entity kinds `facts` yields; validation compares the kinds two projections share. */
  factKinds: string[];
}

export const schemaOf = (name: string, version: number): string => `${name}_v${version}`;

import type { UpcastStoredEvent } from '../upcasters';

/** An upcast event with its place in the log: what projection handlers see. */
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
}

export interface RowRef {
  table: string;
  id: string;
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
  /** The rows `apply` may read for this event. */
  reads(event: ProjectionEvent): RowRef[];
  /** Throws to stop the projection at this event. */
  apply(event: ProjectionEvent, rows: Rows): void;
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

import type { Row, RowRef, RowSetRef, Rows } from '../../projections/projection-definition';

export class ProjectionHandlerError extends Error {}

/** A handler read a row it did not declare. */
export class UndeclaredRowError extends ProjectionHandlerError {
  constructor(readonly ref: RowRef) {
    super(`${ref.table} ${ref.id} was read but not declared in reads()`);
  }
}

const setKey = ({ table, column, value }: RowSetRef) => JSON.stringify([table, column, value]);

/**
 * The unit of work of one batch: rows loaded before the handlers run, changes kept in memory
 * and written back at the end. Keys are `table` and `id`.
 */
export class RowChanges implements Rows {
  /** Every row the batch may read: loaded (null when absent in the table) or written by it. */
  private readonly rows = new Map<string, Map<string, Row | null>>();
  private readonly dirty = new Map<string, Set<string>>();
  /** The row sets loaded whole: with the rows the batch wrote, `where` answers them exactly. */
  private readonly sets = new Set<string>();

  /**
   * `requested` are the refs `reads` declared; those not in `loaded` do not exist. `sets` are
   * the sets `readsWhere` declared, their rows in `loaded`.
   */
  constructor(
    requested: RowRef[] = [],
    loaded: Map<string, Map<string, Row>> = new Map(),
    sets: RowSetRef[] = [],
  ) {
    this.declare(requested, loaded, sets);
  }

  /** More rows the batch may read, loaded after it began: rows it has not written yet. */
  declare(
    requested: RowRef[],
    loaded: Map<string, Map<string, Row>>,
    sets: RowSetRef[] = [],
  ): void {
    for (const { table, id } of requested) {
      const byId = this.tableOf(table);
      if (!byId.has(id)) byId.set(id, loaded.get(table)?.get(id) ?? null);
    }
    for (const set of sets) {
      this.sets.add(setKey(set));
      const byId = this.tableOf(set.table);
      for (const row of loaded.get(set.table)?.values() ?? [])
        if (!byId.has(row.id)) byId.set(row.id, row);
    }
  }

  /** Whether the batch may read the row: declared, loaded or written. */
  knows(table: string, id: string): boolean {
    return this.rows.get(table)?.has(id) ?? false;
  }

  get(table: string, id: string): Row | undefined {
    const byId = this.rows.get(table);
    // A row a handler did not declare would read as missing whether or not it exists: a bug in
    // the projection, which must stop it rather than project something wrong.
    if (!byId?.has(id)) throw new UndeclaredRowError({ table, id });
    return byId.get(id) ?? undefined;
  }

  where(table: string, column: string, value: string): Row[] {
    if (!this.sets.has(setKey({ table, column, value })))
      throw new ProjectionHandlerError(
        `${table} where ${column} = ${value} was read but not declared in readsWhere()`,
      );
    // The set as loaded, then changed by the batch: every row of the table the batch knows
    // holds its current values, and a row it does not know is as the set loaded it.
    return [...(this.rows.get(table)?.values() ?? [])].filter(
      (row): row is Row => row !== null && row[column] === value,
    );
  }

  put(table: string, row: Row): void {
    this.tableOf(table).set(row.id, { ...row });
    this.markDirty(table, row.id);
  }

  update(table: string, id: string, changes: Partial<Row>): void {
    const current = this.get(table, id);
    if (!current) throw new ProjectionHandlerError(`${table} ${id} does not exist`);
    this.put(table, { ...current, ...changes, id });
  }

  delete(table: string, id: string): void {
    this.tableOf(table).set(id, null);
    this.markDirty(table, id);
  }

  /** What to write back, per table: rows to upsert and ids to delete. */
  changes(): Array<{ table: string; upserts: Row[]; deletes: string[] }> {
    return [...this.dirty].map(([table, ids]) => {
      const upserts: Row[] = [];
      const deletes: string[] = [];
      for (const id of ids) {
        const row = this.rows.get(table)!.get(id);
        if (row) upserts.push(row);
        else deletes.push(id);
      }
      return { table, upserts, deletes };
    });
  }

  static refsByTable(refs: RowRef[]): Map<string, Set<string>> {
    const byTable = new Map<string, Set<string>>();
    for (const ref of refs) {
      const ids = byTable.get(ref.table) ?? new Set<string>();
      ids.add(ref.id);
      byTable.set(ref.table, ids);
    }
    return byTable;
  }

  private tableOf(table: string): Map<string, Row | null> {
    let byId = this.rows.get(table);
    if (!byId) {
      byId = new Map();
      this.rows.set(table, byId);
    }
    return byId;
  }

  private markDirty(table: string, id: string): void {
    const ids = this.dirty.get(table) ?? new Set<string>();
    ids.add(id);
    this.dirty.set(table, ids);
  }
}

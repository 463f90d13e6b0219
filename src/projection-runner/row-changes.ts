import type { Row, RowRef, Rows } from '../../projections/projection-definition';

export class ProjectionHandlerError extends Error {}

/**
 * The unit of work of one batch: rows loaded before the handlers run, changes kept in memory
 * and written back at the end. Keys are `table` and `id`.
 */
export class RowChanges implements Rows {
  /** Every row the batch may read: loaded (null when absent in the table) or written by it. */
  private readonly rows = new Map<string, Map<string, Row | null>>();
  private readonly dirty = new Map<string, Set<string>>();

  /** `requested` are the refs `reads` declared; those not in `loaded` do not exist. */
  constructor(requested: RowRef[] = [], loaded: Map<string, Map<string, Row>> = new Map()) {
    for (const { table, id } of requested)
      this.tableOf(table).set(id, loaded.get(table)?.get(id) ?? null);
  }

  get(table: string, id: string): Row | undefined {
    const byId = this.rows.get(table);
    // A row a handler did not declare would read as missing whether or not it exists: a bug in
    // the projection, which must stop it rather than project something wrong.
    if (!byId?.has(id))
      throw new ProjectionHandlerError(`${table} ${id} was read but not declared in reads()`);
    return byId.get(id) ?? undefined;
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

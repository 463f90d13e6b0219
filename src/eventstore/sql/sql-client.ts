/**
 * The little SQL surface the event store and the projection runner need, implemented once for a
 * PostgreSQL server (`pg`) and once for embedded PGlite, so that the same SQL runs on both.
 *
 * int8 values are returned as strings by both implementations (cast in SQL where it matters),
 * and json values as parsed objects.
 */
export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlSession {
  readonly kind: 'postgres' | 'pglite';
  /**
   * `prepareAs`: a name under which each connection prepares `sql` once and then only binds it
   * (PostgreSQL; for the hottest statements, whose parsing and planning cost as much as running
   * them). One name, one text.
   */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    prepareAs?: string,
  ): Promise<Row[]>;
  /**
   * Runs `fn` in one transaction on one connection. On failure the transaction is rolled back
   * and every session-level advisory lock the connection holds is released, so a lock taken
   * inside `fn` can never outlive it.
   */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for every NOTIFY on `channel`; resolves to an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Sends a NOTIFY on `channel` as a transaction of its own. */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

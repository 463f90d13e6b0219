import { knex, type Knex } from 'knex';
import type { SqlClient } from '../eventstore/sql/sql-client';

/** The stable schema of the V2 read model: views onto whichever version is live. */
export const READ_MODEL_SCHEMA = 'supplier_tasks';

/** Nothing is live yet (no migration run): the reads have nowhere to look. */
export class NoLiveReadModelError extends Error {
  readonly command = 'supplier-tasks migrate';
  constructor() {
    super(`no live ${READ_MODEL_SCHEMA} read model: run \`supplier-tasks migrate\``);
  }
}

/** The first version of the read model with counters per template (projections/supplier_tasks). */
const COUNTERS_SINCE_VERSION = 3;

/** The first version with counters per project and task type as well. */
const TASK_TYPE_COUNTERS_SINCE_VERSION = 4;

/** Whether that version of the read model keeps the counters the fast queries read. */
export const keepsCountersIn = (version: number | undefined): boolean =>
  version !== undefined && version >= COUNTERS_SINCE_VERSION;

/** Whether it keeps the counters per project and task type, for progress within a category. */
export const keepsTaskTypeCountersIn = (version: number | undefined): boolean =>
  version !== undefined && version >= TASK_TYPE_COUNTERS_SINCE_VERSION;

const UNDEFINED_TABLE = '42P01';
const UNDEFINED_SCHEMA = '3F000';

/**
 * knex builds the queries (PostgreSQL dialect, placeholders and quoting its own); they run on the
 * service's own SQL client, so `pg` and PGlite share one connection pool and PGlite its one
 * connection with the projection runner.
 */
export class ReadModel {
  readonly knex: Knex = knex({ client: 'pg' });

  constructor(private readonly sql: SqlClient) {}

  /** A relation of the stable schema under an alias, for a join. */
  relation(name: string, alias: string): Record<string, string> {
    return { [alias]: `${READ_MODEL_SCHEMA}.${name}` };
  }

  /** A query from a relation of the stable schema, e.g. `view('task_instance_details', 'd')`. */
  view(name: string, alias: string): Knex.QueryBuilder {
    return this.knex(this.relation(name, alias));
  }

  /**
   * The live version of the read model, undefined before the first migration. Asked per request
   * (a switch takes effect at once): whether it keeps the counters per template and the due
   * dates on instance rows (supplier_tasks v3 and later) decides which queries answer; during a
   * migration from v1 or v2 they count instance rows instead.
   */
  async liveVersion(): Promise<number | undefined> {
    const [live] = await this.sql.query<{ version: number }>(
      'SELECT version FROM projections.live WHERE name = $1',
      [READ_MODEL_SCHEMA],
      'read_model_live_version',
    );
    return live?.version;
  }

  async keepsCounters(): Promise<boolean> {
    return keepsCountersIn(await this.liveVersion());
  }

  /**
   * Planned for its parameters on each run, not prepared: PostgreSQL plans a prepared statement
   * generically after five runs, and at a million instances that plan of progress by supplier
   * within one project took 150 ms where the custom one takes 4.
   */
  async rows<Row>(query: Knex.QueryBuilder): Promise<Row[]> {
    const { sql, bindings } = query.toSQL().toNative();
    try {
      return await this.sql.query<Row>(sql, [...bindings]);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === UNDEFINED_TABLE || code === UNDEFINED_SCHEMA) throw new NoLiveReadModelError();
      throw error;
    }
  }
}

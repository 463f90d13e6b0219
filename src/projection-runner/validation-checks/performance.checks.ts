import { performance } from 'node:perf_hooks';
import type { SqlClient } from '../../eventstore/sql/sql-client';
import { dueWindow } from '../../dashboards/due-window';
import { instances } from '../../dashboards/instances.query';
import { progress } from '../../dashboards/progress.query';
import { READ_MODEL_SCHEMA, ReadModel } from '../../dashboards/read-model';
import { schemaOf, type ProjectionDefinition } from '../../../projections/projection-definition';
import { uncomputed, type ValidationCheck } from './validation-check';

/** Runs per query: enough for a p95 that one slow run does not make. */
const PERFORMANCE_RUNS = 20;
/** What a dashboard query on the new version must answer within, at the 95th percentile. */
const PERFORMANCE_BOUND_MS = 1000;

/** The dashboards' queries, unchanged, read from one version's own schema instead of the stable views. */
class VersionReadModel extends ReadModel {
  private readonly schema: string;

  constructor(
    sql: SqlClient,
    private readonly definition: ProjectionDefinition,
  ) {
    super(sql);
    this.schema = schemaOf(definition.name, definition.version);
  }

  override relation(name: string, alias: string): Record<string, string> {
    return { [alias]: `${this.schema}.${name}` };
  }

  /** What this version keeps, not the live one: the queries it will get once it is live. */
  override liveVersion(): Promise<number | undefined> {
    return Promise.resolve(this.definition.version);
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function timed(name: string, query: () => Promise<unknown>): Promise<ValidationCheck> {
  const ms: number[] = [];
  try {
    await query(); // a first run warms the plan cache; it is not one of the runs measured
    for (let i = 0; i < PERFORMANCE_RUNS; i++) {
      const start = performance.now();
      await query();
      ms.push(performance.now() - start);
    }
  } catch (error) {
    // A version the dashboards cannot query at all fails here, not the whole validation.
    return uncomputed(name, 'performance', error instanceof Error ? error.message : String(error));
  }
  ms.sort((a, b) => a - b);
  const [p50Ms, p95Ms] = [percentile(ms, 50), percentile(ms, 95)].map(
    (v) => Math.round(v * 10) / 10,
  ) as [number, number];
  return {
    name,
    group: 'performance',
    passed: p95Ms <= PERFORMANCE_BOUND_MS,
    details: `p50 ${p50Ms} ms, p95 ${p95Ms} ms over ${PERFORMANCE_RUNS} runs (bound: p95 ≤ ${PERFORMANCE_BOUND_MS} ms)`,
    differences:
      p95Ms <= PERFORMANCE_BOUND_MS ? [] : [`p95 ${p95Ms} ms > ${PERFORMANCE_BOUND_MS} ms`],
    timing: { runs: PERFORMANCE_RUNS, p50Ms, p95Ms, boundMs: PERFORMANCE_BOUND_MS },
  };
}

/**
 * The managers' dashboards as they will run once the candidate is live. `today` is the day the
 * due windows count from (the caller's clock: a check reads none).
 */
export async function performanceChecks(
  sql: SqlClient,
  candidate: ProjectionDefinition,
  today: string,
): Promise<ValidationCheck[]> {
  if (candidate.name !== READ_MODEL_SCHEMA) {
    return [
      {
        name: 'dashboard queries',
        group: 'performance',
        passed: true,
        details: `not applicable: the dashboards read ${READ_MODEL_SCHEMA}, not ${candidate.name}`,
        differences: [],
      },
    ];
  }
  const model = new VersionReadModel(sql, candidate);
  const window = dueWindow(today, 14);
  return [
    await timed('dashboard progress by project', () => progress(model, 'project', {}, window)),
    await timed('dashboard progress by section', () => progress(model, 'section', {}, window)),
    await timed('dashboard instances, first page of all', () =>
      instances(model, { state: 'all', limit: 50 }, window),
    ),
    await timed('dashboard instances, first page overdue', () =>
      instances(model, { state: 'overdue', limit: 50 }, window),
    ),
  ];
}

import type { LiveVersion } from '../projection-runner/projection-admin';
import type { MigrationRun } from '../projection-runner/projections-api';
import type { MigrationReport } from './migration-report';

/**
 * The report of a run: what it did and what its validation computed, with the rollback and the
 * retention read from the live pointer after it (`live`: the target projection's).
 */
export function migrationReportOf(
  id: string,
  run: MigrationRun,
  live: LiveVersion,
): MigrationReport {
  const v = run.validation;
  const switched = run.outcome === 'switched' || run.outcome === 'already-live';
  const previous = switched ? live.previousVersion : run.previousLive;
  return {
    id,
    kind: run.kind,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    outcome: run.outcome,
    error: run.error,
    source: run.source,
    target: run.target,
    positions: { from: run.fromPosition, to: v?.figures.position ?? null },
    steps: run.steps,
    counts: v ? { v1: v.figures.counts.reference, v2: v.figures.counts.candidate } : null,
    instances: v?.figures.instances.candidate ?? null,
    sourceInstances: v?.figures.instances.reference ?? null,
    dueDates: v?.figures.dueDates ?? null,
    checks: v?.checks ?? [],
    backup: run.backup,
    rollback: rollbackOf(run, switched, previous),
    retention:
      switched && live.switchedAt && live.retainedUntil
        ? {
            projection: `${run.source ? `${run.source.name} v${run.source.version}` : 'the replaced version'}`,
            days: live.retentionDays,
            switchedAt: live.switchedAt,
            until: live.retainedUntil,
          }
        : null,
  };
}

function rollbackOf(
  run: MigrationRun,
  switched: boolean,
  previous: number | null,
): MigrationReport['rollback'] {
  const name = run.target.name;
  if (!switched) {
    return {
      previousVersion: previous,
      command: null,
      note:
        previous === null
          ? `nothing to roll back: nothing was switched and no ${name} version is live`
          : `nothing to roll back: nothing was switched, ${name} v${previous} stays live`,
    };
  }
  if (previous === null) {
    return {
      previousVersion: null,
      command: null,
      note: `no ${name} version was live before, so there is none to roll back to; legacy readers keep the legacy read model`,
    };
  }
  return {
    previousVersion: previous,
    command: `supplier-tasks projections rollback ${name}`,
    note: `points the stable views back at v${previous} in one transaction`,
  };
}

import type { MigrationReport } from '../migration-report/migration-report';
import type { MigrationRecord } from '../migration-report/migration-runs';
import type { MigrationSummary } from './migration-summary';
import type { LiveVersion, ValidateAgainst } from './projection-admin';
import type { ProjectionVersionStatus, SkippedEvent } from './projection-status';
import type { ValidationReport } from './projection-validator';

/**
 * The migration steps as the CLI drives them: in process (`ProjectionAdmin`), or through the
 * running service's admin HTTP API when it owns the embedded database.
 */
export interface ProjectionsApi {
  status(): Promise<ProjectionVersionStatus[]>;
  rebuild(name: string, version: number, restart: boolean): Promise<void>;
  /** Resolves when the version has caught up with the log (or failed); reports progress. */
  waitCaughtUp(
    name: string,
    version: number,
    onProgress: (s: ProjectionVersionStatus) => void,
  ): Promise<ProjectionVersionStatus>;
  validate(name: string, version: number, against: ValidateAgainst): Promise<ValidationReport>;
  switchTo(name: string, version: number, force: boolean): Promise<void>;
  rollback(name: string): Promise<number>;
  retire(name: string, version: number, force: boolean, actor: string): Promise<void>;
  resume(name: string, version?: number): Promise<number>;
  skip(
    name: string,
    version: number,
    eventId: string,
    reason: string,
    actor: string,
  ): Promise<SkippedEvent>;
  summary(): Promise<MigrationSummary>;
  latestVersion(name: string): Promise<number>;
  /** The live version of a projection, when it was switched to, and how long what it replaced is kept. */
  live(name: string): Promise<LiveVersion>;
  /** The log as the export writes it (the import format), up to `toPosition` inclusive. */
  exportLog(toPosition: bigint): AsyncIterable<string | Uint8Array>;
  recordMigration(report: MigrationReport): Promise<void>;
  migrations(): Promise<MigrationRecord[]>;
}

export interface MigrationObserver {
  step(message: string): void;
  progress(status: ProjectionVersionStatus): void;
}

export interface MigrationStep {
  name: string;
  durationMs: number;
  /** Events the step applied or wrote; null for a step that handles none (a switch). */
  events: number | null;
  eventsPerSecond: number | null;
}

export interface BackupFile {
  file: string;
  bytes: number;
  sha256: string;
  position: string;
}

/** What a run did, step by step: the facts the migration report is made of. */
export interface MigrationRun {
  kind: 'migrate' | 'validate';
  startedAt: string;
  finishedAt: string;
  outcome: MigrationReport['outcome'];
  error: string | null;
  source: { name: string; version: number } | null;
  target: { name: string; version: number };
  /** Where the target version started from in this run: 0 for a rebuild, else its checkpoint. */
  fromPosition: string;
  steps: MigrationStep[];
  validation: ValidationReport | null;
  /** The target projection's live version before the run. */
  previousLive: number | null;
  backup: BackupFile | null;
}

export interface MigrationOptions {
  /** Takes the backup of the log up to the position validated, before the switch. */
  backup?: (position: bigint) => Promise<BackupFile & { events: number }>;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly report?: ValidationReport,
    readonly run?: MigrationRun,
  ) {
    super(message);
  }
}

/** The checks that failed, by name, for a refusal's message. */
export const failedChecks = (report: ValidationReport): string[] =>
  report.checks.filter((c) => !c.passed).map((c) => `${c.group}: ${c.name}`);

/** Steps timed as they run; each says how many events it handled. */
class StepClock {
  readonly steps: MigrationStep[] = [];

  async run<T>(name: string, fn: () => Promise<T>, events: (result: T) => number | null) {
    const start = performance.now();
    const result = await fn();
    const durationMs = Math.round(performance.now() - start);
    const n = events(result);
    this.steps.push({
      name,
      durationMs,
      events: n,
      eventsPerSecond: n === null ? null : Math.round((n * 1000) / Math.max(durationMs, 1)),
    });
    return result;
  }
}

/**
 * The whole V1 → V2 migration, each step skipped when already done, so an interrupted run is
 * simply run again: the legacy read model is built and live; the newest supplier_tasks version
 * is rebuilt from position 0 beside it (commands keep flowing), validated against it, backed up
 * to the position validated, switched. Resolves to what the run did; a refusal or a failed
 * rebuild throws a MigrationError that carries it.
 */
export async function runMigration(
  api: ProjectionsApi,
  observer: MigrationObserver,
  options: MigrationOptions = {},
): Promise<MigrationRun> {
  const startedAt = new Date().toISOString();
  const clock = new StepClock();
  const statuses = await api.status();
  const targetVersion = await api.latestVersion('supplier_tasks');
  const before = statuses.find((s) => s.name === 'supplier_tasks' && s.version === targetVersion);
  const fromPosition = !before || before.status === 'retired' ? '0' : before.position;
  const run: MigrationRun = {
    kind: 'migrate',
    startedAt,
    finishedAt: startedAt,
    outcome: 'failed',
    error: null,
    source: null,
    target: { name: 'supplier_tasks', version: targetVersion },
    fromPosition,
    steps: clock.steps,
    validation: null,
    previousLive: statuses.find((s) => s.name === 'supplier_tasks' && s.live)?.version ?? null,
    backup: null,
  };
  const finish = (outcome: MigrationRun['outcome'], error: string | null = null) => {
    Object.assign(run, { outcome, error, finishedAt: new Date().toISOString() });
    return run;
  };
  const versionOf = async (name: string, version: number) =>
    (await api.status()).find((s) => s.name === name && s.version === version);
  const ensureBuilt = async (name: string, version: number) => {
    const existing = await versionOf(name, version);
    const rebuilt = !existing || existing.status === 'retired';
    const before = rebuilt ? 0 : Number(existing.eventsApplied);
    const stepName = `${rebuilt ? 'rebuild' : 'catch up'} ${name} v${version}`;
    const status = await clock.run(
      stepName,
      async () => {
        if (rebuilt) {
          observer.step(`rebuild ${name} v${version} from position 0`);
          await api.rebuild(name, version, false);
        }
        return api.waitCaughtUp(name, version, observer.progress);
      },
      (s) => Number(s.eventsApplied) - before,
    );
    if (status.status === 'failed') {
      const message = `${name} v${version} failed at position ${status.failure!.position} (${status.failure!.type} ${status.failure!.eventId}): ${status.failure!.error}`;
      throw new MigrationError(message, undefined, finish('failed', message));
    }
  };

  const legacy = await api.latestVersion('legacy_v1');
  run.source = { name: 'legacy_v1', version: legacy };
  if (!(await versionOf('legacy_v1', legacy))?.live) {
    await ensureBuilt('legacy_v1', legacy);
    observer.step(`switch legacy_v1 to v${legacy} (the baseline legacy readers use)`);
    await clock.run(
      `switch legacy_v1 to v${legacy}`,
      () => api.switchTo('legacy_v1', legacy, true),
      () => null,
    );
  }

  const alreadyLive = (await versionOf('supplier_tasks', targetVersion))?.live === true;
  if (alreadyLive) observer.step(`supplier_tasks v${targetVersion} is already live`);
  else await ensureBuilt('supplier_tasks', targetVersion);
  observer.step(`validate supplier_tasks v${targetVersion} against legacy_v1`);
  const report = await clock.run(
    `validate supplier_tasks v${targetVersion} against legacy_v1`,
    () => api.validate('supplier_tasks', targetVersion, 'legacy_v1'),
    () => null,
  );
  run.validation = report;
  const failed = `validation failed: ${failedChecks(report).join('; ')} (${report.differenceCount} differences)`;
  // Live already, nothing to switch: a failed check is still the run's error, for its report.
  if (alreadyLive) return finish('already-live', report.passed ? null : failed);
  if (!report.passed) throw new MigrationError(failed, report, finish('refused', failed));
  if (options.backup) {
    const backup = options.backup;
    const { events: _events, ...file } = await clock.run(
      `back up the log to position ${report.figures.position}`,
      () => backup(BigInt(report.figures.position)),
      (b) => b.events,
    );
    run.backup = file;
  }
  observer.step(`switch supplier_tasks to v${targetVersion}`);
  await clock.run(
    `switch supplier_tasks to v${targetVersion}`,
    () => api.switchTo('supplier_tasks', targetVersion, false),
    () => null,
  );
  return finish('switched');
}

/**
 * `projections validate` as a run of its own, for its report: the comparison, and the backup up
 * to the position compared when asked for; nothing is switched.
 */
export async function runValidation(
  api: ProjectionsApi,
  target: { name: string; version: number },
  against: ValidateAgainst,
  options: MigrationOptions = {},
): Promise<MigrationRun> {
  const startedAt = new Date().toISOString();
  const clock = new StepClock();
  const statuses = await api.status();
  const referenceName = against === 'live' ? target.name : against;
  const referenceVersion = statuses.find((s) => s.name === referenceName && s.live)?.version;
  const report = await clock.run(
    `validate ${target.name} v${target.version} against ${referenceName}`,
    () => api.validate(target.name, target.version, against),
    () => null,
  );
  let backup: BackupFile | null = null;
  if (options.backup) {
    const take = options.backup;
    const { events: _events, ...file } = await clock.run(
      `back up the log to position ${report.figures.position}`,
      () => take(BigInt(report.figures.position)),
      (b) => b.events,
    );
    backup = file;
  }
  return {
    kind: 'validate',
    startedAt,
    finishedAt: new Date().toISOString(),
    outcome: report.passed ? 'validated' : 'refused',
    error: report.passed ? null : `failed checks: ${failedChecks(report).join('; ')}`,
    source:
      referenceVersion === undefined ? null : { name: referenceName, version: referenceVersion },
    target,
    fromPosition:
      statuses.find((s) => s.name === target.name && s.version === target.version)?.position ?? '0',
    steps: clock.steps,
    validation: report,
    previousLive: statuses.find((s) => s.name === target.name && s.live)?.version ?? null,
    backup,
  };
}

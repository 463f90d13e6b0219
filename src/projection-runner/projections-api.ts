import type { MigrationSummary } from './migration-summary';
import type { ValidateAgainst } from './projection-admin';
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
}

export interface MigrationObserver {
  step(message: string): void;
  progress(status: ProjectionVersionStatus): void;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly report?: ValidationReport,
  ) {
    super(message);
  }
}

/**
 * The whole V1 → V2 migration, each step skipped when already done, so an interrupted run is
 * simply run again: the legacy read model is built and live; the newest supplier_tasks version
 * is rebuilt from position 0 beside it (commands keep flowing), validated against it, switched.
 */
export async function runMigration(
  api: ProjectionsApi,
  observer: MigrationObserver,
): Promise<void> {
  const versionOf = async (name: string, version: number) =>
    (await api.status()).find((s) => s.name === name && s.version === version);
  const ensureBuilt = async (name: string, version: number) => {
    const existing = await versionOf(name, version);
    if (!existing || existing.status === 'retired') {
      observer.step(`rebuild ${name} v${version} from position 0`);
      await api.rebuild(name, version, false);
    }
    const status = await api.waitCaughtUp(name, version, observer.progress);
    if (status.status === 'failed') {
      throw new MigrationError(
        `${name} v${version} failed at position ${status.failure!.position} (${status.failure!.type} ${status.failure!.eventId}): ${status.failure!.error}`,
      );
    }
  };

  const legacy = await api.latestVersion('legacy_v1');
  if (!(await versionOf('legacy_v1', legacy))?.live) {
    await ensureBuilt('legacy_v1', legacy);
    observer.step(`switch legacy_v1 to v${legacy} (the baseline legacy readers use)`);
    await api.switchTo('legacy_v1', legacy, true);
  }

  const target = await api.latestVersion('supplier_tasks');
  if ((await versionOf('supplier_tasks', target))?.live) {
    observer.step(`supplier_tasks v${target} is already live`);
    return;
  }
  await ensureBuilt('supplier_tasks', target);
  observer.step(`validate supplier_tasks v${target} against legacy_v1`);
  const report = await api.validate('supplier_tasks', target, 'legacy_v1');
  if (!report.passed) {
    throw new MigrationError(`validation failed: ${report.differenceCount} differences`, report);
  }
  observer.step(`switch supplier_tasks to v${target}`);
  await api.switchTo('supplier_tasks', target, false);
}

import { exportLog } from '../application/audit/log-export';
import type { MigrationReport } from '../migration-report/migration-report';
import type { ProjectionAdmin, ValidateAgainst } from './projection-admin';
import type { ProjectionsApi } from './projections-api';
import type { ProjectionVersionStatus } from './projection-status';

/** The migration steps in this process: rebuilds are applied here, batch by batch. */
export class LocalProjectionsApi implements ProjectionsApi {
  constructor(private readonly admin: ProjectionAdmin) {}

  status = () => this.admin.status();
  rebuild = (name: string, version: number, restart: boolean) =>
    this.admin.rebuild(name, version, restart);
  validate = (name: string, version: number, against: ValidateAgainst) =>
    this.admin.validate(name, version, against);
  switchTo = (name: string, version: number, force: boolean) =>
    this.admin.switchTo(name, version, force);
  rollback = (name: string) => this.admin.rollback(name);
  retire = (name: string, version: number, force: boolean, actor: string) =>
    this.admin.retire(name, version, force, actor);
  resume = (name: string, version?: number) => this.admin.resume(name, version);
  skip = (name: string, version: number, eventId: string, reason: string, actor: string) =>
    this.admin.skip(name, version, eventId, reason, actor);
  summary = () => this.admin.summary();
  latestVersion = (name: string) => Promise.resolve(this.admin.latestVersion(name));
  live = (name: string) => this.admin.live(name);
  exportLog = (toPosition: bigint) => exportLog(this.admin.store, { toPosition });
  recordMigration = (report: MigrationReport) => this.admin.recordMigration(report);
  migrations = () => this.admin.migrations.list();

  async waitCaughtUp(
    name: string,
    version: number,
    onProgress: (s: ProjectionVersionStatus) => void,
  ): Promise<ProjectionVersionStatus> {
    let last = 0;
    return this.admin.catchUp(name, version, () => {
      // A status read per batch is cheap, but a few per second is all a progress bar needs.
      if (Date.now() - last < 250) return;
      last = Date.now();
      void this.admin.versionStatus(name, version).then(onProgress, () => undefined);
    });
  }
}

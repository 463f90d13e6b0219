import { fetchService, type ServiceUrl } from './service-url';
import type { MigrationReport } from '../migration-report/migration-report';
import type { MigrationRecord } from '../migration-report/migration-runs';
import type { MigrationSummary } from '../projection-runner/migration-summary';
import type { LiveVersion, ValidateAgainst } from '../projection-runner/projection-admin';
import type { ProjectionsApi } from '../projection-runner/projections-api';
import type { ProjectionVersionStatus, SkippedEvent } from '../projection-runner/projection-status';
import type { ValidationReport } from '../projection-runner/projection-validator';

export class RemoteApiError extends Error {}

/** The headers of a call to the running service: its key, and the JSON body's type. */
export function serviceHeaders(apiKey: string | undefined, json: boolean): Record<string, string> {
  return {
    ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
    ...(json ? { 'content-type': 'application/json' } : {}),
  };
}

/**
 * The migration steps sent to the running service (`/projections/...`): on PGlite only the
 * service may open DATA_DIR, and its projection loop applies the rebuild while it serves.
 */
export class RemoteProjectionsApi implements ProjectionsApi {
  /** `apiKey`: SUPPLIER_TASKS_API_KEY, a key with the roles of the steps it is used for. */
  constructor(
    private readonly service: ServiceUrl,
    private readonly apiKey?: string,
  ) {}

  status = () => this.call<ProjectionVersionStatus[]>('GET', '/projections');
  rebuild = (name: string, version: number, restart: boolean) =>
    this.call<void>('POST', `/projections/${name}/rebuild`, { version, restart });
  validate = (name: string, version: number, against: ValidateAgainst) =>
    this.call<ValidationReport>('POST', `/projections/${name}/validate`, { version, against });
  switchTo = (name: string, version: number, force: boolean) =>
    this.call<void>('POST', `/projections/${name}/switch`, { version, force });
  rollback = async (name: string) =>
    (await this.call<{ version: number }>('POST', `/projections/${name}/rollback`, {})).version;
  /** The service records its API key's principal as who retired, not `_actor`. */
  retire = (name: string, version: number, force: boolean, _actor: string) =>
    this.call<void>('POST', `/projections/${name}/retire`, { version, force });
  resume = async (name: string, version?: number) =>
    (await this.call<{ version: number }>('POST', `/projections/${name}/resume`, { version }))
      .version;
  /** The service records its API key's principal as who skipped, not `_actor`. */
  skip = (name: string, version: number, eventId: string, reason: string, _actor: string) =>
    this.call<SkippedEvent>('POST', `/projections/${name}/skip`, { version, eventId, reason });
  summary = () => this.call<MigrationSummary>('GET', '/summary');
  latestVersion = async (name: string) =>
    (await this.call<{ version: number }>('GET', `/projections/${name}/latest-version`)).version;
  live = (name: string) => this.call<LiveVersion>('GET', `/projections/${name}/live`);
  recordMigration = (report: MigrationReport) => this.call<void>('POST', '/migrations', report);
  migrations = () => this.call<MigrationRecord[]>('GET', '/migrations');

  /** The service's `GET /audit/log`, as it streams it (the key needs the auditor or admin role). */
  async *exportLog(toPosition: bigint): AsyncIterable<Uint8Array> {
    const path = `/audit/log?toPosition=${toPosition}`;
    const response = await fetchService(this.service, path, {
      method: 'GET',
      headers: serviceHeaders(this.apiKey, false),
    });
    if (!response.ok || !response.body) {
      throw new RemoteApiError(`GET ${path}: ${response.status} ${await response.text()}`);
    }
    yield* response.body;
  }

  async waitCaughtUp(
    name: string,
    version: number,
    onProgress: (s: ProjectionVersionStatus) => void,
  ): Promise<ProjectionVersionStatus> {
    for (;;) {
      const status = (await this.status()).find((s) => s.name === name && s.version === version);
      if (!status) throw new RemoteApiError(`${name} v${version} is not known to the service`);
      onProgress(status);
      if (status.status === 'failed' || (status.status === 'running' && status.lag === '0'))
        return status;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetchService(this.service, path, {
      method,
      headers: serviceHeaders(this.apiKey, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const message = (parsed as { message?: string } | undefined)?.message ?? text;
      const hint =
        response.status === 401 && this.apiKey === undefined ? ' (set SUPPLIER_TASKS_API_KEY)' : '';
      throw new RemoteApiError(`${method} ${path}: ${response.status} ${message}${hint}`);
    }
    return parsed as T;
  }
}

import { projectionDefinitions } from '../../projections';
import { loadConfig } from '../config';
import { DataDirLockedError } from '../eventstore/errors';
import { openInfrastructure } from '../eventstore/infrastructure';
import { LocalProjectionsApi } from '../projection-runner/local-projections-api';
import { ProjectionAdmin } from '../projection-runner/projection-admin';
import type { ProjectionsApi } from '../projection-runner/projections-api';
import { RemoteProjectionsApi } from './remote-projections-api';
import { serviceUrl, usingService } from './service-url';

/**
 * Runs projection commands in this process, or, when the running service owns the embedded
 * DATA_DIR, through its admin HTTP API (see service-url.ts).
 */
export async function withProjections<T>(fn: (api: ProjectionsApi) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let infra;
  try {
    infra = await openInfrastructure(config);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const service = serviceUrl(error, config);
    console.error(usingService(config.dataDir, error.ownerPid, service));
    return fn(new RemoteProjectionsApi(service, config.apiKey));
  }
  try {
    return await fn(
      new LocalProjectionsApi(
        await ProjectionAdmin.open(
          infra.eventStore,
          infra.sql,
          projectionDefinitions,
          infra.projectionBatchSize,
        ),
      ),
    );
  } finally {
    await infra.close();
  }
}

import { projectionDefinitions } from '../../projections';
import { loadConfig } from '../config';
import { DataDirLockedError } from '../eventstore/errors';
import { openInfrastructure } from '../eventstore/infrastructure';
import { LocalProjectionsApi } from '../projection-runner/local-projections-api';
import { ProjectionAdmin } from '../projection-runner/projection-admin';
import type { ProjectionsApi } from '../projection-runner/projections-api';
import { RemoteProjectionsApi } from './remote-projections-api';

/**
 * Runs projection commands in this process, or, when the running service owns the embedded
 * DATA_DIR, through its admin HTTP API (SERVICE_URL, else http://HOST:PORT).
 */
export async function withProjections<T>(fn: (api: ProjectionsApi) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let infra;
  try {
    infra = await openInfrastructure(config);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    // An empty SERVICE_URL means unset, like every other variable.
    const url = process.env.SERVICE_URL || `http://${config.host}:${config.port}`;
    console.error(
      `${config.dataDir} is owned by the running service (pid ${error.ownerPid}): using ${url}`,
    );
    return fn(new RemoteProjectionsApi(url, config.apiKey));
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

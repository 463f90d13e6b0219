import { loadConfig } from '../config';
import { openInfrastructure, type Infrastructure } from '../eventstore/infrastructure';

/** Opens the configured stores for one CLI command and always closes them (and the DATA_DIR lock). */
export async function withInfrastructure<T>(fn: (infra: Infrastructure) => Promise<T>): Promise<T> {
  const infra = await openInfrastructure(loadConfig());
  try {
    return await fn(infra);
  } finally {
    await infra.close();
  }
}

import { ApiError, type Api } from './api';
import type { ProjectionVersionStatus } from './api-types';

const DASHBOARD_LAG_PATH = '/dashboards/lag';
const READ_MODEL = 'supplier_tasks';

interface LagAnswer {
  lag?: unknown;
  position?: unknown;
  headPosition?: unknown;
}

const sentence = (answer: LagAnswer): string => {
  const lag = Number(answer.lag);
  const where =
    answer.position !== undefined && answer.headPosition !== undefined
      ? ` (position ${String(answer.position)} of ${String(answer.headPosition)})`
      : '';
  return lag === 0
    ? `Read model: up to date with the log${where}.`
    : `Read model: ${lag} events behind the log${where}.`;
};

/** Whether the service documents the dashboards' own lag route (the OpenAPI is public). */
async function hasDashboardLag(): Promise<boolean> {
  const response = await fetch('/docs.json', { headers: { Accept: 'application/json' } });
  if (!response.ok) return false;
  const document = (await response.json()) as { paths?: Record<string, unknown> };
  return document.paths?.[DASHBOARD_LAG_PATH] !== undefined;
}

/**
 * How far the read model is behind the log: the dashboards' lag route where the service has it,
 * else the live version in the projection status (which needs the operator role).
 */
export async function readModelLag(api: Api): Promise<string> {
  if (await hasDashboardLag()) return sentence(await api.get<LagAnswer>(DASHBOARD_LAG_PATH));
  try {
    const versions = await api.get<ProjectionVersionStatus[]>('/projections');
    const live = versions.find((v) => v.name === READ_MODEL && v.live);
    return live === undefined
      ? 'Read model: no live version yet (run supplier-tasks migrate).'
      : sentence(live);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403)
      return 'Read model: this key may not read how far it is behind the log.';
    throw error;
  }
}

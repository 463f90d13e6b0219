import type { ProjectionAdmin } from '../projection-runner/projection-admin';
import { NoLiveReadModelError, READ_MODEL_SCHEMA } from './read-model';

export interface LagAnswer {
  name: string;
  version: number;
  /** The last log position the live version applied. */
  position: string;
  headPosition: string;
  /** Events of the log the dashboards do not reflect yet. */
  lag: string;
}

/** How far the live read model is behind the log, from the projections' own status. */
export class ReadModelLag {
  constructor(private readonly admin: ProjectionAdmin) {}

  async current(): Promise<LagAnswer> {
    const live = (await this.admin.status()).find((s) => s.name === READ_MODEL_SCHEMA && s.live);
    if (live === undefined) throw new NoLiveReadModelError();
    const { name, version, position, headPosition, lag } = live;
    return { name, version, position, headPosition, lag };
  }
}

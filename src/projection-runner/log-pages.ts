import type { StoredEvent } from '../eventstore/event';
import type { EventStore } from '../eventstore/event-store.port';
import { schemaOf, type ProjectionDefinition } from '../../projections/projection-definition';

/** Reads the log for the runner, a page per batch, each version's next page read ahead. */
export class LogPages {
  /** The next page of each version, read while the current one is applied. */
  private readonly prefetched = new Map<string, { after: bigint; page: Promise<StoredEvent[]> }>();

  constructor(
    private readonly store: EventStore,
    private readonly batchSize: number,
  ) {}

  /**
   * A page of the log after `from`, and the read of the page after it started at once: reading
   * overlaps applying. A prefetched page is an ordinary read made earlier, so it is just as safe.
   */
  async after(definition: ProjectionDefinition, from: bigint): Promise<StoredEvent[]> {
    const key = schemaOf(definition.name, definition.version);
    const ahead = this.prefetched.get(key);
    this.prefetched.delete(key);
    const page =
      ahead?.after === from
        ? await ahead.page
        : await this.store.readAll({ after: from, maxCount: this.batchSize });
    if (page.length === this.batchSize) {
      const after = page.at(-1)!.position;
      const next = this.store.readAll({ after, maxCount: this.batchSize });
      next.catch(() => undefined); // a failed prefetch is simply read again
      this.prefetched.set(key, { after, page: next });
    }
    return page;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '../../eventstore/event-store.port';
import { EVENT_STORE } from '../../tokens';
import { actorTrail, type ActorQuery, type ActorTrail } from './actor-trail';
import { auditedEvent, type AuditedEvent } from './audited-event';
import { correlationTrail, type CorrelationTrail } from './correlation-trail';
import { entityAsOf, type EntityAsOf, type EntityKind, type EntityParent } from './entity-as-of';
import { exportLog, type LogExportFilter } from './log-export';
import type { Moment } from './stream-fold';
import { streamPage, type StreamPage } from './stream-page';

/** The auditors' reads, all of them from the event store itself, never from a projection. */
@Injectable()
export class AuditQueries {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  stream(
    streamId: string,
    fromRevision: number,
    limit: number,
    path: string,
  ): Promise<StreamPage | undefined> {
    return streamPage(this.store, streamId, fromRevision, limit, path);
  }

  async event(eventId: string): Promise<AuditedEvent | undefined> {
    const stored = await this.store.readEvent(eventId);
    return stored && auditedEvent(stored);
  }

  async entity(
    kind: EntityKind,
    id: string,
    moment: Moment,
    parent: EntityParent,
  ): Promise<Omit<EntityAsOf, 'kind' | 'id' | 'asOf' | 'clock'> | undefined> {
    return entityAsOf(this.store, kind, id, moment, parent);
  }

  correlation(correlationId: string): Promise<CorrelationTrail | undefined> {
    return correlationTrail(this.store, correlationId);
  }

  actor(query: ActorQuery, path: string): Promise<ActorTrail> {
    return actorTrail(this.store, query, path);
  }

  log(filter: LogExportFilter): AsyncGenerator<string> {
    return exportLog(this.store, filter);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventStore } from '../eventstore/event-store.port';
import type { ProjectionAdmin } from '../projection-runner/projection-admin';
import type { ProjectionVersionStatus } from '../projection-runner/projection-status';
import { EVENT_STORE, PROJECTION_ADMIN } from '../tokens';

export type CommandOutcome = 'ok' | 'rejected' | 'conflict' | 'error';

/**
 * The service's Prometheus metrics, in a registry of this app's own (two apps in one test
 * process must not share counters). Command figures are counted as commands end; projection
 * figures are read from the projections' status at each scrape, so they equal what
 * `GET /projections` says at that moment.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  private readonly commands = new Counter({
    name: 'supplier_tasks_commands_total',
    help: 'Commands answered, by command type and outcome (ok, rejected: 4xx but 409, conflict: 409, error: 5xx).',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly commandDuration = new Histogram({
    name: 'supplier_tasks_command_duration_seconds',
    help: 'Time from a command reaching its route to its answer, by command type and outcome.',
    labelNames: ['command', 'outcome'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly eventsAppended = new Counter({
    name: 'supplier_tasks_events_appended_total',
    help: 'Events appended to the log by the commands of this process.',
    registers: [this.registry],
  });

  private readonly position = new Gauge({
    name: 'supplier_tasks_projection_position',
    help: "The projection version's checkpoint: the last log position it applied.",
    labelNames: ['projection', 'version'] as const,
    registers: [this.registry],
  });

  private readonly lagEvents = new Gauge({
    name: 'supplier_tasks_projection_lag_events',
    help: 'Log positions between the head of the log and the checkpoint.',
    labelNames: ['projection', 'version'] as const,
    registers: [this.registry],
  });

  private readonly lagSeconds = new Gauge({
    name: 'supplier_tasks_projection_lag_seconds',
    help: 'Age of the oldest event not yet applied (0 when caught up).',
    labelNames: ['projection', 'version'] as const,
    registers: [this.registry],
  });

  private readonly skippedEvents = new Counter({
    name: 'supplier_tasks_projection_skipped_events_total',
    help: 'Events an operator let the projection version pass without applying them (projections skip).',
    labelNames: ['projection', 'version'] as const,
    registers: [this.registry],
  });

  constructor(
    @Inject(PROJECTION_ADMIN) private readonly admin: ProjectionAdmin,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  commandEnded(command: string, outcome: CommandOutcome, seconds: number, events: number): void {
    this.commands.inc({ command, outcome });
    this.commandDuration.observe({ command, outcome }, seconds);
    if (events > 0) this.eventsAppended.inc(events);
  }

  /** The exposition text, projection figures read now. */
  async scrape(): Promise<string> {
    const statuses = await this.admin.status();
    this.position.reset();
    this.lagEvents.reset();
    this.lagSeconds.reset();
    // The skips are recorded in the database, so every process counts them all, as they stand.
    this.skippedEvents.reset();
    const now = Date.now();
    for (const status of statuses.filter((s) => s.status !== 'retired')) {
      const labels = { projection: status.name, version: String(status.version) };
      this.position.set(labels, Number(status.position));
      this.lagEvents.set(labels, Number(status.lag));
      this.lagSeconds.set(labels, await this.lagSecondsOf(status, now));
      this.skippedEvents.inc(labels, status.skipped.length);
    }
    return this.registry.metrics();
  }

  private async lagSecondsOf(status: ProjectionVersionStatus, now: number): Promise<number> {
    if (status.lag === '0') return 0;
    const [oldest] = await this.store.readAll({ after: BigInt(status.position), maxCount: 1 });
    const recordedAt = oldest?.metadata.recordedAt;
    return recordedAt === undefined ? 0 : Math.max(0, (now - Date.parse(recordedAt)) / 1000);
  }
}

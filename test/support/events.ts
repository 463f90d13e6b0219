import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/eventstore/event';

export function newEvent(type = 'Something', data: Record<string, unknown> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 2,
    data,
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: 'test' },
  };
}

export function streamOf(category = 'test'): string {
  return `${category}-${randomUUID()}`;
}

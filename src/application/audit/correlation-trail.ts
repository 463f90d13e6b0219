import { z } from 'zod';
import type { EventStore } from '../../eventstore/event-store.port';
import { auditedEvent, AuditedEventSchema, type AuditedEvent } from './audited-event';

export interface CausationNode {
  /** An event id, or a cause outside the trail (the request or command that caused events). */
  id: string;
  kind: 'event' | 'cause';
  children: CausationNode[];
}

const CausationNodeSchema: z.ZodType<CausationNode> = z.object({
  id: z.string(),
  kind: z.enum(['event', 'cause']),
  get children() {
    return z.array(CausationNodeSchema);
  },
});

export const CorrelationTrailSchema = z.object({
  correlationId: z.string(),
  events: z.array(AuditedEventSchema).describe('every event of the correlation, in log order'),
  causation: z
    .array(CausationNodeSchema)
    .describe(
      'the causation tree: an event under the event named by its causationId; events whose cause is not an event of the trail (a request id) under that cause; events with no causationId at the top',
    ),
});
export type CorrelationTrail = z.infer<typeof CorrelationTrailSchema>;

const PAGE = 1000;

/** Every event of one correlation across streams (the correlation index), and how they caused each other. */
export async function correlationTrail(
  store: EventStore,
  correlationId: string,
): Promise<CorrelationTrail | undefined> {
  const events: AuditedEvent[] = [];
  for (let after = 0n; ;) {
    const page = await store.readByCorrelation(correlationId, { after, maxCount: PAGE });
    events.push(...page.map(auditedEvent));
    if (page.length < PAGE) break;
    after = page.at(-1)!.position;
  }
  if (events.length === 0) return undefined;
  return { correlationId, events, causation: causationTree(events) };
}

export function causationTree(events: AuditedEvent[]): CausationNode[] {
  const nodes = new Map<string, CausationNode>(
    events.map((e) => [e.eventId, { id: e.eventId, kind: 'event', children: [] }]),
  );
  const causes = new Map<string, CausationNode>();
  const roots: CausationNode[] = [];
  for (const event of events) {
    const node = nodes.get(event.eventId)!;
    const causationId = event.metadata.causationId;
    if (causationId === null || causationId === event.eventId) {
      roots.push(node);
      continue;
    }
    const parent = nodes.get(causationId);
    if (parent) {
      parent.children.push(node);
      continue;
    }
    let cause = causes.get(causationId);
    if (!cause) {
      cause = { id: causationId, kind: 'cause', children: [] };
      causes.set(causationId, cause);
      roots.push(cause);
    }
    cause.children.push(node);
  }
  return roots;
}

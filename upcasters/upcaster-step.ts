import type { z } from 'zod';
import type { StoredEvent, UpcastEvent } from '../src/eventstore/event';
import { UpcastError } from './upcast-error';

export type { StoredEvent, UpcastEvent };

/** One step of the chain: an event of `fromType` at `fromVersion` becomes zero or more events. */
export interface UpcasterStep {
  readonly fromType: string;
  readonly fromVersion: number;
  upcast(event: UpcastEvent): UpcastEvent[];
}

/** What a V1 step produces, typed against the V2 domain event, extra legacy fields allowed. */
export type V2Of<E extends { type: string; data: object }> = {
  type: E['type'];
  data: E['data'] & Record<string, unknown>;
};

/**
 * A V1 → V2 step that maps one event to one: it parses the frozen V1 payload (unknown fields
 * kept), maps it, stamps `schemaVersion: 2`, and keeps the metadata (business time included).
 */
export const defineV1Step = <S extends z.ZodType<Record<string, unknown>>>(spec: {
  fromType: string;
  schema: S;
  toV2: (data: z.infer<S>) => { type: string; data: Record<string, unknown> };
}): UpcasterStep => ({
  fromType: spec.fromType,
  fromVersion: 1,
  upcast: (event) => {
    const parsed = spec.schema.safeParse(event.data);
    if (!parsed.success) {
      throw new UpcastError(
        event.type,
        event.schemaVersion,
        'payload does not match the frozen V1 shape',
        parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
      );
    }
    const { type, data } = spec.toV2(parsed.data);
    return [{ type, schemaVersion: 2, data, metadata: { ...event.metadata } }];
  },
});

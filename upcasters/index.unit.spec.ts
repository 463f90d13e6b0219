import fc from 'fast-check';
import { ProjectEventSchema } from '../src/domain/project/project.events';
import { SupplierProjectEventSchema } from '../src/domain/supplier-project/supplier-project.events';
import { SupplierEventSchema } from '../src/domain/supplier/supplier.events';
import { TaskTypeEventSchema } from '../src/domain/task-type/task-type.events';
import {
  derivedEventId,
  findUpcasterStep,
  upcast,
  upcastAll,
  UpcastError,
  upcasterSteps,
  upcastStored,
  type StoredEvent,
  type UpcastInput,
} from './index';
import { V1_EVENT_TYPES, type V1EventType } from './v1.events';
import { legacy, legacyMetadata, v1Samples } from './v1.fixtures';

const isV2Event = (event: unknown): boolean =>
  [SupplierEventSchema, ProjectEventSchema, TaskTypeEventSchema, SupplierProjectEventSchema].some(
    (schema) => schema.safeParse(event).success,
  );

describe('upcaster registry', () => {
  it('has exactly one V1 step per V1 event type', () => {
    expect(upcasterSteps.map((s) => `${s.fromType}@${s.fromVersion}`).sort()).toEqual(
      V1_EVENT_TYPES.map((t) => `${t}@1`).sort(),
    );
    expect(findUpcasterStep('TaskCreated', 2)).toBeUndefined();
  });
});

describe('upcast', () => {
  it('treats an absent schemaVersion as version 1', () => {
    expect(upcast(legacy('TaskTypeCreated'))[0]).toMatchObject({
      type: 'TaskTypeCreated',
      schemaVersion: 2,
      data: { category: 'PART_APPROVAL' },
    });
  });

  it('passes an explicit V2 event and an unknown type through unchanged', () => {
    const v2 = {
      type: 'ProjectRenamed',
      schemaVersion: 2,
      data: { x: 1 },
      metadata: legacyMetadata,
    };
    const unknown = { ...v2, type: 'SomethingNew', schemaVersion: 7 };
    expect(upcastAll([v2, unknown])).toEqual([v2, unknown]);
  });

  it('stops at a V1 event that breaks the frozen shape, with the reason', () => {
    const broken = legacy('MilestoneCreated', { ...v1Samples.MilestoneCreated, sortOrder: 'one' });
    expect(() => upcast(broken)).toThrow(UpcastError);
    try {
      upcast(broken);
    } catch (error) {
      expect(error).toMatchObject({
        code: 'UPCAST.INVALID_EVENT',
        eventType: 'MilestoneCreated',
        issues: [{ path: ['sortOrder'] }],
      });
    }
  });
});

describe('upcastStored', () => {
  const stored: StoredEvent = {
    eventId: '7ef94efb-21e2-5512-baf8-51b01385b77f',
    streamId: 'tasktype-fe4eb887-d4b4-58de-afaf-c641b82284b9',
    revision: 3,
    position: 9007199254740993n,
    type: 'MilestoneCreated',
    schemaVersion: 1,
    data: v1Samples.MilestoneCreated,
    metadata: { ...legacyMetadata, recordedAt: '2026-02-01T00:00:00.000Z' },
  };

  it('carries eventId, streamId, revision and position along', () => {
    expect(upcastStored(stored)).toEqual([
      {
        eventId: stored.eventId,
        streamId: stored.streamId,
        revision: 3,
        position: 9007199254740993n,
        type: 'TaskTypeSectionCreated',
        schemaVersion: 2,
        data: expect.objectContaining({ sectionId: v1Samples.MilestoneCreated.milestoneId }),
        metadata: stored.metadata,
      },
    ]);
  });

  it('derives the ids of extra events deterministically', () => {
    expect(derivedEventId(stored.eventId, 0)).toBe(stored.eventId);
    expect(derivedEventId(stored.eventId, 2)).toBe(`${stored.eventId}#2`);
  });
});

describe('the chain on any valid V1 event (property)', () => {
  const date = fc
    .tuple(
      fc.integer({ min: 1990, max: 2099 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
    )
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  const fieldArbitrary = (field: string): fc.Arbitrary<unknown> => {
    if (field === 'dueDate') return date;
    if (field === 'sortOrder')
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    if (field === 'from' || field === 'to')
      return fc.constantFrom('NOT_STARTED', 'IN_PROGRESS', 'COMPLETED');
    if (field.endsWith('Id')) return fc.uuid();
    return fc.string();
  };
  // Prefixed so an extra field never shadows a V1 or V2 field name.
  const extras = fc.dictionary(
    fc.string({ maxLength: 8 }).map((k) => `legacy_${k}`),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 4 },
  );
  const v1Event = fc.constantFrom(...V1_EVENT_TYPES).chain((type: V1EventType) =>
    fc
      .tuple(
        fc.record(
          Object.fromEntries(Object.keys(v1Samples[type]).map((f) => [f, fieldArbitrary(f)])),
        ),
        extras,
        extras,
        fc.option(fc.uuid(), { nil: undefined }),
      )
      .map(([data, dataExtras, metaExtras, correlationId]): UpcastInput => ({
        type,
        data: { ...dataExtras, ...data },
        metadata: {
          ...metaExtras,
          occurredAt: '2025-05-05T08:10:00.000Z',
          actor: 'legacy-portal',
          ...(correlationId === undefined ? {} : { correlationId }),
        },
      })),
  );

  it('never throws, yields valid V2 events, keeps every extra field, and is deterministic', () => {
    fc.assert(
      fc.property(v1Event, (event) => {
        const before = structuredClone(event);
        const first = upcast(event);
        expect(event).toEqual(before);
        expect(upcast(structuredClone(event))).toEqual(first);
        expect(first.length).toBeGreaterThan(0);
        for (const out of first) {
          expect(out.schemaVersion).toBe(2);
          expect(isV2Event(out)).toBe(true);
          expect(out.metadata).toEqual(event.metadata);
          for (const [key, value] of Object.entries(event.data)) {
            if (key.startsWith('legacy_')) expect(out.data[key]).toEqual(value);
          }
          expect(upcast(out)).toEqual([out]);
        }
      }),
      { numRuns: 500 },
    );
  });
});

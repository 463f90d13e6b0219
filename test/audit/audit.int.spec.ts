import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorTrail } from '../../src/application/audit/actor-trail';
import { correlationTrail } from '../../src/application/audit/correlation-trail';
import { entityAsOf } from '../../src/application/audit/entity-as-of';
import { exportLog } from '../../src/application/audit/log-export';
import { streamPage } from '../../src/application/audit/stream-page';
import type { NewEvent } from '../../src/eventstore/event';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { seedLines } from '../support/seed';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

interface Line {
  streamId: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { occurredAt: string; actor: string; correlationId?: string; causationId?: string };
  recordedAt?: string;
}

const dir = mkdtempSync(join(tmpdir(), 'audit-test-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/**
 * The seed history recorded a day later than it happened, a minute per line, so the business
 * and the recorded clock disagree about every event.
 */
const RECORDED_FROM = Date.parse('2025-05-06T00:00:00.000Z');
const seed: Line[] = (seedLines() as unknown as Line[]).map((line, i) => ({
  ...line,
  recordedAt: new Date(RECORDED_FROM + i * 60_000).toISOString(),
}));
const seedFile = write(
  'seed-recorded.ndjson',
  seed.map((l) => JSON.stringify(l)).join('\n') + '\n',
);

// The instance whose last status change is to IN_PROGRESS: the seed's one in-progress instance.
const statusChanges = seed.filter((l) => l.type === 'SupplierTaskStatusChanged');
const lastChangeOf = new Map(
  statusChanges.map((l) => [l.data.supplierTaskInstanceId as string, l]),
);
const [inProgress] = [...lastChangeOf.values()].filter((l) => l.data.to === 'IN_PROGRESS');
const instanceId = inProgress!.data.supplierTaskInstanceId as string;
const supplierProjectStream = inProgress!.streamId;
const startedAt = Date.parse(inProgress!.metadata.occurredAt);
const startRecordedAt = Date.parse(inProgress!.recordedAt!);

const supplierLine = seed.find((l) => l.type === 'SupplierRegistered')!;
const supplierId = supplierLine.data.supplierId as string;

/** Two V2 events in two streams of one correlation, the second caused by the first. */
const CORRELATION = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const renamed: NewEvent = {
  eventId: '11111111-2222-4333-8444-555555555555',
  type: 'SupplierRenamed',
  schemaVersion: 2,
  data: { supplierId, name: 'Acme Castings AG' },
  metadata: {
    occurredAt: '2025-07-01T09:00:00.000Z',
    actor: 'auditor-test',
    correlationId: CORRELATION,
    causationId: 'request-1',
  },
};
const note: NewEvent = {
  eventId: '66666666-7777-4888-8999-aaaaaaaaaaaa',
  type: 'SupplierTaskNoteAdded',
  schemaVersion: 2,
  data: {
    supplierProjectInstanceId: supplierProjectStream.slice('supplierproject-'.length),
    supplierTaskInstanceId: instanceId,
    noteId: 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff',
    text: 'Renamed supplier confirmed.',
    author: 'auditor-test',
  },
  metadata: {
    occurredAt: '2025-07-01T09:00:01.000Z',
    actor: 'auditor-test',
    correlationId: CORRELATION,
    causationId: renamed.eventId,
  },
};

async function exported(store: TestDatabase['store']): Promise<string> {
  let text = '';
  for await (const chunk of exportLog(store)) text += chunk;
  return text;
}

describe.each(SQL_BACKENDS)('the auditor’s view on %s', (_name, openDatabase) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openDatabase();
    await importLegacyFile(db.store, seedFile);
    await db.store.append('supplier-' + supplierId, [renamed]);
    await db.store.append(supplierProjectStream, [note]);
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('the in-progress instance', () => {
    const statusAt = async (clock: 'business' | 'recorded', at: number) => {
      const found = await entityAsOf(db.store, 'supplier-task-instance', instanceId, {
        by: clock,
        at,
      });
      return (found?.state as { status?: string } | undefined)?.status;
    };

    it('is NOT_STARTED before its status change and IN_PROGRESS after it, on business time', async () => {
      expect(await statusAt('business', startedAt - 1)).toBe('NOT_STARTED');
      expect(await statusAt('business', startedAt)).toBe('IN_PROGRESS');
    });

    it('is NOT_STARTED before its status change was recorded and IN_PROGRESS after, on recorded time', async () => {
      expect(await statusAt('recorded', startRecordedAt - 1)).toBe('NOT_STARTED');
      expect(await statusAt('recorded', startRecordedAt)).toBe('IN_PROGRESS');
      // A business time after the change is before anything was recorded: the clocks differ.
      expect(await statusAt('recorded', startedAt)).toBeUndefined();
    });

    it('shows notes, status history and the effective due date of then', async () => {
      const now = await entityAsOf(db.store, 'supplier-task-instance', instanceId, { by: 'now' });
      const state = now!.state as Record<string, unknown>;
      const fileNotes = seed
        .filter(
          (l) => l.type === 'SupplierTaskNoteAdded' && l.data.supplierTaskInstanceId === instanceId,
        )
        .map((l) => ({
          text: l.data.text,
          author: l.data.author,
          occurredAt: l.metadata.occurredAt,
        }));
      expect(state.notes).toEqual(
        [
          ...fileNotes,
          { text: note.data.text, author: 'auditor-test', occurredAt: note.metadata.occurredAt },
        ].map((n) => expect.objectContaining(n)),
      );
      expect(state.statusHistory).toEqual([
        expect.objectContaining({
          from: 'NOT_STARTED',
          to: 'IN_PROGRESS',
          occurredAt: inProgress!.metadata.occurredAt,
        }),
      ]);
      expect(state.dueDateOverride).toBeNull();
      const created = seed.find(
        (l) =>
          l.type === 'SupplierTaskInstanceCreated' && l.data.supplierTaskInstanceId === instanceId,
      )!;
      const template = seed.find(
        (l) =>
          l.type === 'ProjectMilestoneTaskCreated' &&
          l.data.projectMilestoneTaskId === created.data.projectMilestoneTaskId,
      )!;
      const changes = seed.filter(
        (l) =>
          l.type === 'ProjectMilestoneTaskDueDateChanged' &&
          l.data.projectMilestoneTaskId === created.data.projectMilestoneTaskId,
      );
      expect(state.effectiveDueDate).toBe((changes.at(-1) ?? template).data.dueDate);
    });

    it('did not exist before it was created', async () => {
      const created = seed.find(
        (l) =>
          l.type === 'SupplierTaskInstanceCreated' && l.data.supplierTaskInstanceId === instanceId,
      )!;
      const before = Date.parse(created.metadata.occurredAt) - 1;
      expect(
        await entityAsOf(db.store, 'supplier-task-instance', instanceId, {
          by: 'business',
          at: before,
        }),
      ).toBeUndefined();
    });
  });

  it('folds the other kinds from the stream that holds them, by position too', async () => {
    const section = seed.find((l) => l.type === 'MilestoneCreated')!;
    const sectionNow = await entityAsOf(db.store, 'section', section.data.milestoneId as string, {
      by: 'now',
    });
    expect(sectionNow?.state).toEqual(
      expect.objectContaining({
        sectionId: section.data.milestoneId,
        code: section.data.code,
        name: section.data.name,
      }),
    );
    const supplierFirst = await entityAsOf(db.store, 'supplier', supplierId, {
      by: 'position',
      position: 1n,
    });
    expect(supplierFirst?.state).toEqual(expect.objectContaining({ name: supplierLine.data.name }));
    const supplierNow = await entityAsOf(db.store, 'supplier', supplierId, { by: 'now' });
    expect(supplierNow?.state).toEqual(expect.objectContaining({ name: 'Acme Castings AG' }));
    expect(await entityAsOf(db.store, 'template', section.eventId, { by: 'now' })).toBeUndefined();
  });

  it('shows every raw V1 event beside its V2 form, and a V2 event once', async () => {
    const page = await streamPage(db.store, `supplier-${supplierId}`, 0, 100, '/x');
    expect(page!.events.map((e) => e.raw.type)).toEqual(['SupplierRegistered', 'SupplierRenamed']);
    const [v1, v2] = page!.events;
    expect(v1!.raw.schemaVersion).toBe(1);
    expect(v1!.raw.data).toEqual(supplierLine.data);
    expect(v1!.upcast).toEqual([
      expect.objectContaining({ type: 'SupplierRegistered', schemaVersion: 2 }),
    ]);
    expect(v1!.metadata).toEqual({
      actor: supplierLine.metadata.actor,
      onBehalfOf: null,
      occurredAt: supplierLine.metadata.occurredAt,
      recordedAt: supplierLine.recordedAt,
      correlationId: supplierLine.metadata.correlationId,
      causationId: null,
    });
    expect(v2!.raw).toEqual({
      type: 'SupplierRenamed',
      schemaVersion: 2,
      data: renamed.data,
      metadata: renamed.metadata,
    });
    expect(v2!.upcast).toBeUndefined();
  });

  it('pages a stream so that each event comes exactly once, in order', async () => {
    const expected = [
      ...seed.filter((l) => l.streamId === supplierProjectStream).map((l) => l.eventId),
      note.eventId,
    ];
    const seen: string[] = [];
    let fromRevision = 0;
    for (let pages = 0; pages < 100; pages++) {
      const page = await streamPage(db.store, supplierProjectStream, fromRevision, 4, '/p');
      seen.push(...page!.events.map((e) => e.eventId));
      if (page!.next === null) break;
      fromRevision = Number(new URL(page!.next, 'http://x').searchParams.get('fromRevision'));
    }
    expect(seen).toEqual(expected);
    expect(
      await streamPage(db.store, 'supplier-00000000-0000-4000-8000-000000000000', 0, 4, '/p'),
    ).toBeUndefined();
  });

  it('returns each correlation’s events exactly as the file has them, across streams with their causation', async () => {
    const byCorrelation = new Map<string, string[]>();
    for (const l of seed) {
      const id = l.metadata.correlationId;
      if (id !== undefined) byCorrelation.set(id, [...(byCorrelation.get(id) ?? []), l.eventId]);
    }
    expect(byCorrelation.size).toBeGreaterThan(1);
    for (const [id, eventIds] of byCorrelation) {
      const trail = await correlationTrail(db.store, id);
      expect(trail?.events.map((e) => e.eventId)).toEqual(eventIds);
    }
    const trail = await correlationTrail(db.store, CORRELATION);
    expect(trail?.events.map((e) => [e.streamId, e.eventId])).toEqual([
      [`supplier-${supplierId}`, renamed.eventId],
      [supplierProjectStream, note.eventId],
    ]);
    expect(trail?.causation).toEqual([
      {
        id: 'request-1',
        kind: 'cause',
        children: [
          {
            id: renamed.eventId,
            kind: 'event',
            children: [{ id: note.eventId, kind: 'event', children: [] }],
          },
        ],
      },
    ]);
    expect(await correlationTrail(db.store, 'no-such-correlation')).toBeUndefined();
  });

  it('returns what one actor did in a time range, page by page, exactly as the file has it', async () => {
    const actor = inProgress!.metadata.actor;
    const from = '2025-05-05T11:15:00.000Z';
    const to = '2025-05-05T11:50:00.000Z';
    const expected = seed
      .filter(
        (l) =>
          l.metadata.actor === actor &&
          Date.parse(l.metadata.occurredAt) >= Date.parse(from) &&
          Date.parse(l.metadata.occurredAt) < Date.parse(to),
      )
      .map((l) => l.eventId);
    expect(expected.length).toBeGreaterThan(2);
    const seen: string[] = [];
    let after: bigint | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await actorTrail(
        db.store,
        { actor, from, to, limit: 2, ...(after !== undefined && { after }) },
        '/a',
      );
      seen.push(...page.events.map((e) => e.eventId));
      if (page.next === null) break;
      after = BigInt(new URL(page.next, 'http://x').searchParams.get('after')!);
    }
    expect(seen).toEqual(expected);
    const all = await actorTrail(db.store, { actor, limit: 1000 }, '/a');
    expect(all.events.map((e) => e.eventId)).toEqual(
      seed.filter((l) => l.metadata.actor === actor).map((l) => l.eventId),
    );
  });

  it('reads one event by id', async () => {
    const event = await db.store.readEvent(note.eventId);
    expect(event?.streamId).toBe(supplierProjectStream);
    expect(await db.store.readEvent('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await db.store.readEvent('not-a-uuid')).toBeUndefined();
  });

  it('exports the log so that importing it into an empty store exports the same bytes', async () => {
    const first = await exported(db.store);
    const lines = first.trimEnd().split('\n');
    expect(lines).toHaveLength(seed.length + 2);
    const firstLine = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(firstLine).toEqual({ ...seed[0], position: '1' });
    expect(JSON.parse(lines.at(-1)!)).toEqual(
      expect.objectContaining({ eventId: note.eventId, schemaVersion: 2 }),
    );
    const restored = await openDatabase();
    try {
      await importLegacyFile(restored.store, write(`backup-${_name}.ndjson`, first));
      expect(await exported(restored.store)).toBe(first);
    } finally {
      await restored.close();
    }
  });

  it('exports a filtered part, up to a position, and the upcast forms', async () => {
    let text = '';
    for await (const chunk of exportLog(db.store, { categories: ['supplier'], toPosition: 1n }))
      text += chunk;
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as Line).eventId),
    ).toEqual([supplierLine.eventId]);
    let upcast = '';
    for await (const chunk of exportLog(db.store, { types: ['SupplierRegistered'], upcast: true }))
      upcast += chunk;
    expect(JSON.parse(upcast)).toEqual(
      expect.objectContaining({ eventId: supplierLine.eventId, schemaVersion: 2 }),
    );
  });
});

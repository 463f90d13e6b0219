import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { importLegacyFile, ImportLineError } from '../../src/legacy-import/legacy-import';
import type { StoredEvent } from '../../src/eventstore/event';
import { SEED_FILE, seedLines } from '../support/seed';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

const dir = mkdtempSync(join(tmpdir(), 'import-test-'));
function fileOf(lines: unknown[], name = `${randomUUID()}.ndjson`): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n',
  );
  return path;
}

async function wholeLog(db: TestDatabase): Promise<StoredEvent[]> {
  return db.store.readAll({ after: 0n, maxCount: 100_000 });
}

function withoutRecordedAt(events: StoredEvent[]) {
  return events.map(({ metadata: { recordedAt: _r, ...metadata }, ...rest }) => ({
    ...rest,
    metadata,
  }));
}

describe.each(SQL_BACKENDS)('legacy import on %s', (_name, openDatabase) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openDatabase();
  });
  beforeEach(async () => {
    await db.sql.exec('TRUNCATE es_events; ALTER SEQUENCE es_position_seq RESTART');
  });
  afterAll(async () => {
    await db.close();
  });

  it('imports the seed report: 26 events in 4 streams, unchanged, in file order', async () => {
    const result = await importLegacyFile(db.store, SEED_FILE);
    expect(result).toEqual({ lines: 26, written: 26, alreadyStored: 0, streams: 4 });
    const log = await wholeLog(db);
    const lines = seedLines();
    expect(log).toHaveLength(26);
    expect(new Set(log.map((e) => e.streamId)).size).toBe(4);
    log.forEach((event, i) => {
      const line = lines[i] as {
        streamId: string;
        eventId: string;
        type: string;
        data: object;
        metadata: object;
      };
      expect(event).toMatchObject({
        streamId: line.streamId,
        eventId: line.eventId,
        type: line.type,
        data: line.data,
      });
      expect(event.schemaVersion).toBe(1);
      const { recordedAt: _r, ...metadata } = event.metadata;
      expect(metadata).toEqual(line.metadata);
      const nth = lines.slice(0, i).filter((l) => l.streamId === line.streamId).length;
      expect(event.revision).toBe(nth);
    });
  });

  it("brings the planner's statistics of the log up to date, also when it stops at a bad line", async () => {
    // What ANALYZE found (TRUNCATE leaves none): without it a category read is planned blind.
    const plannedRows = async () => {
      const [row] = await db.sql.query<{ rows: number }>(
        "SELECT reltuples::int AS rows FROM pg_class WHERE oid = 'es_events'::regclass",
      );
      return row?.rows;
    };
    await importLegacyFile(db.store, SEED_FILE);
    expect(await plannedRows()).toBe(26);
    await db.sql.exec('TRUNCATE es_events; ALTER SEQUENCE es_position_seq RESTART');
    const lines = seedLines();
    const broken = [...lines.slice(0, 10), { ...lines[10]!, type: 'Nope' }, ...lines.slice(11)];
    await expect(importLegacyFile(db.store, fileOf(broken), { batchSize: 4 })).rejects.toThrow(
      ImportLineError,
    );
    expect(await plannedRows()).toBe(8);
  });

  it('importing twice gives the same log', async () => {
    await importLegacyFile(db.store, SEED_FILE);
    const first = await wholeLog(db);
    const again = await importLegacyFile(db.store, SEED_FILE);
    expect(again).toMatchObject({ written: 0, alreadyStored: 26 });
    expect(await wholeLog(db)).toEqual(first);
  });

  it('imports only the new lines of a file that extends an earlier one', async () => {
    const lines = seedLines();
    await importLegacyFile(db.store, fileOf(lines.slice(0, 10)));
    const result = await importLegacyFile(db.store, SEED_FILE, { batchSize: 7 });
    expect(result).toMatchObject({ written: 16, alreadyStored: 10 });
    expect(withoutRecordedAt(await wholeLog(db)).map((e) => e.eventId)).toEqual(
      lines.map((l) => l.eventId),
    );
  });

  it('keeps unknown fields in data and metadata', async () => {
    const [line] = seedLines() as Array<{ data: object; metadata: object }>;
    const extended = {
      ...line,
      data: { ...line!.data, legacyFlag: true },
      metadata: { ...line!.metadata, source: 'x' },
    };
    await importLegacyFile(db.store, fileOf([extended]));
    const [event] = await wholeLog(db);
    expect(event!.data).toMatchObject({ legacyFlag: true });
    expect(event!.metadata).toMatchObject({ source: 'x' });
  });

  const good = () => seedLines()[0] as Record<string, Record<string, unknown>>;
  const badFiles: Array<[string, () => unknown[], number, string, RegExp]> = [
    ['bad JSON', () => [good(), '{"streamId": '], 2, '(line)', /not valid JSON/],
    ['a missing field', () => [{ ...good(), eventId: undefined }], 1, 'eventId', /uuid|expected/i],
    [
      'a mistyped field',
      () => [{ ...good(), data: { ...good().data, name: 42 } }],
      1,
      'data.name',
      /string/,
    ],
    [
      'a bad uuid',
      () => [{ ...good(), data: { ...good().data, supplierId: 'not-a-uuid' } }],
      1,
      'data.supplierId',
      /uuid|guid/i,
    ],
    ['a bad stream id', () => [{ ...good(), streamId: 'supplier-42' }], 1, 'streamId', /uuid/],
    [
      'a bad date',
      () => [{ ...good(), metadata: { ...good().metadata, occurredAt: '05/05/2025' } }],
      1,
      'metadata.occurredAt',
      /ISO/,
    ],
    [
      'a bad due date',
      () => {
        const pmt = seedLines().find((l) => l.type === 'ProjectMilestoneTaskCreated') as Record<
          string,
          Record<string, unknown>
        >;
        return [{ ...pmt, data: { ...pmt.data, dueDate: '2025-13-45' } }];
      },
      1,
      'data.dueDate',
      /date/i,
    ],
    [
      'an unknown event type',
      () => [good(), { ...good(), eventId: randomUUID(), type: 'SupplierDeleted' }],
      2,
      'type',
      /not a V1 event type/,
    ],
    ['a repeated eventId', () => [good(), { ...good() }], 2, 'eventId', /repeats/],
    [
      'a NUL in a name',
      () => [
        good(),
        { ...good(), eventId: randomUUID(), data: { ...good().data, name: 'a\u0000b' } },
      ],
      2,
      'data.name',
      /NUL/,
    ],
    [
      'a lone surrogate in the actor',
      () => [{ ...good(), metadata: { ...good().metadata, actor: 'x\ud800' } }],
      1,
      'metadata.actor',
      /surrogate/,
    ],
    [
      'an event in the wrong kind of stream',
      () => [{ ...good(), streamId: `project-${randomUUID()}` }],
      1,
      'streamId',
      /supplier-<uuid>/,
    ],
  ];

  it.each(badFiles)(
    'stops on %s, naming line, field and reason, and writes nothing',
    async (_kind, lines, line, field, reason) => {
      const file = fileOf([...seedLines().slice(1, 5), ...lines()]);
      const error = await importLegacyFile(db.store, file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportLineError);
      expect(error).toMatchObject({ line: line + 4, field });
      expect((error as ImportLineError).reason).toMatch(reason);
      expect(await wholeLog(db)).toEqual([]);
    },
  );

  it('stops on a bad line in a later batch: earlier batches stay, a re-run of the fixed file completes exactly', async () => {
    const lines = seedLines();
    const broken = [...lines.slice(0, 10), { ...lines[10]!, type: 'Nope' }, ...lines.slice(11)];
    const error = await importLegacyFile(db.store, fileOf(broken), { batchSize: 4 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ line: 11, field: 'type' });
    expect((await wholeLog(db)).map((e) => e.eventId)).toEqual(
      lines.slice(0, 8).map((l) => l.eventId),
    );
    const rerun = await importLegacyFile(db.store, SEED_FILE, { batchSize: 4 });
    expect(rerun).toMatchObject({ lines: 26, written: 18, alreadyStored: 8 });
    expect((await wholeLog(db)).map((e) => e.eventId)).toEqual(lines.map((l) => l.eventId));
  });

  it('stops on a line whose stream revision would not follow on; a re-run after the fix completes exactly', async () => {
    const lines = seedLines();
    const taskTypeStream = lines.find((l) => l.type === 'TaskTypeCreated')!.streamId as string;
    // The store already holds a different history of that stream.
    const stranger: Record<string, unknown> = {
      ...lines.find((l) => l.type === 'TaskTypeCreated')!,
      eventId: randomUUID(),
    };
    await importLegacyFile(db.store, fileOf([stranger]));
    const error = await importLegacyFile(db.store, SEED_FILE, { batchSize: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportLineError);
    const firstLine = lines.findIndex((l) => l.streamId === taskTypeStream) + 1;
    expect(error).toMatchObject({ line: firstLine, field: 'streamId' });
    expect((error as ImportLineError).reason).toMatch(/revision 0.*does not follow on/);
    // Batches before the failing one are committed whole; nothing of the failing batch is.
    const written = await wholeLog(db);
    expect(written.length).toBe(1 + Math.floor((firstLine - 1) / 2) * 2);

    // The fix: the file holds that history too, so the seed's lines of the stream follow it.
    const fixed = [stranger, ...lines];
    const rerun = await importLegacyFile(db.store, fileOf(fixed));
    expect(rerun.written + rerun.alreadyStored).toBe(27);
    const log = await wholeLog(db);
    expect(log.map((e) => e.eventId).sort()).toEqual(fixed.map((l) => l.eventId as string).sort());
    const stream = (await db.store.readStream(taskTypeStream)).map((e) => e.eventId);
    expect(stream).toEqual(
      fixed.filter((l) => l.streamId === taskTypeStream).map((l) => l.eventId),
    );
  });
});

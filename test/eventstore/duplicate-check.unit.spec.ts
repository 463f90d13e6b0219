import type { RecordedEvent } from '@eventstore/db-client';
import { leadingDuplicates, type StoredCopy } from '../../src/eventstore/duplicate-check';
import { EventIdConflictError, WrongExpectedRevisionError } from '../../src/eventstore/errors';
import type { NewEvent } from '../../src/eventstore/event';
import { copyOf, toEventData } from '../../src/eventstore/esdb/esdb-event-mapping';
import { planAppends, storedCopyOf } from '../../src/eventstore/sql/append-plan';

const stream = 'task-1';

function event(n: number, extra: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: `00000000-0000-4000-8000-00000000000${n}`,
    type: `E${n}`,
    schemaVersion: 2,
    data: { n },
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: 'a' },
    ...extra,
  };
}

/** The stored form of `e` at `revision`, as a store keeps it (JSON, no undefined fields). */
function stored(e: NewEvent, revision: number, streamId = stream): StoredCopy {
  const json = JSON.parse(JSON.stringify(e)) as NewEvent;
  return {
    eventId: e.eventId,
    streamId,
    revision,
    type: json.type,
    schemaVersion: json.schemaVersion,
    data: json.data,
    metadata: json.metadata,
  };
}

const byId = (...copies: StoredCopy[]) => new Map(copies.map((c) => [c.eventId, c]));

describe('leadingDuplicates', () => {
  it('finds none when nothing is stored', () => {
    expect(leadingDuplicates(stream, [event(1), event(2)], new Map())).toEqual([]);
  });

  it('returns the stored events a retry starts with, in order', () => {
    const found = leadingDuplicates(
      stream,
      [event(1), event(2), event(3)],
      byId(stored(event(2), 5), stored(event(1), 4)),
    );
    expect(found.map((c) => c.revision)).toEqual([4, 5]);
  });

  it('treats a field that JSON drops as equal to its absence', () => {
    const withUndefined = event(1, { data: { n: 1, gone: undefined } });
    expect(leadingDuplicates(stream, [withUndefined], byId(stored(event(1), 0)))).toHaveLength(1);
  });

  it.each([
    [
      'a stored event after a fresh one',
      [event(1), event(2)],
      byId(stored(event(2), 0)),
      'but the events before it in this append are not',
    ],
    ['in another stream', [event(1)], byId(stored(event(1), 0, 'task-2')), 'in stream task-2'],
    [
      'not at consecutive revisions',
      [event(1), event(2)],
      byId(stored(event(1), 0), stored(event(2), 2)),
      `at revision 2, not after ${event(1).eventId}`,
    ],
    [
      'with other data',
      [event(1, { data: { n: 9 } })],
      byId(stored(event(1), 0)),
      'with different content',
    ],
    [
      'with another schema version (a V2 retry of a legacy event)',
      [event(1)],
      byId({ ...stored(event(1), 0), schemaVersion: undefined }),
      'with different content',
    ],
  ])('refuses an event id stored %s', (_case, events, copies, reason) => {
    expect(() => leadingDuplicates(stream, events, copies)).toThrow(
      new EventIdConflictError(events.at(-1)!.eventId, reason),
    );
  });
});

describe('the duplicate check as the SQL adapter uses it', () => {
  const row = (e: NewEvent, revision: number, position: number) => ({
    event_id: e.eventId,
    stream_id: stream,
    revision,
    position: String(position),
    type: e.type,
    schema_version: e.schemaVersion ?? null,
    data: e.data,
    metadata: e.metadata,
  });

  it('plans an identical retry as a no-op answering the stored revision and position', () => {
    const copy = storedCopyOf(row(event(1), 0, 41));
    const [plan] = planAppends(
      [{ streamId: stream, expectedRevision: 'no_stream', events: [event(1)] }],
      {
        revisions: new Map([[stream, 0]]),
        stored: new Map([[copy.eventId, copy]]),
      },
    );
    expect(plan!.rows).toEqual([]);
    expect(plan!.result([])).toEqual({ nextExpectedRevision: 0, position: 41n, written: 0 });
  });

  it('matches a legacy row (schema_version NULL) with a legacy event, not with a V2 one', () => {
    const legacy = event(1, { schemaVersion: undefined });
    const copy = storedCopyOf(row(legacy, 0, 7));
    const inputs = { revisions: new Map([[stream, 0]]), stored: new Map([[copy.eventId, copy]]) };
    expect(
      planAppends([{ streamId: stream, expectedRevision: 'any', events: [legacy] }], inputs)[0]!
        .rows,
    ).toEqual([]);
    expect(() =>
      planAppends([{ streamId: stream, expectedRevision: 'any', events: [event(1)] }], inputs),
    ).toThrow(EventIdConflictError);
  });

  it('still checks the expected revision of a retry', () => {
    const copy = storedCopyOf(row(event(1), 3, 9));
    expect(() =>
      planAppends([{ streamId: stream, expectedRevision: 0, events: [event(1)] }], {
        revisions: new Map([[stream, 3]]),
        stored: new Map([[copy.eventId, copy]]),
      }),
    ).toThrow(WrongExpectedRevisionError);
  });
});

describe('the duplicate check as the EventStoreDB adapter uses it', () => {
  /** What the server hands back for an event written as `toEventData` sends it. */
  function recorded(e: NewEvent, revision: number): RecordedEvent {
    const sent = toEventData(e);
    return {
      streamId: stream,
      id: sent.id,
      revision: BigInt(revision),
      type: sent.type,
      data: JSON.parse(JSON.stringify(sent.data)) as RecordedEvent['data'],
      metadata: JSON.parse(JSON.stringify(sent.metadata)) as RecordedEvent['metadata'],
      isJson: true,
      created: new Date('2026-01-01T00:00:01.000Z'),
      position: { commit: 100n + BigInt(revision), prepare: 100n + BigInt(revision) },
    } as RecordedEvent;
  }

  it('sees a V2 event it wrote as identical to its retry, schema version included', () => {
    const copy = copyOf(recorded(event(1), 0));
    expect(copy).toMatchObject({ schemaVersion: 2, position: 100n, revision: 0 });
    expect(copy.metadata).toEqual(event(1).metadata);
    expect(leadingDuplicates(stream, [event(1)], new Map([[copy.eventId, copy]]))).toEqual([copy]);
  });

  it('sees a legacy event (no schema version) as identical to its retry, and not to a V2 one', () => {
    const legacy = event(1, { schemaVersion: undefined });
    const copy = copyOf(recorded(legacy, 0));
    expect(copy.schemaVersion).toBeUndefined();
    const stored = new Map([[copy.eventId, copy]]);
    expect(leadingDuplicates(stream, [legacy], stored)).toHaveLength(1);
    expect(() => leadingDuplicates(stream, [event(1)], stored)).toThrow(EventIdConflictError);
  });

  it('refuses a retry whose content changed', () => {
    const copy = copyOf(recorded(event(1), 0));
    expect(() =>
      leadingDuplicates(stream, [event(1, { data: { n: 2 } })], new Map([[copy.eventId, copy]])),
    ).toThrow(new EventIdConflictError(event(1).eventId, 'with different content'));
  });
});

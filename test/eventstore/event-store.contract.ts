import type { EventStore } from '../../src/eventstore/event-store.port';
import { EventIdConflictError, WrongExpectedRevisionError } from '../../src/eventstore/errors';
import type { StoredEvent } from '../../src/eventstore/event';
import { newEvent, streamOf } from '../support/events';

export interface ContractSubject {
  /** A store over an empty log. */
  open(): Promise<EventStore>;
  close(store: EventStore): Promise<void>;
}

async function readWholeLog(store: EventStore, pageSize = 1000): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    if (page.length === 0) return all;
    all.push(...page);
    after = page.at(-1)!.position;
  }
}

/** The behaviour every event store adapter must have; run once per adapter. */
export function eventStoreContract(name: string, subject: ContractSubject): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await subject.open();
    });
    afterAll(async () => {
      await subject.close(store);
    });

    describe('append and read a stream', () => {
      it('numbers revisions from 0 and positions strictly increasing', async () => {
        const stream = streamOf();
        const result = await store.append(
          stream,
          [newEvent('A'), newEvent('B'), newEvent('C')],
          'no_stream',
        );
        expect(result).toMatchObject({ nextExpectedRevision: 2, written: 3 });
        const events = await store.readStream(stream);
        expect(events.map((e) => [e.type, e.revision])).toEqual([
          ['A', 0],
          ['B', 1],
          ['C', 2],
        ]);
        expect(
          events[0]!.position < events[1]!.position && events[1]!.position < events[2]!.position,
        ).toBe(true);
        expect(result.position).toBe(events[2]!.position);
      });

      it('keeps the envelope: schema version, metadata and a recordedAt', async () => {
        const stream = streamOf();
        const legacy = newEvent('Legacy', { x: 1 });
        delete legacy.schemaVersion;
        legacy.metadata = {
          occurredAt: '2025-05-05T08:10:00.000Z',
          actor: 'a',
          correlationId: 'c',
          extra: { nested: [1] },
        };
        // The store stamps recordedAt from its own clock: allow a second of skew either side.
        const before = Date.now();
        await store.append(stream, [legacy, newEvent('Modern')]);
        const after = Date.now();
        const [first, second] = await store.readStream(stream);
        expect(first).toMatchObject({
          eventId: legacy.eventId,
          streamId: stream,
          schemaVersion: 1,
          data: { x: 1 },
        });
        expect(first!.metadata).toMatchObject(legacy.metadata);
        const recordedAt = first!.metadata.recordedAt;
        expect(recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(Date.parse(recordedAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(Date.parse(recordedAt)).toBeLessThanOrEqual(after + 1000);
        expect(second!.schemaVersion).toBe(2);
      });

      it('reads from a revision', async () => {
        const stream = streamOf();
        await store.append(
          stream,
          [0, 1, 2, 3, 4, 5].map((n) => newEvent(`E${n}`)),
        );
        const revs = (events: StoredEvent[]) => events.map((e) => e.revision);
        expect(revs(await store.readStream(stream, { fromRevision: 2 }))).toEqual([2, 3, 4, 5]);
        // What a reader that has seen every event asks for next: nothing yet.
        expect(revs(await store.readStream(stream, { fromRevision: 6 }))).toEqual([]);
        expect(await store.readStream(streamOf())).toEqual([]);
      });
    });

    describe('expected revision', () => {
      it('no_stream fails on an existing stream, with the actual revision', async () => {
        const stream = streamOf();
        await store.append(stream, [newEvent()], 'no_stream');
        const error = await store
          .append(stream, [newEvent()], 'no_stream')
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe(0);
      });

      it('stream_exists fails on a missing stream', async () => {
        const error = await store
          .append(streamOf(), [newEvent()], 'stream_exists')
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBeUndefined();
      });

      it('a number must be the current revision; the error carries the actual one', async () => {
        const stream = streamOf();
        await store.append(stream, [newEvent(), newEvent()]);
        await expect(store.append(stream, [newEvent()], 1)).resolves.toMatchObject({
          nextExpectedRevision: 2,
        });
        const error = await store.append(stream, [newEvent()], 1).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe(2);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('any appends whatever the revision', async () => {
        const stream = streamOf();
        await store.append(stream, [newEvent()], 'any');
        await expect(store.append(stream, [newEvent()], 'any')).resolves.toMatchObject({
          nextExpectedRevision: 1,
        });
      });

      it('of N concurrent appenders expecting the same revision, exactly one wins', async () => {
        const stream = streamOf();
        await store.append(stream, [newEvent()]);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.append(stream, [newEvent(`W${i}`)], 0)),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(9);
        for (const l of lost) {
          expect(l.reason).toBeInstanceOf(WrongExpectedRevisionError);
          expect((l.reason as WrongExpectedRevisionError).actual).toBe(1);
        }
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('idempotency by eventId', () => {
      it('re-appending identical events is a no-op success', async () => {
        const stream = streamOf();
        const events = [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })];
        const first = await store.append(stream, events, 'no_stream');
        const again = await store.append(stream, events, 'no_stream');
        expect(again).toEqual({ ...first, written: 0 });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('a retry that extends the stored events writes only the new ones', async () => {
        const stream = streamOf();
        const events = [newEvent('A'), newEvent('B'), newEvent('C')];
        await store.append(stream, events.slice(0, 2), 'no_stream');
        const result = await store.append(stream, events, 'no_stream');
        expect(result).toMatchObject({ written: 1, nextExpectedRevision: 2 });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('the same eventId with different content fails and writes nothing', async () => {
        const stream = streamOf();
        const event = newEvent('A', { n: 1 });
        await store.append(stream, [event]);
        const changed = { ...event, data: { n: 2 } };
        await expect(store.append(stream, [changed])).rejects.toBeInstanceOf(EventIdConflictError);
        expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 1 }]);
      });
    });

    it('round-trips tricky text byte for byte', async () => {
      const tricky = [
        'Zürich – Ελληνικά – 日本語 – עברית',
        'emoji 👩🏽‍🔧🚗💥 and surrogate-heavy 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
        'line one\nline two\r\nline three\ttabbed',
        `quotes "double" 'single' \`back\``,
        'back\\slash \\\\ and \\n not a newline',
        "'; DROP TABLE es_events; -- $1 $$ E'\\x00'",
        '  leading and trailing spaces  ',
        '',
      ];
      const stream = streamOf();
      const event = newEvent('Tricky', { tricky, nested: { 'key with "quotes"': tricky[5] } });
      event.metadata.actor = tricky[1]!;
      await store.append(stream, [event]);
      const [stored] = await store.readStream(stream);
      expect(JSON.stringify(stored!.data)).toBe(JSON.stringify(event.data));
      expect(stored!.metadata.actor).toBe(tricky[1]);
      const fromLog = (await readWholeLog(store)).find((e) => e.eventId === event.eventId);
      expect(JSON.stringify(fromLog!.data)).toBe(JSON.stringify(event.data));
    });

    describe('the whole log', () => {
      it('pages after a position', async () => {
        const head = await store.headPosition();
        const a = streamOf('alpha');
        const b = streamOf('beta');
        await store.append(a, [newEvent('X'), newEvent('Y')]);
        await store.append(b, [newEvent('X')]);
        await store.append(a, [newEvent('Z')]);
        const page1 = await store.readAll({ after: head, maxCount: 2 });
        const page2 = await store.readAll({ after: page1.at(-1)!.position, maxCount: 2 });
        expect([...page1, ...page2].map((e) => e.type)).toEqual(['X', 'Y', 'X', 'Z']);
        expect([...page1, ...page2].map((e) => e.streamId)).toEqual([a, a, b, a]);
        expect(await store.headPosition()).toBe(page2.at(-1)!.position);
      });

      it('wakes a waiting reader when an event is appended', async () => {
        const head = await store.headPosition();
        const started = Date.now();
        const waiting = store.waitForEvents(head, 10_000);
        setTimeout(() => void store.append(streamOf(), [newEvent()]), 50);
        await waiting;
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(await store.headPosition()).toBeGreaterThan(head);
      });

      it('8 concurrent writers x 500 events: each event once, in order, and a concurrent reader sees each once', async () => {
        const head = await store.headPosition();
        const streams = Array.from({ length: 20 }, () => streamOf('load'));
        const written = new Set<string>();
        let writing = true;
        const writer = async (w: number) => {
          for (let i = 0; i < 500; i += 5) {
            const events = Array.from({ length: 5 }, (_, k) => newEvent('Load', { w, i: i + k }));
            events.forEach((e) => written.add(e.eventId));
            await store.append(streams[(w * 7 + i) % streams.length]!, events, 'any');
          }
        };
        const seen: StoredEvent[] = [];
        const reader = async () => {
          let after = head;
          for (;;) {
            const stillWriting = writing;
            const page = await store.readAll({ after, maxCount: 97 });
            seen.push(...page.filter((e) => e.type === 'Load'));
            if (page.length > 0) after = page.at(-1)!.position;
            else if (!stillWriting) return;
            else await new Promise((r) => setTimeout(r, 5));
          }
        };
        const reading = reader();
        await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
        writing = false;
        await reading;

        const log = (await readWholeLog(store, 500)).filter(
          (e) => e.position > head && e.type === 'Load',
        );
        expect(log).toHaveLength(4000);
        expect(new Set(log.map((e) => e.eventId))).toEqual(written);
        for (let i = 1; i < log.length; i++)
          expect(log[i]!.position > log[i - 1]!.position).toBe(true);
        for (const stream of streams) {
          const revisions = (await store.readStream(stream)).map((e) => e.revision);
          expect(revisions).toEqual(revisions.map((_, i) => i));
        }
        expect(seen.map((e) => e.eventId)).toEqual(log.map((e) => e.eventId));
      }, 120_000);
    });
  });
}

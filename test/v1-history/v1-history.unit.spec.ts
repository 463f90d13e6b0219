import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uncovered, v1ContractEventTypes } from '../support/v1-coverage';
import { checkV1History, checkV1Lines } from '../../tools/v1-history/check-v1-history';
import {
  AWKWARD_TEXT,
  generateV1History,
  writeV1History,
  type V1HistoryOptions,
  type V1Line,
} from '../../tools/v1-history';

const ndjson = (lines: Iterable<V1Line>) => Array.from(lines, (line) => JSON.stringify(line));
const check = (options: V1HistoryOptions) => checkV1Lines(ndjson(generateV1History(options)));
const sha256 = (options: V1HistoryOptions) =>
  createHash('sha256')
    .update(ndjson(generateV1History(options)).join('\n'))
    .digest('hex');

/** Every string a line holds, nested ones included. */
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value !== null
      ? Object.values(value).flatMap(stringsOf)
      : [];

// Each case generates thousands of events: seconds on a busy machine, more than Jest's default 5 s.
jest.setTimeout(60_000);

describe('the V1 history generator', () => {
  it('reads the 18 event types of EVENTS.md', () => {
    expect(v1ContractEventTypes()).toHaveLength(18);
  });

  it.each([1, 2, 3])(
    'a rich history of 2,000 events (seed %i) holds every event type of EVENTS.md and every case',
    async (seed) => {
      expect(uncovered([await check({ events: 2000, seed, rich: true })])).toEqual([]);
    },
  );

  it('a rich history holds every awkward text', () => {
    const strings = [...generateV1History({ events: 2000, seed: 1, rich: true })].flatMap(
      stringsOf,
    );
    expect(AWKWARD_TEXT.filter((text) => !strings.some((s) => s.includes(text)))).toEqual([]);
  });

  it('a plain history lacks only what rich adds: nested unknown fields and right-to-left text', async () => {
    expect(uncovered([await check({ events: 5000, seed: 1 })])).toEqual([
      'nestedUnknownField',
      'rightToLeftText',
    ]);
  });

  it('two generators of the same options, run interleaved, yield the same lines: no state is shared', () => {
    const options = { events: 3000, seed: 7, rich: true };
    const [a, b] = [generateV1History(options), generateV1History(options)];
    // A third one with another seed, advanced in between, would disturb a shared random source.
    const other = generateV1History({ ...options, seed: 8 });
    let lines = 0;
    for (let x = a.next(), y = b.next(); !x.done || !y.done; x = a.next(), y = b.next()) {
      other.next();
      expect(JSON.stringify(y.value)).toBe(JSON.stringify(x.value));
      lines++;
    }
    expect(lines).toBe(3000);
  });

  it('the seed decides every id: histories of two seeds share no event id and no stream', () => {
    const idsOf = (seed: number) => {
      const lines = [...generateV1History({ events: 3000, seed })];
      return {
        events: new Set(lines.map((line) => line.eventId)),
        streams: new Set(lines.map((line) => line.streamId)),
      };
    };
    const [seven, eight] = [idsOf(7), idsOf(8)];
    expect(seven.events.size).toBe(3000);
    expect([...seven.events].filter((id) => eight.events.has(id))).toEqual([]);
    expect([...seven.streams].filter((id) => eight.streams.has(id))).toEqual([]);
  });

  it('any of seed, size and rich changed: other bytes', () => {
    const options = { events: 3000, seed: 7 };
    const others = [
      { ...options, seed: 8 },
      { ...options, rich: true },
      { events: 3001, seed: 7 },
    ];
    for (const other of others) expect(sha256(other)).not.toBe(sha256(options));
  });

  it.each([0, 1, 57, 800, 5000])(
    'a history of %i events is exactly that long and valid, plain and rich',
    async (events) => {
      for (const rich of [false, true]) {
        const result = await check({ events, seed: 3, rich });
        expect(result.events).toBe(events);
      }
    },
  );

  it('writes the generated lines, streaming, byte for byte across its write buffers', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'v1-history-')), 'history.ndjson');
    const options = { events: 6000, seed: 9, rich: true };
    const written = await writeV1History(path, options);
    const lines = ndjson(generateV1History(options));
    expect(readFileSync(path, 'utf8')).toBe(lines.join('\n') + '\n');
    expect(written.events).toBe(6000);
    expect(written.streams).toBe((await checkV1History(path)).streams);
  });
});

import { DeciderSpecification } from '../shared/decider-specification';
import type { ClaimsBackfillCommand } from './claims-backfill.commands';
import { claimsBackfillDecider } from './claims-backfill.decider';

const metadata = { occurredAt: '2026-01-05T08:00:00.000Z', actor: 'claims-backfill' };
const spec = DeciderSpecification.for(claimsBackfillDecider);
const record = (upTo: string): ClaimsBackfillCommand => ({
  type: 'RecordClaimsBackfill',
  data: { upTo },
  metadata,
});
const backfilled = (upTo: string) =>
  ({ type: 'ClaimsBackfilled', schemaVersion: 2, data: { upTo } }) as const;

describe('claims backfill checkpoint decider', () => {
  it('Given no backfill, records the first position', () => {
    expect(spec.given([]).when(record('26')).events).toEqual([backfilled('26')]);
  });
  it('Given a position, records a later one', () => {
    expect(spec.given([backfilled('26')]).when(record('100')).events).toEqual([backfilled('100')]);
  });
  it('Given a position, records nothing for the same or an earlier one (a slower run)', () => {
    expect(spec.given([backfilled('100')]).when(record('100')).events).toEqual([]);
    expect(spec.given([backfilled('100')]).when(record('99')).events).toEqual([]);
  });
  it('compares positions as numbers, not as text', () => {
    expect(spec.given([backfilled('9')]).when(record('10')).events).toEqual([backfilled('10')]);
    expect(spec.given([backfilled('9')]).state()).toEqual({ upTo: 9n });
  });
});

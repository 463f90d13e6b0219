import { DeciderSpecification } from '../shared/decider-specification';
import type { ReservationCommand } from './reservation.commands';
import { reservationDecider } from './reservation.decider';

const first = '11111111-1111-4111-8111-111111111111';
const second = '22222222-2222-4222-8222-222222222222';
const third = '33333333-3333-4333-8333-333333333333';
const metadata = { occurredAt: '2026-01-05T08:00:00.000Z', actor: 'buyer@example.com' };
const spec = DeciderSpecification.for(reservationDecider('supplierCode'));

const reserve = (holderId: string, replacing?: string): ReservationCommand => ({
  type: 'Reserve',
  data: { key: 'sup-1', value: 'SUP-1', holderId, ...(replacing && { replacing }) },
  metadata,
});
const reserved = (holderId: string) =>
  ({ type: 'SupplierCodeReserved', schemaVersion: 2, data: { value: 'SUP-1', holderId } }) as const;
const released = (holderId: string) =>
  ({ type: 'SupplierCodeReleased', schemaVersion: 2, data: { holderId } }) as const;

describe('reservation decider (supplier codes)', () => {
  describe('Given nobody holds the code', () => {
    it('reserves it for the holder', () => {
      expect(spec.given([]).when(reserve(first)).events).toEqual([reserved(first)]);
    });
    it('reserves it when the holder it was to replace has released it already', () => {
      expect(
        spec.given([reserved(first), released(first)]).when(reserve(second, first)).events,
      ).toEqual([reserved(second)]);
    });
  });

  describe('Given a holder has the code', () => {
    const history = [reserved(first)];
    it('decides nothing when that holder asks again (a retry)', () => {
      expect(spec.given(history).when(reserve(first)).events).toEqual([]);
    });
    it('refuses another holder with a conflict naming the holder', () => {
      expect(spec.given(history).when(reserve(second)).error).toMatchObject({
        code: 'SUPPLIER.CODE_TAKEN',
        kind: 'conflict',
        details: { code: 'SUP-1', existing: { supplierId: first } },
      });
    });
    it('takes it over from that holder, found dead, in one decision: release, then reserve', () => {
      expect(spec.given(history).when(reserve(second, first)).events).toEqual([
        released(first),
        reserved(second),
      ]);
    });
    it('refuses a takeover that names another holder than the one holding it', () => {
      expect(spec.given(history).when(reserve(second, third)).error).toMatchObject({
        code: 'SUPPLIER.CODE_TAKEN',
        details: { existing: { supplierId: first } },
      });
    });
  });

  describe('Given a takeover happened', () => {
    const history = [reserved(first), released(first), reserved(second)];
    it('the new holder has it: a second taker of the dead holder is refused naming it', () => {
      expect(spec.given(history).when(reserve(third, first)).error).toMatchObject({
        code: 'SUPPLIER.CODE_TAKEN',
        details: { existing: { supplierId: second } },
      });
    });
  });
});

import { DeciderSpecification } from '../shared/decider-specification';
import type { SupplierCommand } from './supplier.commands';
import { SupplierCommandSchema } from './supplier.commands';
import { supplierDecider } from './supplier.decider';
import type { SupplierEvent } from './supplier.events';
import { SupplierEventSchema } from './supplier.events';

const supplierId = '11111111-1111-4111-8111-111111111111';
const metadata = { occurredAt: '2026-01-05T08:00:00.000Z', actor: 'buyer@example.com' };
const spec = DeciderSpecification.for(supplierDecider);

const register: SupplierCommand = {
  type: 'RegisterSupplier',
  data: { supplierId, code: 'SUP-1', name: 'Acme' },
  metadata,
};
const rename = (name: string): SupplierCommand => ({
  type: 'RenameSupplier',
  data: { supplierId, name },
  metadata,
});
const registered = {
  type: 'SupplierRegistered',
  schemaVersion: 2,
  data: { supplierId, code: 'SUP-1', name: 'Acme' },
} as const;

describe('supplier decider', () => {
  describe('When no supplier exists', () => {
    it('registers one', () => {
      expect(spec.given([]).when(register).events).toEqual([registered]);
    });
    it('rejects a rename as not found', () => {
      expect(spec.given([]).when(rename('Acme 2')).error).toMatchObject({
        code: 'SUPPLIER.NOT_FOUND',
        kind: 'not_found',
      });
    });
  });

  describe('When registered', () => {
    it('rejects a second registration as a conflict', () => {
      expect(spec.given([registered]).when(register).error).toMatchObject({
        code: 'SUPPLIER.ALREADY_EXISTS',
        kind: 'conflict',
      });
    });
    it('renames', () => {
      expect(spec.given([registered]).when(rename('Acme Castings')).events).toEqual([
        {
          type: 'SupplierRenamed',
          schemaVersion: 2,
          data: { supplierId, name: 'Acme Castings' },
        },
      ]);
    });
    it('decides nothing for a rename to the current name', () => {
      expect(spec.given([registered]).when(rename('Acme')).events).toEqual([]);
    });
    it('folds renames', () => {
      const renamed = {
        type: 'SupplierRenamed',
        schemaVersion: 2,
        data: { supplierId, name: 'B' },
      } as const;
      expect(spec.given([registered, renamed]).state()).toEqual({
        supplierId,
        code: 'SUP-1',
        name: 'B',
      });
    });
  });

  it('ignores an event type this build does not know', () => {
    const future = {
      type: 'SupplierArchived',
      schemaVersion: 3,
      data: {},
    } as unknown as SupplierEvent;
    expect(spec.given([registered, future]).state()).toEqual(spec.given([registered]).state());
  });

  it('names the stream supplier-<id> and validates commands and events with zod', () => {
    expect(supplierDecider.streamIdFor(register)).toBe(`supplier-${supplierId}`);
    expect(SupplierCommandSchema.safeParse(register).success).toBe(true);
    expect(SupplierCommandSchema.safeParse(rename('  ')).success).toBe(false);
    expect(SupplierEventSchema.safeParse({ ...registered, metadata }).success).toBe(true);
    expect(supplierDecider.eventTypes).toEqual(['SupplierRegistered', 'SupplierRenamed']);
  });
});

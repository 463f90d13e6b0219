import { logOf, project, v2 } from '../test/support/projection-harness';
import type { Row, Rows } from './projection-definition';
import { v2Handlers } from './v2-handlers';
import { legacyV1V2 } from './legacy_v1';
import { supplierTasksV1 } from './supplier_tasks';

const supplierId = '0b9f3c4e-2d1a-4e5b-8c7d-6f5e4d3c2b1a';

/** Rows that fail the test if a handler touches them. */
const untouchable: Rows = {
  get: (table: string, id: string): Row | undefined => {
    throw new Error(`read ${table} ${id}`);
  },
  put: (table: string, row: Row) => {
    throw new Error(`put ${table} ${row.id}`);
  },
  update: (table: string, id: string) => {
    throw new Error(`update ${table} ${id}`);
  },
  delete: (table: string, id: string) => {
    throw new Error(`delete ${table} ${id}`);
  },
  where: (table: string, column: string, value: string) => {
    throw new Error(`read ${table} where ${column} = ${value}`);
  },
};

describe('a V2 handler set', () => {
  it('dispatches an event to the handler of its type, with its data', () => {
    const seen: string[] = [];
    const onlyRegistered = v2Handlers(
      [
        'SupplierRenamed',
        'ProjectCreated',
        'ProjectRenamed',
        'ProjectTaskTemplateCreated',
        'ProjectTaskTemplateDueDateChanged',
        'ProjectTaskTemplateRemoved',
        'TaskTypeCreated',
        'TaskTypeRenamed',
        'TaskTypeCategoryChanged',
        'TaskTypeSectionCreated',
        'TaskTypeSectionRenamed',
        'TaskTypeSectionDeleted',
        'TaskCreated',
        'TaskRenamed',
        'TaskMovedToSection',
        'SupplierProjectInstanceCreated',
        'SupplierTaskInstanceCreated',
        'SupplierTaskStatusChanged',
        'SupplierTaskDueDateOverridden',
        'SupplierTaskDueDateOverrideCleared',
        'SupplierTaskNoteAdded',
      ],
      {
        SupplierRegistered: {
          reads: ({ data }) => [{ table: 'suppliers', id: data.code }],
          apply: ({ data }) => void seen.push(data.name),
        },
      },
    );
    const [event] = logOf([v2('SupplierRegistered', { supplierId, code: 'S1', name: 'Acme' })]);
    expect(onlyRegistered.reads(event!)).toEqual([{ table: 'suppliers', id: 'S1' }]);
    onlyRegistered.apply(event!, untouchable);
    expect(seen).toEqual(['Acme']);
  });

  it.each(['SupplierDeletedInALaterBuild', 'constructor', 'toString', '__proto__'])(
    'leaves the rows alone for %s, which no V2 union holds',
    (type) => {
      for (const definition of [supplierTasksV1, legacyV1V2]) {
        const [event] = logOf([v2(type, { supplierId })]);
        expect(definition.reads(event!)).toEqual([]);
        expect(() => definition.apply(event!, untouchable)).not.toThrow();
      }
    },
  );

  it('legacy_v1 ignores suppliers on purpose: no row of it changes', () => {
    const entries = [
      v2('SupplierRegistered', { supplierId, code: 'S1', name: 'Acme' }),
      v2('SupplierRenamed', { supplierId, name: 'Acme Ltd' }),
    ];
    for (const event of logOf(entries)) {
      expect(legacyV1V2.reads(event)).toEqual([]);
      expect(() => legacyV1V2.apply(event, untouchable)).not.toThrow();
    }
    expect(project(supplierTasksV1, entries).suppliers).toEqual([
      { id: supplierId, code: 'S1', name: 'Acme Ltd' },
    ]);
  });

  it('does not compile while a V2 event type is neither handled nor ignored', () => {
    // @ts-expect-error SupplierRenamed is missing: `npm run typecheck` fails if this compiles.
    const incomplete = v2Handlers([], {});
    expect(incomplete.reads(logOf([v2('SupplierRenamed', { supplierId, name: 'A' })])[0]!)).toEqual(
      [],
    );
  });
});

import { InstancesParamsSchema, ProgressParamsSchema } from './dashboard-params';
import { addDays, dueWindow } from './due-window';
import { decodeCursor, encodeCursor } from './keyset-cursor';

describe('the due window', () => {
  it.each([
    ['2025-07-01', 14, '2025-07-15'],
    ['2025-12-25', 10, '2026-01-04'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-07-01', 0, '2025-07-01'],
  ])('%s + %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('runs from asOf to asOf + dueSoonDays, both included', () => {
    expect(dueWindow('2025-07-01', 14)).toEqual({ asOf: '2025-07-01', until: '2025-07-15' });
  });
});

describe('keyset cursors', () => {
  it('round-trip, a null due date included', () => {
    for (const cursor of [
      { k: '2025-07-01', id: 'a' },
      { k: null, id: 'b' },
    ])
      expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('refuse what the service did not make', () => {
    expect(decodeCursor('nonsense')).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"k":1}').toString('base64url'))).toBeUndefined();
  });
});

describe('query parameters', () => {
  it('default dueSoonDays to 14 and limit to 50, and coerce numbers from the query text', () => {
    expect(ProgressParamsSchema.parse({ by: 'project' })).toEqual({
      by: 'project',
      dueSoonDays: 14,
      limit: 100,
    });
    expect(InstancesParamsSchema.parse({ limit: '500' })).toMatchObject({
      state: 'all',
      limit: 500,
    });
  });

  it.each([
    [{ by: 'project', asOf: '2025-02-30' }, 'asOf'],
    [{ by: 'project', dueSoonDays: '1.5' }, 'dueSoonDays'],
    [{ by: 'project', projectId: ['a', 'b'] }, 'projectId'],
    [{}, 'by'],
  ])('name the bad parameter: %j', (query, field) => {
    const result = ProgressParamsSchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });
});

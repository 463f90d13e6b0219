import fc from 'fast-check';
import type { Unstamped } from '../shared/decider';
import { findTemplate, projectDecider } from '../project/project.decider';
import type { ProjectEvent } from '../project/project.events';
import { effectiveDueDate, isDueDateOverridden } from './effective-due-date';
import { supplierProjectDecider } from './supplier-project.decider';
import type { SupplierProjectEvent } from './supplier-project.events';

const projectId = '22222222-2222-4222-8222-222222222222';
const spiId = '66666666-6666-4666-8666-666666666666';
const templateId = '33333333-3333-4333-8333-333333333333';
const taskId = '55555555-5555-4555-8555-555555555555';
const [withOverride, withoutOverride] = [
  '77777777-7777-4777-8777-777777777771',
  '77777777-7777-4777-8777-777777777772',
];

describe('effectiveDueDate', () => {
  it('is the override when there is one, else the template date', () => {
    expect(effectiveDueDate('2026-05-01', '2026-06-15')).toBe('2026-05-01');
    expect(effectiveDueDate(null, '2026-06-15')).toBe('2026-06-15');
    expect(effectiveDueDate(null, null)).toBeNull();
    expect(isDueDateOverridden(null)).toBe(false);
    expect(isDueDateOverridden('2026-05-01')).toBe(true);
  });

  it('never lets a template change beat an override (property)', () => {
    const date = fc
      .tuple(
        fc.integer({ min: 2000, max: 2099 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
      )
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.option(date, { nil: null }), date, date, (override, before, after) => {
        const changed = effectiveDueDate(override, after);
        expect(changed).toBe(override === null ? after : override);
        expect(effectiveDueDate(override, before) === changed).toBe(
          override !== null || before === after,
        );
      }),
    );
  });

  it("reaches every instance without an override when the template's due date changes", () => {
    const project: Array<Unstamped<ProjectEvent>> = [
      { type: 'ProjectCreated', schemaVersion: 2, data: { projectId, code: 'P', name: 'P' } },
      {
        type: 'ProjectTaskTemplateCreated',
        schemaVersion: 2,
        data: { projectId, templateId, taskTypeId: null, taskId, dueDate: '2026-06-15' },
      },
      {
        type: 'ProjectTaskTemplateDueDateChanged',
        schemaVersion: 2,
        data: { projectId, templateId, dueDate: '2026-07-31' },
      },
    ];
    const instanceCreated = (supplierTaskInstanceId: string): Unstamped<SupplierProjectEvent> => ({
      type: 'SupplierTaskInstanceCreated',
      schemaVersion: 2,
      data: { supplierProjectInstanceId: spiId, supplierTaskInstanceId, templateId, taskId },
    });
    const instances: Array<Unstamped<SupplierProjectEvent>> = [
      {
        type: 'SupplierProjectInstanceCreated',
        schemaVersion: 2,
        data: { supplierProjectInstanceId: spiId, supplierId: spiId, projectId },
      },
      instanceCreated(withOverride),
      instanceCreated(withoutOverride),
      {
        type: 'SupplierTaskDueDateOverridden',
        schemaVersion: 2,
        data: {
          supplierProjectInstanceId: spiId,
          supplierTaskInstanceId: withOverride,
          dueDate: '2026-05-01',
        },
      },
    ];
    const projectState = project.reduce(projectDecider.evolve, projectDecider.initialState);
    const spState = instances.reduce(
      supplierProjectDecider.evolve,
      supplierProjectDecider.initialState,
    );
    const dueDateOf = (id: string) => {
      const task = spState?.tasks[id];
      if (task === undefined) throw new Error('instance missing');
      return effectiveDueDate(
        task.dueDateOverride,
        findTemplate(projectState, task.templateId)?.dueDate ?? null,
      );
    };
    expect(dueDateOf(withoutOverride)).toBe('2026-07-31');
    expect(dueDateOf(withOverride)).toBe('2026-05-01');
  });
});

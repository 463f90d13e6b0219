import { DeciderSpecification } from '../src/domain/shared/decider-specification';
import { projectDecider } from '../src/domain/project/project.decider';
import { supplierProjectDecider } from '../src/domain/supplier-project/supplier-project.decider';
import { supplierDecider } from '../src/domain/supplier/supplier.decider';
import { taskTypeDecider } from '../src/domain/task-type/task-type.decider';
import { upcast, type UpcastInput } from './index';
import { foldUpcast, ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

const metadata = { occurredAt: '2026-03-01T09:00:00.000Z', actor: 'v2-user@example.com' };
const v2 = (type: string, data: Record<string, unknown>): UpcastInput => ({
  type,
  schemaVersion: 2,
  data,
  metadata,
});
const subTask = 'c0ffee00-0000-4000-8000-000000000001';
const newSection = 'c0ffee00-0000-4000-8000-000000000002';

describe('mixed V1/V2 streams fold, and legacy streams accept V2 commands', () => {
  it('supplier: V1 registration, V2 rename', () => {
    const stream = [
      legacy('SupplierRegistered'),
      v2('SupplierRenamed', { supplierId: ids.supplier, name: 'Acme Castings SE' }),
    ];
    expect(foldUpcast(supplierDecider, stream)).toEqual({
      supplierId: ids.supplier,
      code: 'SUP-0001',
      name: 'Acme Castings SE',
    });
  });

  it('project: V1 milestone task, V2 due date change, V1 removal', () => {
    const stream = [
      legacy('ProjectCreated'),
      legacy('ProjectMilestoneTaskCreated'),
      v2('ProjectTaskTemplateDueDateChanged', {
        projectId: ids.project,
        templateId: ids.pmt,
        dueDate: '2026-01-31',
      }),
    ];
    expect(foldUpcast(projectDecider, stream)?.templates[ids.pmt]).toMatchObject({
      dueDate: '2026-01-31',
      removed: false,
    });
    const removed = foldUpcast(projectDecider, [...stream, legacy('ProjectMilestoneTaskRemoved')]);
    expect(removed?.templates[ids.pmt]?.removed).toBe(true);
  });

  it('task type: V1 milestones and tasks with V2 sections, sub-tasks and moves', () => {
    const stream = [
      legacy('TaskTypeCreated'),
      legacy('MilestoneCreated'),
      legacy('TaskCreated'),
      v2('TaskTypeSectionCreated', {
        taskTypeId: ids.taskType,
        sectionId: ids.otherMilestone,
        code: 'PA3',
        name: 'PA3 - Production Approval',
        sortOrder: 2,
      }),
      v2('TaskCreated', {
        taskTypeId: ids.taskType,
        sectionId: ids.milestone,
        taskId: subTask,
        title: 'Attach CMM data',
        sortOrder: 1,
        parentTaskId: ids.task,
      }),
      legacy('MilestoneRenamed'),
      legacy('TaskMovedToMilestone'),
      v2('TaskMovedToSection', {
        taskTypeId: ids.taskType,
        taskId: subTask,
        fromSectionId: ids.milestone,
        toSectionId: ids.otherMilestone,
      }),
    ];
    const state = foldUpcast(taskTypeDecider, stream);
    expect(state?.sections[ids.milestone]).toMatchObject({ code: 'PA2', name: 'PA2 - Samples' });
    expect(state?.tasks[ids.task]).toMatchObject({
      sectionId: ids.otherMilestone,
      parentTaskId: null,
    });
    expect(state?.tasks[subTask]).toMatchObject({
      sectionId: ids.otherMilestone,
      parentTaskId: ids.task,
    });

    const spec = DeciderSpecification.for(taskTypeDecider).given(
      stream.flatMap(upcast).map((e) => taskTypeDecider.eventSchema.parse(e)),
    );
    const createSection = (code: string) =>
      spec.when({
        type: 'CreateTaskTypeSection',
        data: { taskTypeId: ids.taskType, sectionId: newSection, code, name: code, sortOrder: 3 },
        metadata,
      });
    // The legacy milestone's code is a V2 section code like any other.
    expect(createSection('PA2').error).toMatchObject({ code: 'SECTION.CODE_TAKEN' });
    expect(createSection('PA4').events).toHaveLength(1);
    // Its tasks all moved out, so the legacy milestone can now be deleted as a section.
    const del = (sectionId: string) =>
      spec.when({
        type: 'DeleteTaskTypeSection',
        data: { taskTypeId: ids.taskType, sectionId },
        metadata,
      });
    expect(del(ids.milestone).events).toHaveLength(1);
    expect(del(ids.otherMilestone).error).toMatchObject({ code: 'SECTION.NOT_EMPTY' });
  });

  it('supplier project: a V1 jump to COMPLETED folds, and a V2 reopen follows it', () => {
    const stream = [
      legacy('SupplierProjectInstanceCreated'),
      legacy('SupplierTaskInstanceCreated'),
      legacy('SupplierTaskStatusChanged'),
      legacy('SupplierTaskNoteAdded'),
      v2('SupplierTaskDueDateOverridden', {
        supplierProjectInstanceId: ids.supplierProject,
        supplierTaskInstanceId: ids.taskInstance,
        dueDate: '2026-04-30',
      }),
    ];
    const state = foldUpcast(supplierProjectDecider, stream);
    expect(state?.tasks[ids.taskInstance]).toEqual({
      supplierTaskInstanceId: ids.taskInstance,
      templateId: ids.pmt,
      taskId: null,
      status: 'COMPLETED',
      dueDateOverride: '2026-04-30',
      noteIds: [ids.note],
    });
    const reopened = supplierProjectDecider.decide(
      {
        type: 'ReopenSupplierTask',
        data: {
          supplierProjectInstanceId: ids.supplierProject,
          supplierTaskInstanceId: ids.taskInstance,
        },
        metadata,
      },
      state,
    );
    expect(reopened).toEqual([
      {
        type: 'SupplierTaskStatusChanged',
        schemaVersion: 2,
        data: {
          supplierProjectInstanceId: ids.supplierProject,
          supplierTaskInstanceId: ids.taskInstance,
          from: 'COMPLETED',
          to: 'IN_PROGRESS',
        },
      },
    ]);
  });

  it('keeps the legacy business time on every upcast event', () => {
    expect(
      upcast(legacy('SupplierTaskNoteAdded', v1Samples.SupplierTaskNoteAdded))[0]?.metadata,
    ).toEqual(legacyMetadata);
  });
});

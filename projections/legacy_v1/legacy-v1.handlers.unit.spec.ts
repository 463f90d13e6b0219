import { ids, instanceRef, v1Catalog, v1Instance } from '../../test/support/projection-fixtures';
import { logOf, project, projectInBatches, v1, v2 } from '../../test/support/projection-harness';
import { legacyV1V2 } from './index';

const rowsOf = (entries: Parameters<typeof project>[1]) => project(legacyV1V2, entries);

const milestone = {
  id: ids.milestone,
  task_type_id: ids.taskType,
  code: 'PA2',
  name: 'PA2 - Initial Samples',
  sort_order: 1,
};
const task = {
  id: ids.task,
  task_type_id: ids.taskType,
  milestone_id: ids.milestone,
  title: 'Submit dimensional report',
  sort_order: 1,
};
const pmt = {
  id: ids.pmt,
  project_id: ids.project,
  milestone_id: ids.milestone,
  task_id: ids.task,
  due_date: '2025-06-15',
};
const instance = {
  id: ids.instance,
  supplier_project_instance_id: ids.supplierProject,
  supplier_id: ids.supplier,
  project_id: ids.project,
  project_milestone_task_id: ids.pmt,
  status: 'NOT_STARTED',
  due_date_override: null,
  notes_count: 0,
};

describe('legacy_v1 v2 handlers: given the raw log, when applied, then rows', () => {
  describe('the V1 history, as the legacy readers knew it', () => {
    it('suppliers, projects and task types have no table of their own', () => {
      expect(
        rowsOf([
          v1('SupplierRegistered', { supplierId: ids.supplier, code: 'S', name: 'S' }),
          v1('SupplierRenamed', { supplierId: ids.supplier, name: 'T' }),
          v1('ProjectCreated', { projectId: ids.project, code: 'P', name: 'P' }),
          v1('TaskTypeCreated', { taskTypeId: ids.taskType, name: 'Part Approval' }),
        ]),
      ).toEqual({});
    });

    it('MilestoneCreated, TaskCreated: milestones and tasks', () => {
      const rows = rowsOf(v1Catalog);
      expect(rows.milestones).toEqual(
        [
          {
            ...milestone,
            id: ids.otherMilestone,
            code: 'PA3',
            name: 'PA3 - Production Approval',
            sort_order: 2,
          },
          milestone,
        ].sort((a, b) => a.id.localeCompare(b.id)),
      );
      expect(rows.tasks).toEqual([task]);
    });

    it('MilestoneRenamed, MilestoneDeleted', () => {
      const rows = rowsOf([
        ...v1Catalog,
        v1('MilestoneRenamed', {
          taskTypeId: ids.taskType,
          milestoneId: ids.milestone,
          name: 'PA2 ✓',
        }),
        v1('MilestoneDeleted', { taskTypeId: ids.taskType, milestoneId: ids.otherMilestone }),
      ]);
      expect(rows.milestones).toEqual([{ ...milestone, name: 'PA2 ✓' }]);
    });

    it('TaskRenamed, TaskMovedToMilestone', () => {
      const rows = rowsOf([
        ...v1Catalog,
        v1('TaskRenamed', { taskTypeId: ids.taskType, taskId: ids.task, title: 'CMM "report"' }),
        v1('TaskMovedToMilestone', {
          taskTypeId: ids.taskType,
          taskId: ids.task,
          fromMilestoneId: ids.milestone,
          toMilestoneId: ids.otherMilestone,
        }),
      ]);
      expect(rows.tasks).toEqual([
        { ...task, milestone_id: ids.otherMilestone, title: 'CMM "report"' },
      ]);
    });

    it('ProjectMilestoneTaskCreated / DueDateChanged / Removed', () => {
      const created = v1('ProjectMilestoneTaskCreated', {
        projectId: ids.project,
        projectMilestoneTaskId: ids.pmt,
        milestoneId: ids.milestone,
        taskId: ids.task,
        dueDate: '2025-06-15',
      });
      const changed = v1('ProjectMilestoneTaskDueDateChanged', {
        projectId: ids.project,
        projectMilestoneTaskId: ids.pmt,
        dueDate: '2025-07-01',
      });
      expect(rowsOf([...v1Catalog, created, changed]).project_milestone_tasks).toEqual([
        { ...pmt, due_date: '2025-07-01' },
      ]);
      const removed = v1('ProjectMilestoneTaskRemoved', {
        projectId: ids.project,
        projectMilestoneTaskId: ids.pmt,
      });
      expect(rowsOf([...v1Catalog, created, removed]).project_milestone_tasks).toBeUndefined();
    });

    it('SupplierProjectInstanceCreated, SupplierTaskInstanceCreated', () => {
      const rows = rowsOf(v1Instance);
      expect(rows.supplier_project_instances).toEqual([
        { id: ids.supplierProject, supplier_id: ids.supplier, project_id: ids.project },
      ]);
      expect(rows.supplier_task_instances).toEqual([instance]);
    });

    it('SupplierTaskStatusChanged (reopened too), SupplierTaskDueDateOverridden, SupplierTaskNoteAdded', () => {
      const change = (from: string, to: string) =>
        v1('SupplierTaskStatusChanged', { ...instanceRef(), from, to });
      const rows = rowsOf([
        ...v1Instance,
        change('NOT_STARTED', 'COMPLETED'),
        change('COMPLETED', 'IN_PROGRESS'),
        v1('SupplierTaskDueDateOverridden', { ...instanceRef(), dueDate: '2025-06-20' }),
        v1('SupplierTaskNoteAdded', { ...instanceRef(), noteId: ids.note, text: 'a', author: 'b' }),
        v1('SupplierTaskNoteAdded', {
          ...instanceRef(),
          noteId: ids.otherNote,
          text: 'c',
          author: 'd',
        }),
      ]);
      expect(rows.supplier_task_instances).toEqual([
        { ...instance, status: 'IN_PROGRESS', due_date_override: '2025-06-20', notes_count: 2 },
      ]);
    });

    it.each([
      ['SupplierTaskInstanceCreated', { projectMilestoneTaskId: ids.pmt }, ids.supplierProject],
      ['SupplierTaskNoteAdded', { noteId: ids.note, text: 'x', author: 'y' }, ids.unknown],
      ['SupplierTaskStatusChanged', { from: 'NOT_STARTED', to: 'IN_PROGRESS' }, ids.unknown],
    ])('%s for an unknown owner throws', (type, data, missing) => {
      const events = logOf([v1(type, { ...instanceRef(ids.unknown), ...data })], 'raw');
      expect(() => projectInBatches(legacyV1V2, events, 1)).toThrow(missing);
    });
  });

  describe('read raw, against its own copy of the frozen V1 contract', () => {
    it('a V1 payload that breaks the contract stops it, naming the type and the field', () => {
      const events = logOf(
        [
          v1('MilestoneCreated', {
            taskTypeId: ids.taskType,
            milestoneId: 'not-a-uuid',
            code: 'PA2',
            name: 'n',
            sortOrder: 1,
          }),
        ],
        'raw',
      );
      expect(() => projectInBatches(legacyV1V2, events, 1)).toThrow(
        /MilestoneCreated v1 does not match the frozen V1 contract: milestoneId/,
      );
    });

    it('the upcast log is not what it reads: an upcast TaskMovedToSection is a V2 move of its own view', () => {
      // Fed the V2 form of a V1 move, it still moves the task: both readings agree on the fact.
      const moved = [
        ...v1Catalog,
        v1('TaskMovedToMilestone', {
          taskTypeId: ids.taskType,
          taskId: ids.task,
          fromMilestoneId: ids.milestone,
          toMilestoneId: ids.otherMilestone,
        }),
      ];
      const raw = projectInBatches(legacyV1V2, logOf(moved, 'raw'), 1);
      expect(raw.tasks!.find((t) => t.id === ids.task)?.milestone_id).toBe(ids.otherMilestone);
      expect(projectInBatches(legacyV1V2, logOf(moved, 'upcast'), 1).tasks).toEqual(raw.tasks);
    });
  });

  describe('following V2-only events, so legacy readers are never stale', () => {
    it('a section created in V2 shows as a milestone, renamed and deleted like one', () => {
      const created = v2('TaskTypeSectionCreated', {
        taskTypeId: ids.taskType,
        sectionId: ids.section,
        code: 'PA4',
        name: 'PA4 - Serial',
        sortOrder: 3,
      });
      const renamed = v2('TaskTypeSectionRenamed', {
        taskTypeId: ids.taskType,
        sectionId: ids.section,
        name: 'PA4 - Serienfreigabe',
      });
      expect(rowsOf([...v1Catalog, created, renamed]).milestones).toContainEqual({
        id: ids.section,
        task_type_id: ids.taskType,
        code: 'PA4',
        name: 'PA4 - Serienfreigabe',
        sort_order: 3,
      });
      const deleted = v2('TaskTypeSectionDeleted', {
        taskTypeId: ids.taskType,
        sectionId: ids.section,
      });
      expect(rowsOf([...v1Catalog, created, deleted]).milestones!.map((m) => m.id)).not.toContain(
        ids.section,
      );
    });

    it('a sub-task shows as a plain task of its section, and moves like one', () => {
      const rows = rowsOf([
        ...v1Catalog,
        v2('TaskCreated', {
          taskTypeId: ids.taskType,
          sectionId: ids.milestone,
          taskId: ids.subTask,
          title: 'Sub-task',
          sortOrder: 1,
          parentTaskId: ids.task,
        }),
        v2('TaskMovedToSection', {
          taskTypeId: ids.taskType,
          taskId: ids.subTask,
          fromSectionId: ids.milestone,
          toSectionId: ids.otherMilestone,
        }),
        v2('TaskRenamed', { taskTypeId: ids.taskType, taskId: ids.subTask, title: 'Sub ✓' }),
      ]);
      expect(rows.tasks).toContainEqual({
        id: ids.subTask,
        task_type_id: ids.taskType,
        milestone_id: ids.otherMilestone,
        title: 'Sub ✓',
        sort_order: 1,
      });
      expect(Object.keys(rows.tasks![0]!).sort()).toEqual(Object.keys(task).sort());
    });

    it('a V2 template takes the milestone its task is in; one for an unknown task has none', () => {
      const template = (templateId: string, taskId: string) =>
        v2('ProjectTaskTemplateCreated', {
          projectId: ids.project,
          templateId,
          taskTypeId: ids.taskType,
          taskId,
          dueDate: '2026-02-01',
        });
      const rows = rowsOf([
        ...v1Catalog,
        v1('TaskMovedToMilestone', {
          taskTypeId: ids.taskType,
          taskId: ids.task,
          fromMilestoneId: ids.milestone,
          toMilestoneId: ids.otherMilestone,
        }),
        template(ids.template, ids.task),
        template(ids.otherPmt, ids.unknown),
        v2('ProjectTaskTemplateDueDateChanged', {
          projectId: ids.project,
          templateId: ids.template,
          dueDate: '2026-03-01',
        }),
        v2('ProjectTaskTemplateRemoved', { projectId: ids.project, templateId: ids.otherPmt }),
      ]);
      expect(rows.project_milestone_tasks).toEqual([
        {
          id: ids.template,
          project_id: ids.project,
          milestone_id: ids.otherMilestone,
          task_id: ids.task,
          due_date: '2026-03-01',
        },
      ]);
    });

    it('an override cleared in V2: the instance follows its PMT again', () => {
      const rows = rowsOf([
        ...v1Instance,
        v1('SupplierTaskDueDateOverridden', { ...instanceRef(), dueDate: '2025-06-20' }),
        v2('SupplierTaskDueDateOverrideCleared', instanceRef()),
      ]);
      expect(rows.supplier_task_instances).toEqual([instance]);
    });

    it('V2 instances, status changes and notes', () => {
      const rows = rowsOf([
        ...v1Instance.slice(0, -1),
        v2('SupplierTaskInstanceCreated', {
          ...instanceRef(),
          templateId: ids.pmt,
          taskId: ids.task,
        }),
        v2('SupplierTaskStatusChanged', {
          ...instanceRef(),
          from: 'NOT_STARTED',
          to: 'IN_PROGRESS',
        }),
        v2('SupplierTaskNoteAdded', { ...instanceRef(), noteId: ids.note, text: 'n', author: 'a' }),
      ]);
      expect(rows.supplier_task_instances).toEqual([
        { ...instance, status: 'IN_PROGRESS', notes_count: 1 },
      ]);
    });

    it('V2-only changes legacy readers have no place for change nothing', () => {
      expect(
        rowsOf([
          v2('ProjectRenamed', { projectId: ids.project, name: 'P2' }),
          v2('TaskTypeRenamed', { taskTypeId: ids.taskType, name: 'X' }),
          v2('TaskTypeCategoryChanged', { taskTypeId: ids.taskType, category: 'NMR' }),
          v2('SomethingAddedLater', {}),
        ]),
      ).toEqual({});
    });
  });

  it('the rows do not depend on how the log is cut into batches', () => {
    const events = logOf(
      [
        ...v1Instance,
        v1('MilestoneRenamed', { taskTypeId: ids.taskType, milestoneId: ids.milestone, name: 'M' }),
        v1('TaskRenamed', { taskTypeId: ids.taskType, taskId: ids.task, title: 'T' }),
        v1('ProjectMilestoneTaskDueDateChanged', {
          projectId: ids.project,
          projectMilestoneTaskId: ids.pmt,
          dueDate: '2025-09-09',
        }),
        v1('SupplierTaskStatusChanged', { ...instanceRef(), from: 'NOT_STARTED', to: 'COMPLETED' }),
        v1('SupplierTaskDueDateOverridden', { ...instanceRef(), dueDate: '2025-06-20' }),
        v2('SupplierTaskDueDateOverrideCleared', instanceRef()),
        v1('SupplierTaskNoteAdded', { ...instanceRef(), noteId: ids.note, text: 't', author: 'a' }),
      ],
      'raw',
    );
    const whole = projectInBatches(legacyV1V2, events, events.length);
    for (const size of [1, 2, 3, 5]) {
      expect(projectInBatches(legacyV1V2, events, size)).toEqual(whole);
    }
  });
});

import { ids, instanceRef, v1Catalog, v1Instance } from '../../test/support/projection-fixtures';
import { logOf, project, projectInBatches, v1, v2 } from '../../test/support/projection-harness';
import { supplierTasksV1 } from './index';

const at = (minute: number) => new Date(Date.UTC(2025, 4, 5, 8, minute)).toISOString();
const rowsOf = (entries: Parameters<typeof project>[1]) => project(supplierTasksV1, entries);

describe('supplier_tasks v1 handlers: given upcast events, when applied, then rows', () => {
  describe('suppliers and projects', () => {
    it('SupplierRegistered then SupplierRenamed: one supplier with the new name', () => {
      const rows = rowsOf([
        v1('SupplierRegistered', { supplierId: ids.supplier, code: 'SUP-1', name: 'Acme GmbH' }),
        v1('SupplierRenamed', { supplierId: ids.supplier, name: 'Acme AG 🏭' }),
      ]);
      expect(rows).toEqual({
        suppliers: [{ id: ids.supplier, code: 'SUP-1', name: 'Acme AG 🏭' }],
      });
    });

    it('ProjectCreated (V1) then ProjectRenamed (V2 only)', () => {
      const rows = rowsOf([
        v1('ProjectCreated', { projectId: ids.project, code: 'PRJ-1', name: 'Brake' }),
        v2('ProjectRenamed', { projectId: ids.project, name: 'מכלול בלמים "B"' }),
      ]);
      expect(rows).toEqual({
        projects: [{ id: ids.project, code: 'PRJ-1', name: 'מכלול בלמים "B"' }],
      });
    });
  });

  describe('task types, sections and tasks', () => {
    it.each([
      ['Part Approval', 'PART_APPROVAL'],
      ['pArT aPpRoVaL (legacy)', 'PART_APPROVAL'],
      ['NMR checks', 'NMR'],
      ['Tooling', 'UNCLASSIFIED'],
    ])('a V1 TaskTypeCreated named %p gets category %s', (name, category) => {
      const rows = rowsOf([v1('TaskTypeCreated', { taskTypeId: ids.taskType, name })]);
      expect(rows).toEqual({ task_types: [{ id: ids.taskType, name, category }] });
    });

    it('TaskTypeRenamed and TaskTypeCategoryChanged (V2 only) change the task type', () => {
      const rows = rowsOf([
        v1('TaskTypeCreated', { taskTypeId: ids.taskType, name: 'Tooling' }),
        v2('TaskTypeRenamed', { taskTypeId: ids.taskType, name: 'NMR tooling' }),
        v2('TaskTypeCategoryChanged', { taskTypeId: ids.taskType, category: 'NMR' }),
      ]);
      expect(rows.task_types).toEqual([{ id: ids.taskType, name: 'NMR tooling', category: 'NMR' }]);
    });

    it('MilestoneCreated / MilestoneRenamed: a section with the same id and code, renamed', () => {
      const rows = rowsOf([
        ...v1Catalog.slice(0, 2),
        v1('MilestoneRenamed', {
          taskTypeId: ids.taskType,
          milestoneId: ids.milestone,
          name: 'PA2 – Muster\\"',
        }),
      ]);
      expect(rows.sections).toEqual([
        {
          id: ids.milestone,
          task_type_id: ids.taskType,
          code: 'PA2',
          name: 'PA2 – Muster\\"',
          sort_order: 1,
        },
      ]);
    });

    it('MilestoneDeleted (V1) and TaskTypeSectionDeleted (V2) remove the section', () => {
      const rows = rowsOf([
        ...v1Catalog.slice(0, 3),
        v1('MilestoneDeleted', { taskTypeId: ids.taskType, milestoneId: ids.otherMilestone }),
        v2('TaskTypeSectionCreated', {
          taskTypeId: ids.taskType,
          sectionId: ids.section,
          code: 'PA4',
          name: 'PA4',
          sortOrder: 3,
        }),
        v2('TaskTypeSectionDeleted', { taskTypeId: ids.taskType, sectionId: ids.section }),
      ]);
      expect(rows.sections!.map((s) => s.id)).toEqual([ids.milestone]);
    });

    it('TaskCreated (V1 top level, V2 sub-task), TaskRenamed, TaskMovedToMilestone', () => {
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
        v1('TaskRenamed', { taskTypeId: ids.taskType, taskId: ids.task, title: 'CMM report\n2' }),
        v1('TaskMovedToMilestone', {
          taskTypeId: ids.taskType,
          taskId: ids.task,
          fromMilestoneId: ids.milestone,
          toMilestoneId: ids.otherMilestone,
        }),
        v2('TaskMovedToSection', {
          taskTypeId: ids.taskType,
          taskId: ids.subTask,
          fromSectionId: ids.milestone,
          toSectionId: ids.otherMilestone,
        }),
      ]);
      expect(rows.tasks).toEqual([
        {
          id: ids.task,
          task_type_id: ids.taskType,
          section_id: ids.otherMilestone,
          parent_task_id: null,
          title: 'CMM report\n2',
          sort_order: 1,
        },
        {
          id: ids.subTask,
          task_type_id: ids.taskType,
          section_id: ids.otherMilestone,
          parent_task_id: ids.task,
          title: 'Sub-task',
          sort_order: 1,
        },
      ]);
    });
  });

  describe('templates', () => {
    it('ProjectMilestoneTaskCreated, DueDateChanged: a template with the current due date', () => {
      const rows = rowsOf([
        ...v1Catalog,
        v1('ProjectCreated', { projectId: ids.project, code: 'P', name: 'P' }),
        v1('ProjectMilestoneTaskCreated', {
          projectId: ids.project,
          projectMilestoneTaskId: ids.pmt,
          milestoneId: ids.milestone,
          taskId: ids.task,
          dueDate: '2025-06-15',
        }),
        v1('ProjectMilestoneTaskDueDateChanged', {
          projectId: ids.project,
          projectMilestoneTaskId: ids.pmt,
          dueDate: '2025-07-01',
        }),
      ]);
      expect(rows.templates).toEqual([
        {
          id: ids.pmt,
          project_id: ids.project,
          task_type_id: null,
          task_id: ids.task,
          due_date: '2025-07-01',
        },
      ]);
    });

    it('ProjectMilestoneTaskRemoved removes it; a V2 template keeps its task type', () => {
      const rows = rowsOf([
        v1('ProjectMilestoneTaskCreated', {
          projectId: ids.project,
          projectMilestoneTaskId: ids.pmt,
          milestoneId: ids.milestone,
          taskId: ids.task,
          dueDate: '2025-06-15',
        }),
        v2('ProjectTaskTemplateCreated', {
          projectId: ids.project,
          templateId: ids.template,
          taskTypeId: ids.taskType,
          taskId: ids.task,
          dueDate: '2026-01-31',
        }),
        v1('ProjectMilestoneTaskRemoved', {
          projectId: ids.project,
          projectMilestoneTaskId: ids.pmt,
        }),
      ]);
      expect(rows.templates).toEqual([
        {
          id: ids.template,
          project_id: ids.project,
          task_type_id: ids.taskType,
          task_id: ids.task,
          due_date: '2026-01-31',
        },
      ]);
    });
  });

  describe('supplier projects and task instances', () => {
    it('SupplierTaskInstanceCreated: supplier and project from its supplier project, NOT_STARTED', () => {
      const rows = rowsOf(v1Instance);
      expect(rows.supplier_projects).toEqual([
        { id: ids.supplierProject, supplier_id: ids.supplier, project_id: ids.project },
      ]);
      const created = at(v1Instance.length);
      expect(rows.task_instances).toEqual([
        {
          id: ids.instance,
          supplier_project_id: ids.supplierProject,
          supplier_id: ids.supplier,
          project_id: ids.project,
          template_id: ids.pmt,
          task_id: null,
          status: 'NOT_STARTED',
          due_date_override: null,
          notes_count: 0,
          created_at: created,
          completed_at: null,
          status_changed_at: created,
        },
      ]);
    });

    it('a V2 SupplierTaskInstanceCreated records its task', () => {
      const rows = rowsOf([
        ...v1Instance.slice(0, -1),
        v2('SupplierTaskInstanceCreated', {
          ...instanceRef(),
          templateId: ids.pmt,
          taskId: ids.task,
        }),
      ]);
      expect(rows.task_instances![0]).toMatchObject({ template_id: ids.pmt, task_id: ids.task });
    });

    it('SupplierTaskInstanceCreated for an unknown supplier project throws', () => {
      const [event] = logOf([
        v1('SupplierTaskInstanceCreated', { ...instanceRef(), projectMilestoneTaskId: ids.pmt }),
      ]);
      expect(() => projectInBatches(supplierTasksV1, [event!], 1)).toThrow(
        `supplier project ${ids.supplierProject} does not exist`,
      );
    });

    it('SupplierTaskStatusChanged: status, business times, history; reopening clears completedAt', () => {
      const n = v1Instance.length;
      const change = (from: string, to: string) =>
        v1('SupplierTaskStatusChanged', { ...instanceRef(), from, to });
      const rows = rowsOf([
        ...v1Instance,
        change('NOT_STARTED', 'IN_PROGRESS'),
        change('IN_PROGRESS', 'COMPLETED'),
      ]);
      expect(rows.task_instances![0]).toMatchObject({
        status: 'COMPLETED',
        completed_at: at(n + 2),
        status_changed_at: at(n + 2),
      });
      expect(rows.status_history!.map((h) => [h.from_status, h.to_status, h.occurred_at])).toEqual([
        ['NOT_STARTED', 'IN_PROGRESS', at(n + 1)],
        ['IN_PROGRESS', 'COMPLETED', at(n + 2)],
      ]);
      expect(rows.status_history![0]).toMatchObject({ task_instance_id: ids.instance });

      const reopened = rowsOf([
        ...v1Instance,
        change('NOT_STARTED', 'COMPLETED'),
        change('COMPLETED', 'IN_PROGRESS'),
      ]);
      expect(reopened.task_instances![0]).toMatchObject({
        status: 'IN_PROGRESS',
        completed_at: null,
        status_changed_at: at(n + 2),
      });
      expect(reopened.status_history).toHaveLength(2);
    });

    it('SupplierTaskDueDateOverridden, then SupplierTaskDueDateOverrideCleared (V2 only)', () => {
      const overridden = rowsOf([
        ...v1Instance,
        v1('SupplierTaskDueDateOverridden', { ...instanceRef(), dueDate: '2025-06-20' }),
      ]);
      expect(overridden.task_instances![0]).toMatchObject({ due_date_override: '2025-06-20' });
      const cleared = rowsOf([
        ...v1Instance,
        v1('SupplierTaskDueDateOverridden', { ...instanceRef(), dueDate: '2025-06-20' }),
        v2('SupplierTaskDueDateOverrideCleared', instanceRef()),
      ]);
      expect(cleared.task_instances![0]).toMatchObject({ due_date_override: null });
    });

    it('SupplierTaskNoteAdded: a note with text, author and business time; the count follows', () => {
      const n = v1Instance.length;
      const note = (noteId: string, text: string) =>
        v1('SupplierTaskNoteAdded', { ...instanceRef(), noteId, text, author: 'j.keller' });
      const rows = rowsOf([
        ...v1Instance,
        note(ids.note, 'line 1\nline 2 \\ "quoted" 👍'),
        note(ids.otherNote, 'مرحبا'),
      ]);
      expect(rows.notes).toEqual([
        {
          id: ids.note,
          task_instance_id: ids.instance,
          text: 'line 1\nline 2 \\ "quoted" 👍',
          author: 'j.keller',
          occurred_at: at(n + 1),
        },
        {
          id: ids.otherNote,
          task_instance_id: ids.instance,
          text: 'مرحبا',
          author: 'j.keller',
          occurred_at: at(n + 2),
        },
      ]);
      expect(rows.task_instances![0]).toMatchObject({ notes_count: 2 });
    });

    it.each([
      ['SupplierTaskNoteAdded', { noteId: ids.note, text: 'x', author: 'y' }],
      ['SupplierTaskStatusChanged', { from: 'NOT_STARTED', to: 'IN_PROGRESS' }],
      ['SupplierTaskDueDateOverridden', { dueDate: '2025-01-01' }],
    ])('%s for an unknown instance throws', (type, data) => {
      const events = logOf([v1(type, { ...instanceRef(ids.unknown), ...data })]);
      expect(() => projectInBatches(supplierTasksV1, events, 1)).toThrow(ids.unknown);
    });
  });

  it('an event type this version does not know changes nothing', () => {
    expect(rowsOf([v2('SomethingAddedLater', { foo: 1 })])).toEqual({});
  });

  it('the rows do not depend on how the log is cut into batches', () => {
    const entries = [
      ...v1Instance,
      v1('SupplierTaskStatusChanged', { ...instanceRef(), from: 'NOT_STARTED', to: 'COMPLETED' }),
      v1('SupplierTaskNoteAdded', { ...instanceRef(), noteId: ids.note, text: 't', author: 'a' }),
      v1('SupplierRenamed', { supplierId: ids.supplier, name: 'Renamed' }),
      v1('MilestoneRenamed', { taskTypeId: ids.taskType, milestoneId: ids.milestone, name: 'M' }),
      v1('TaskRenamed', { taskTypeId: ids.taskType, taskId: ids.task, title: 'T' }),
      v1('ProjectMilestoneTaskDueDateChanged', {
        projectId: ids.project,
        projectMilestoneTaskId: ids.pmt,
        dueDate: '2025-09-09',
      }),
    ];
    const events = logOf(entries);
    const whole = projectInBatches(supplierTasksV1, events, events.length);
    for (const size of [1, 2, 3, 5]) {
      expect(projectInBatches(supplierTasksV1, events, size)).toEqual(whole);
    }
  });
});

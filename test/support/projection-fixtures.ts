/** Ids and a small V1 catalog shared by the projection handlers' unit specs. */
import { v1, type LogEntry } from './projection-harness';

const uuid = (n: number) => `0000000${n}`.slice(-8) + '-1111-4111-8111-111111111111';

export const ids = {
  supplier: uuid(1),
  project: uuid(2),
  taskType: uuid(3),
  milestone: uuid(4),
  otherMilestone: uuid(5),
  task: uuid(6),
  otherTask: uuid(7),
  pmt: uuid(8),
  otherPmt: uuid(9),
  supplierProject: uuid(10),
  instance: uuid(11),
  otherInstance: uuid(12),
  note: uuid(13),
  otherNote: uuid(14),
  section: uuid(15),
  subTask: uuid(16),
  template: uuid(17),
  unknown: uuid(99),
} as const;

export const instanceRef = (instance: string = ids.instance) => ({
  supplierProjectInstanceId: ids.supplierProject,
  supplierTaskInstanceId: instance,
});

/** A task type with two milestones and one task in the first (V1). */
export const v1Catalog: LogEntry[] = [
  v1('TaskTypeCreated', { taskTypeId: ids.taskType, name: 'Part Approval' }),
  v1('MilestoneCreated', {
    taskTypeId: ids.taskType,
    milestoneId: ids.milestone,
    code: 'PA2',
    name: 'PA2 - Initial Samples',
    sortOrder: 1,
  }),
  v1('MilestoneCreated', {
    taskTypeId: ids.taskType,
    milestoneId: ids.otherMilestone,
    code: 'PA3',
    name: 'PA3 - Production Approval',
    sortOrder: 2,
  }),
  v1('TaskCreated', {
    taskTypeId: ids.taskType,
    milestoneId: ids.milestone,
    taskId: ids.task,
    title: 'Submit dimensional report',
    sortOrder: 1,
  }),
];

/** The catalog, a supplier, a project with one PMT, and one supplier task instance (V1). */
export const v1Instance: LogEntry[] = [
  v1('SupplierRegistered', { supplierId: ids.supplier, code: 'SUP-1', name: 'Acme' }),
  v1('ProjectCreated', { projectId: ids.project, code: 'PRJ-1', name: 'Brake Caliper' }),
  ...v1Catalog,
  v1('ProjectMilestoneTaskCreated', {
    projectId: ids.project,
    projectMilestoneTaskId: ids.pmt,
    milestoneId: ids.milestone,
    taskId: ids.task,
    dueDate: '2025-06-15',
  }),
  v1('SupplierProjectInstanceCreated', {
    supplierProjectInstanceId: ids.supplierProject,
    supplierId: ids.supplier,
    projectId: ids.project,
  }),
  v1('SupplierTaskInstanceCreated', { ...instanceRef(), projectMilestoneTaskId: ids.pmt }),
];

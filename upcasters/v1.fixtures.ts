/**
 * Sample V1 events for the upcaster tests: one valid payload per V1 type, plus helpers that
 * upcast and fold a stream through a decider. Pure, so it may live beside production code.
 */
import type { Decider, DomainCommand, DomainEvent, Unstamped } from '../src/domain/shared/decider';
import { upcast, type UpcastEvent, type UpcastInput } from './index';
import type { V1EventType } from './v1.events';

export const ids = {
  supplier: 'e3bf3bdb-53ad-5ed2-b8e6-9df6697119ee',
  project: '042120be-d427-586a-8668-16bf75507aa5',
  taskType: 'fe4eb887-d4b4-58de-afaf-c641b82284b9',
  milestone: 'e55d7f3c-f7b1-522d-92fb-53da6cfdaf7f',
  otherMilestone: '0e14a1f5-cecb-52c7-b02b-c99677f58bba',
  task: '06369912-362f-5861-ba43-fed59d05a519',
  pmt: '4e83a8f7-8a0a-55c0-a76b-c943dbcaff15',
  supplierProject: 'b17716e5-e881-509a-9caf-9dfb9dbad646',
  taskInstance: 'b84bf8fe-cda6-56db-a626-e4896ddbbcfa',
  note: '93a98521-57b8-56a5-8f5b-33773362b56b',
} as const;

const taskInstanceRef = {
  supplierProjectInstanceId: ids.supplierProject,
  supplierTaskInstanceId: ids.taskInstance,
};

export const v1Samples: Record<V1EventType, Record<string, unknown>> = {
  SupplierRegistered: { supplierId: ids.supplier, code: 'SUP-0001', name: 'Acme Castings GmbH' },
  SupplierRenamed: { supplierId: ids.supplier, name: 'Acme Castings AG' },
  ProjectCreated: { projectId: ids.project, code: 'PRJ-2026-BC', name: 'MY2026 Brake Caliper' },
  ProjectMilestoneTaskCreated: {
    projectId: ids.project,
    projectMilestoneTaskId: ids.pmt,
    milestoneId: ids.milestone,
    taskId: ids.task,
    dueDate: '2025-06-15',
  },
  ProjectMilestoneTaskDueDateChanged: {
    projectId: ids.project,
    projectMilestoneTaskId: ids.pmt,
    dueDate: '2025-07-01',
  },
  ProjectMilestoneTaskRemoved: { projectId: ids.project, projectMilestoneTaskId: ids.pmt },
  TaskTypeCreated: { taskTypeId: ids.taskType, name: 'Part Approval' },
  MilestoneCreated: {
    taskTypeId: ids.taskType,
    milestoneId: ids.milestone,
    code: 'PA2',
    name: 'PA2 - Initial Samples',
    sortOrder: 1,
  },
  MilestoneRenamed: { taskTypeId: ids.taskType, milestoneId: ids.milestone, name: 'PA2 - Samples' },
  MilestoneDeleted: { taskTypeId: ids.taskType, milestoneId: ids.milestone },
  TaskCreated: {
    taskTypeId: ids.taskType,
    milestoneId: ids.milestone,
    taskId: ids.task,
    title: 'Submit dimensional report',
    sortOrder: 1,
  },
  TaskRenamed: { taskTypeId: ids.taskType, taskId: ids.task, title: 'Submit CMM report' },
  TaskMovedToMilestone: {
    taskTypeId: ids.taskType,
    taskId: ids.task,
    fromMilestoneId: ids.milestone,
    toMilestoneId: ids.otherMilestone,
  },
  SupplierProjectInstanceCreated: {
    supplierProjectInstanceId: ids.supplierProject,
    supplierId: ids.supplier,
    projectId: ids.project,
  },
  SupplierTaskInstanceCreated: { ...taskInstanceRef, projectMilestoneTaskId: ids.pmt },
  SupplierTaskStatusChanged: { ...taskInstanceRef, from: 'NOT_STARTED', to: 'COMPLETED' },
  SupplierTaskDueDateOverridden: { ...taskInstanceRef, dueDate: '2025-06-20' },
  SupplierTaskNoteAdded: {
    ...taskInstanceRef,
    noteId: ids.note,
    text: 'Dimensional report uploaded.',
    author: 'j.keller@acme.example',
  },
};

export const legacyMetadata = {
  occurredAt: '2025-05-05T08:10:00.000Z',
  actor: 'legacy-portal',
  correlationId: 'b18f5c8a-22f2-5bfc-aac8-3fde6ed31268',
  // The portal added fields over time; they must survive.
  portalNode: 'web-2',
};

/** A raw V1 event as the legacy portal wrote it: no schemaVersion. */
export const legacy = (
  type: V1EventType,
  data: Record<string, unknown> = v1Samples[type],
  metadata: Record<string, unknown> = {},
): UpcastInput => ({ type, data, metadata: { ...legacyMetadata, ...metadata } });

/** The single V2 event a one-to-one step makes of a V1 event. */
export const upcastOne = (event: UpcastInput): UpcastEvent => {
  const [only, ...rest] = upcast(event);
  if (only === undefined || rest.length > 0) throw new Error(`${event.type}: expected one event`);
  return only;
};

/** Upcasts a raw stream and folds it through a decider, parsing each event as V2 on the way. */
export const foldUpcast = <C extends DomainCommand, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  events: ReadonlyArray<UpcastInput>,
): S =>
  events
    .flatMap(upcast)
    .map((event) => decider.eventSchema.parse(event))
    // A stamped event is an unstamped one with metadata; TS cannot see it through the generic.
    .reduce<S>(
      (state, event) => decider.evolve(state, event as unknown as Unstamped<E>),
      decider.initialState,
    );

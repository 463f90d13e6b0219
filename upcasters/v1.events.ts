/**
 * The legacy portal's V1 events, frozen (see docs/legacy-v1/EVENTS.md). Never edit a shape
 * here: history already holds them. Objects are loose because the portal added fields over time
 * and every one of them must survive the upcast.
 */
import { z } from 'zod';

const Id = z.guid();
const DueDate = z.iso.date();
const Status = z.enum(['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED']);

export const V1EventMetadataSchema = z.looseObject({
  occurredAt: z.string(),
  actor: z.string(),
  correlationId: z.string().optional(),
  causationId: z.string().optional(),
});

export const V1SupplierRegisteredData = z.looseObject({
  supplierId: Id,
  code: z.string(),
  name: z.string(),
});
export const V1SupplierRenamedData = z.looseObject({ supplierId: Id, name: z.string() });

export const V1ProjectCreatedData = z.looseObject({
  projectId: Id,
  code: z.string(),
  name: z.string(),
});
export const V1ProjectMilestoneTaskCreatedData = z.looseObject({
  projectId: Id,
  projectMilestoneTaskId: Id,
  milestoneId: Id,
  taskId: Id,
  dueDate: DueDate,
});
export const V1ProjectMilestoneTaskDueDateChangedData = z.looseObject({
  projectId: Id,
  projectMilestoneTaskId: Id,
  dueDate: DueDate,
});
export const V1ProjectMilestoneTaskRemovedData = z.looseObject({
  projectId: Id,
  projectMilestoneTaskId: Id,
});

export const V1TaskTypeCreatedData = z.looseObject({ taskTypeId: Id, name: z.string() });
export const V1MilestoneCreatedData = z.looseObject({
  taskTypeId: Id,
  milestoneId: Id,
  code: z.string(),
  name: z.string(),
  sortOrder: z.number(),
});
export const V1MilestoneRenamedData = z.looseObject({
  taskTypeId: Id,
  milestoneId: Id,
  name: z.string(),
});
export const V1MilestoneDeletedData = z.looseObject({ taskTypeId: Id, milestoneId: Id });
export const V1TaskCreatedData = z.looseObject({
  taskTypeId: Id,
  milestoneId: Id,
  taskId: Id,
  title: z.string(),
  sortOrder: z.number(),
});
export const V1TaskRenamedData = z.looseObject({ taskTypeId: Id, taskId: Id, title: z.string() });
export const V1TaskMovedToMilestoneData = z.looseObject({
  taskTypeId: Id,
  taskId: Id,
  fromMilestoneId: Id,
  toMilestoneId: Id,
});

const taskInstanceRef = { supplierProjectInstanceId: Id, supplierTaskInstanceId: Id };
export const V1SupplierProjectInstanceCreatedData = z.looseObject({
  supplierProjectInstanceId: Id,
  supplierId: Id,
  projectId: Id,
});
export const V1SupplierTaskInstanceCreatedData = z.looseObject({
  ...taskInstanceRef,
  projectMilestoneTaskId: Id,
});
export const V1SupplierTaskStatusChangedData = z.looseObject({
  ...taskInstanceRef,
  from: Status,
  to: Status,
});
export const V1SupplierTaskDueDateOverriddenData = z.looseObject({
  ...taskInstanceRef,
  dueDate: DueDate,
});
export const V1SupplierTaskNoteAddedData = z.looseObject({
  ...taskInstanceRef,
  noteId: Id,
  text: z.string(),
  author: z.string(),
});

/** Every V1 event type with its payload schema, by type name. */
export const V1DataSchemas = {
  SupplierRegistered: V1SupplierRegisteredData,
  SupplierRenamed: V1SupplierRenamedData,
  ProjectCreated: V1ProjectCreatedData,
  ProjectMilestoneTaskCreated: V1ProjectMilestoneTaskCreatedData,
  ProjectMilestoneTaskDueDateChanged: V1ProjectMilestoneTaskDueDateChangedData,
  ProjectMilestoneTaskRemoved: V1ProjectMilestoneTaskRemovedData,
  TaskTypeCreated: V1TaskTypeCreatedData,
  MilestoneCreated: V1MilestoneCreatedData,
  MilestoneRenamed: V1MilestoneRenamedData,
  MilestoneDeleted: V1MilestoneDeletedData,
  TaskCreated: V1TaskCreatedData,
  TaskRenamed: V1TaskRenamedData,
  TaskMovedToMilestone: V1TaskMovedToMilestoneData,
  SupplierProjectInstanceCreated: V1SupplierProjectInstanceCreatedData,
  SupplierTaskInstanceCreated: V1SupplierTaskInstanceCreatedData,
  SupplierTaskStatusChanged: V1SupplierTaskStatusChangedData,
  SupplierTaskDueDateOverridden: V1SupplierTaskDueDateOverriddenData,
  SupplierTaskNoteAdded: V1SupplierTaskNoteAddedData,
} as const;

export type V1EventType = keyof typeof V1DataSchemas;
export const V1_EVENT_TYPES = Object.keys(V1DataSchemas) as V1EventType[];

export const isV1EventType = (type: string): type is V1EventType =>
  Object.prototype.hasOwnProperty.call(V1DataSchemas, type);

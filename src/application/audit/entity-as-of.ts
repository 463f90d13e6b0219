import { z } from 'zod';
import { projectDecider } from '../../domain/project/project.decider';
import { PROJECT_STREAM_CATEGORY } from '../../domain/project/project.events';
import {
  streamId,
  type Decider,
  type DomainCommand,
  type DomainEvent,
} from '../../domain/shared/decider';
import { supplierProjectDecider } from '../../domain/supplier-project/supplier-project.decider';
import { SUPPLIER_PROJECT_STREAM_CATEGORY } from '../../domain/supplier-project/supplier-project.events';
import { supplierDecider } from '../../domain/supplier/supplier.decider';
import { SUPPLIER_STREAM_CATEGORY } from '../../domain/supplier/supplier.events';
import { taskTypeDecider } from '../../domain/task-type/task-type.decider';
import { TASK_TYPE_STREAM_CATEGORY } from '../../domain/task-type/task-type.events';
import type { EventStore } from '../../eventstore/event-store.port';
import { upcastStored } from '../../../upcasters';
import { foldStreamAt, type FoldedStream, type Moment } from './stream-fold';

export const ENTITY_KINDS = [
  'supplier',
  'project',
  'task-type',
  'section',
  'task',
  'template',
  'supplier-project',
  'supplier-task-instance',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const EntityAsOfSchema = z.object({
  kind: z.enum(ENTITY_KINDS),
  id: z.string(),
  asOf: z.string().optional().describe('the time asked for, as given'),
  clock: z.enum(['business', 'recorded']).optional(),
  position: z
    .string()
    .describe('of the last event folded (its stream’s; for an instance, of the instance stream)'),
  revision: z.number().int().describe('of the last event folded'),
  streamId: z.string().describe('the stream that holds the entity'),
  state: z.record(z.string(), z.unknown()),
});
export type EntityAsOf = z.infer<typeof EntityAsOfSchema>;

/** The aggregate stream that holds a nested entity, when the caller names it. */
export interface EntityParent {
  taskTypeId?: string;
  projectId?: string;
  supplierProjectInstanceId?: string;
}

type Answer = Omit<EntityAsOf, 'kind' | 'id' | 'asOf' | 'clock'>;

/**
 * The state of one entity at a moment, from its aggregate's stream folded with the domain's
 * `evolve`. Undefined when it did not exist then (or the stream holding it cannot be found).
 */
export async function entityAsOf(
  store: EventStore,
  kind: EntityKind,
  id: string,
  moment: Moment,
  parent: EntityParent = {},
): Promise<Answer | undefined> {
  switch (kind) {
    case 'supplier': {
      const folded = await at(store, supplierDecider, SUPPLIER_STREAM_CATEGORY, id, moment);
      return folded?.state ? answer(folded, SUPPLIER_STREAM_CATEGORY, id, folded.state) : undefined;
    }
    case 'project': {
      const folded = await at(store, projectDecider, PROJECT_STREAM_CATEGORY, id, moment);
      return folded?.state ? answer(folded, PROJECT_STREAM_CATEGORY, id, folded.state) : undefined;
    }
    case 'task-type': {
      const folded = await at(store, taskTypeDecider, TASK_TYPE_STREAM_CATEGORY, id, moment);
      return folded?.state
        ? answer(folded, TASK_TYPE_STREAM_CATEGORY, id, folded.state)
        : undefined;
    }
    case 'supplier-project': {
      const folded = await at(
        store,
        supplierProjectDecider,
        SUPPLIER_PROJECT_STREAM_CATEGORY,
        id,
        moment,
      );
      return folded?.state
        ? answer(folded, SUPPLIER_PROJECT_STREAM_CATEGORY, id, folded.state)
        : undefined;
    }
    case 'section':
    case 'task': {
      const taskTypeId =
        parent.taskTypeId ??
        (await locate(store, kind, id, TASK_TYPE_STREAM_CATEGORY, 'taskTypeId'));
      if (taskTypeId === undefined) return undefined;
      const folded = await at(
        store,
        taskTypeDecider,
        TASK_TYPE_STREAM_CATEGORY,
        taskTypeId,
        moment,
      );
      const taskType = folded?.state;
      if (!folded || !taskType) return undefined;
      const entity = kind === 'section' ? taskType.sections[id] : taskType.tasks[id];
      return entity
        ? answer(folded, TASK_TYPE_STREAM_CATEGORY, taskTypeId, { taskTypeId, ...entity })
        : undefined;
    }
    case 'template': {
      const projectId =
        parent.projectId ?? (await locate(store, kind, id, PROJECT_STREAM_CATEGORY, 'projectId'));
      if (projectId === undefined) return undefined;
      const folded = await at(store, projectDecider, PROJECT_STREAM_CATEGORY, projectId, moment);
      const template = folded?.state?.templates[id];
      return folded && template
        ? answer(folded, PROJECT_STREAM_CATEGORY, projectId, { projectId, ...template })
        : undefined;
    }
    case 'supplier-task-instance':
      return instanceAsOf(store, id, moment, parent);
    default: {
      const unknown: never = kind;
      return unknown;
    }
  }
}

/**
 * An instance as of then: status and override from `evolve`; its notes and status changes from
 * the events folded; its effective due date from its template's state at the same moment.
 */
async function instanceAsOf(
  store: EventStore,
  id: string,
  moment: Moment,
  parent: EntityParent,
): Promise<Answer | undefined> {
  const supplierProjectInstanceId =
    parent.supplierProjectInstanceId ??
    (await locate(
      store,
      'supplier-task-instance',
      id,
      SUPPLIER_PROJECT_STREAM_CATEGORY,
      'supplierProjectInstanceId',
    ));
  if (supplierProjectInstanceId === undefined) return undefined;
  const folded = await at(
    store,
    supplierProjectDecider,
    SUPPLIER_PROJECT_STREAM_CATEGORY,
    supplierProjectInstanceId,
    moment,
  );
  const instance = folded?.state?.tasks[id];
  if (!folded || !folded.state || !instance) return undefined;
  const mine = folded.events.filter((e) => e.data.supplierTaskInstanceId === id);
  const notes = mine
    .filter((e) => e.type === 'SupplierTaskNoteAdded')
    .map((e) => ({
      noteId: e.data.noteId,
      text: e.data.text,
      author: e.data.author,
      occurredAt: e.metadata.occurredAt,
    }));
  const statusHistory = mine
    .filter((e) => e.type === 'SupplierTaskStatusChanged')
    .map((e) => ({
      from: e.data.from,
      to: e.data.to,
      occurredAt: e.metadata.occurredAt,
      actor: e.metadata.actor,
    }));
  const project = await at(
    store,
    projectDecider,
    PROJECT_STREAM_CATEGORY,
    folded.state.projectId,
    moment,
  );
  const templateDueDate = project?.state?.templates[instance.templateId]?.dueDate ?? null;
  const { noteIds: _noteIds, ...status } = instance;
  return answer(folded, SUPPLIER_PROJECT_STREAM_CATEGORY, supplierProjectInstanceId, {
    supplierProjectInstanceId,
    ...status,
    templateDueDate,
    // An override wins over the template's date (the read model's view says the same).
    effectiveDueDate: instance.dueDateOverride ?? templateDueDate,
    notes,
    statusHistory,
  });
}

const at = <C extends DomainCommand, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  category: string,
  id: string,
  moment: Moment,
): Promise<FoldedStream<S> | undefined> =>
  foldStreamAt(store, decider, streamId(category, id), moment);

function answer<S extends object>(
  folded: FoldedStream<unknown>,
  category: string,
  id: string,
  state: S,
): Answer {
  return {
    position: folded.position.toString(),
    revision: folded.revision,
    streamId: streamId(category, id),
    state: state as Record<string, unknown>,
  };
}

/** The event that creates each nested entity, as stored (V1 and V2), and its id field once upcast. */
const CREATED_BY: Record<
  'section' | 'task' | 'template' | 'supplier-task-instance',
  { types: string[]; idField: string }
> = {
  section: { types: ['MilestoneCreated', 'TaskTypeSectionCreated'], idField: 'sectionId' },
  task: { types: ['TaskCreated'], idField: 'taskId' },
  template: {
    types: ['ProjectMilestoneTaskCreated', 'ProjectTaskTemplateCreated'],
    idField: 'templateId',
  },
  'supplier-task-instance': {
    types: ['SupplierTaskInstanceCreated'],
    idField: 'supplierTaskInstanceId',
  },
};

/**
 * The id of the aggregate that holds a nested entity, when the caller did not name it: a read
 * of the category's creation events (by the category index, filtered by type), so naming the
 * parent (`?taskTypeId=` …) is the fast way.
 */
async function locate(
  store: EventStore,
  kind: keyof typeof CREATED_BY,
  id: string,
  category: string,
  parentField: string,
): Promise<string | undefined> {
  const { types, idField } = CREATED_BY[kind];
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000, categories: [category], types });
    for (const stored of page) {
      for (const event of upcastStored(stored)) {
        if (event.data[idField] === id) return String(event.data[parentField]);
      }
    }
    if (page.length < 1000) return undefined;
    after = page.at(-1)!.position;
  }
}

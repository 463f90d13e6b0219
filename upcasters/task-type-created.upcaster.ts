import type { TaskTypeCreated } from '../src/domain/task-type/task-type.events';
import { categoryFromLegacyName } from './legacy-category';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1TaskTypeCreatedData } from './v1.events';

/**
 * V1 TaskTypeCreated → V2 TaskTypeCreated. V1 task types had no category; it is derived from the
 * name by the rule in EVENTS.md.
 */
export const taskTypeCreatedUpcaster = defineV1Step({
  fromType: 'TaskTypeCreated',
  schema: V1TaskTypeCreatedData,
  toV2: (data): V2Of<TaskTypeCreated> => ({
    type: 'TaskTypeCreated',
    data: { ...data, category: categoryFromLegacyName(data.name) },
  }),
});

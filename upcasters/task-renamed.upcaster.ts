import type { TaskRenamed } from '../src/domain/task-type/task-type.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1TaskRenamedData } from './v1.events';

/** V1 TaskRenamed → V2 TaskRenamed: same payload, now at schemaVersion 2. */
export const taskRenamedUpcaster = defineV1Step({
  fromType: 'TaskRenamed',
  schema: V1TaskRenamedData,
  toV2: (data): V2Of<TaskRenamed> => ({ type: 'TaskRenamed', data }),
});

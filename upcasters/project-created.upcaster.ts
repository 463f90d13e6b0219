import type { ProjectCreated } from '../src/domain/project/project.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1ProjectCreatedData } from './v1.events';

/** V1 ProjectCreated → V2 ProjectCreated: same payload, now at schemaVersion 2. */
export const projectCreatedUpcaster = defineV1Step({
  fromType: 'ProjectCreated',
  schema: V1ProjectCreatedData,
  toV2: (data): V2Of<ProjectCreated> => ({ type: 'ProjectCreated', data }),
});

import type { ProjectionDefinition } from './projection-definition';
import { legacyV1V2 } from './legacy_v1';
import {
  supplierTasksV1,
  supplierTasksV2,
  supplierTasksV3,
  supplierTasksV4,
} from './supplier_tasks';

/** Every projection version this build can run. A new version is added here beside the old one. */
export const projectionDefinitions: ProjectionDefinition[] = [
  legacyV1V2,
  supplierTasksV1,
  supplierTasksV2,
  supplierTasksV3,
  supplierTasksV4,
];

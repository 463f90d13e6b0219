import { z } from 'zod';
import { DueDateSchema, IdSchema } from '../domain/shared/schemas';
import { SupplierTaskStatusSchema } from '../domain/supplier-project/supplier-task-status';
import { CursorParamSchema } from './keyset-cursor';

/** The query parameters of the dashboard routes; each route's schema is strict, so a typo is a 400. */

export const PROGRESS_GROUPINGS = [
  'project',
  'supplier',
  'section',
  'category',
  'supplier-project',
] as const;
export type ProgressGrouping = (typeof PROGRESS_GROUPINGS)[number];

export const INSTANCE_STATES = ['active', 'completed', 'overdue', 'due-soon', 'all'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

const limit = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

/** The filters every dashboard shares. */
const filterShape = {
  supplierId: IdSchema.optional().meta({ example: 'e3bf3bdb-53ad-5ed2-b8e6-9df6697119ee' }),
  projectId: IdSchema.optional().meta({ example: '042120be-d427-586a-8668-16bf75507aa5' }),
  sectionId: IdSchema.optional(),
  category: z.string().min(1).optional().meta({ example: 'PART_APPROVAL' }),
  asOf: DueDateSchema.optional().meta({
    description: 'the day counted as today (default: the service clock, UTC)',
    example: '2025-07-01',
  }),
  dueSoonDays: z.coerce.number().int().min(0).max(366).default(14),
};

/** Progress rows per page: enough for a screen, few enough that an answer stays small. */
export const PROGRESS_LIMIT = { default: 100, max: 1000 } as const;

export const ProgressParamsSchema = z.strictObject({
  by: z.enum(PROGRESS_GROUPINGS).meta({ example: 'project' }),
  ...filterShape,
  limit: limit(PROGRESS_LIMIT.default, PROGRESS_LIMIT.max),
  cursor: CursorParamSchema,
});
export type ProgressParams = z.infer<typeof ProgressParamsSchema>;

export const InstancesParamsSchema = z.strictObject({
  state: z.enum(INSTANCE_STATES).default('all').meta({ example: 'overdue' }),
  ...filterShape,
  status: SupplierTaskStatusSchema.optional(),
  limit: limit(50, 500),
  cursor: CursorParamSchema,
});
export type InstancesParams = z.infer<typeof InstancesParamsSchema>;

export const DueWeeksParamsSchema = z.strictObject({
  supplierId: filterShape.supplierId,
  projectId: filterShape.projectId,
  sectionId: filterShape.sectionId,
  category: filterShape.category,
  asOf: filterShape.asOf,
});
export type DueWeeksParams = z.infer<typeof DueWeeksParamsSchema>;

export const ListParamsSchema = z.strictObject({
  limit: limit(100, 500),
  cursor: CursorParamSchema,
});
export type ListParams = z.infer<typeof ListParamsSchema>;

export const InstanceIdSchema = IdSchema;

/** The filters as the queries take them: `asOf` resolved, so a query never reads a clock. */
export type DashboardFilters = Pick<
  ProgressParams,
  'supplierId' | 'projectId' | 'sectionId' | 'category'
>;

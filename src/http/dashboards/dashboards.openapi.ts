import { z } from 'zod';
import {
  DueWeeksParamsSchema,
  InstancesParamsSchema,
  ListParamsSchema,
  PROGRESS_LIMIT,
  ProgressParamsSchema,
} from '../../dashboards/dashboard-params';
import { ErrorBodySchema, ValidationErrorBodySchema } from '../errors/error-response';

type JsonSchema = Record<string, unknown>;

/** The definitions every dashboard answer counts by. */
const DEFINITIONS = [
  'Definitions: **active** = status not `COMPLETED`; **overdue** = active and `dueDate < asOf`;',
  '**due soon** = active and `asOf ≤ dueDate ≤ asOf + dueSoonDays`. An instance’s due date is its',
  'override, else its template’s current due date; its section is its task’s current section; its',
  'category is its task type’s. `asOf` defaults to today (UTC) by the service clock.',
  'With no live `supplier_tasks` read model the answer is 409 naming the command to run.',
].join(' ');

const Count = z.number().int().min(0);
const ProgressRowSchema = z.object({
  key: z.string().describe('the id of the group (the category itself for by=category)'),
  label: z.string().describe('its current name (the category code for by=category)'),
  total: Count,
  notStarted: Count,
  inProgress: Count,
  completed: Count,
  overdue: Count,
  dueSoon: Count,
});
const ProgressAnswerSchema = z.object({
  asOf: z.string(),
  by: ProgressParamsSchema.shape.by,
  dueSoonDays: z.number().int(),
  rows: z.array(ProgressRowSchema),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null at the end'),
});
const PROGRESS_PAGING = [
  `Rows come in pages of \`limit\` (default ${PROGRESS_LIMIT.default}, at most ${PROGRESS_LIMIT.max});`,
  'pass `nextCursor` as `cursor` for the next page. by=supplier and by=supplier-project (a row per',
  'supplier) are ordered by `key`, and a page may hold fewer rows than `limit` when a section or',
  'category filter leaves a supplier without instances; the other groupings by `label`, then `key`.',
].join(' ');
const DueWeeksAnswerSchema = z.object({
  asOf: z.string(),
  weeks: z.array(
    z.object({
      week: z.string().describe('the Monday of the ISO week'),
      overdue: Count.describe('open instances due that week before asOf'),
      notYetDue: Count.describe('open instances due that week on or after asOf'),
    }),
  ),
  withoutDueDate: Count.describe('open instances with no due date'),
});
const InstanceItemSchema = z.object({
  id: z.string(),
  supplierId: z.string(),
  projectId: z.string(),
  templateId: z.string(),
  taskId: z.string().nullable(),
  sectionId: z.string().nullable(),
  category: z.string().nullable(),
  status: z.enum(['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED']),
  dueDate: z.string().nullable(),
  dueDateOverridden: z.boolean(),
  notes: Count.describe('how many notes; the instance route lists them'),
});
const Page = (item: z.ZodType) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('pass as cursor for the next page; null at the end'),
  });
const EntrySchema = z.object({ id: z.string(), code: z.string(), name: z.string() });
const TaskNodeSchema: z.ZodType = z.object({
  id: z.string(),
  title: z.string(),
  sortOrder: z.number(),
  get subTasks() {
    return z.array(TaskNodeSchema);
  },
});
const TaskTypeTreeSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  sections: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      sortOrder: z.number(),
      tasks: z.array(TaskNodeSchema),
    }),
  ),
});
const InstanceDetailSchema = InstanceItemSchema.extend({
  supplierProjectId: z.string(),
  templateDueDate: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  notes: z.array(
    z.object({ id: z.string(), text: z.string(), author: z.string(), occurredAt: z.string() }),
  ),
  statusHistory: z.array(
    z.object({ id: z.string(), from: z.string(), to: z.string(), occurredAt: z.string() }),
  ),
});
const LagSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  position: z.string().describe('the last log position the live read model applied'),
  headPosition: z.string(),
  lag: z.string().describe('events of the log not reflected yet'),
});

// The seed history (test/fixtures/legacy-v1) migrated, as of 2025-07-01.
const PROJECT = '042120be-d427-586a-8668-16bf75507aa5';
const SUPPLIER = 'e3bf3bdb-53ad-5ed2-b8e6-9df6697119ee';
const INSTANCE = {
  id: 'babe1f08-fe7b-5278-a91a-29a067635ed4',
  supplierId: SUPPLIER,
  projectId: PROJECT,
  templateId: 'e3e78087-5f3e-5ca7-ad19-cac0a43e8724',
  taskId: 'ed11b6f9-b141-5996-aeed-1f6a7d7ce7ed',
  sectionId: '0e14a1f5-cecb-52c7-b02b-c99677f58bba',
  category: 'PART_APPROVAL',
  status: 'IN_PROGRESS',
  dueDate: '2025-08-29',
  dueDateOverridden: false,
  notes: 1,
};

const queryParameters = (schema: z.ZodObject, toJson: (s: z.ZodType) => JsonSchema) =>
  Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: 'query',
    required: !field.safeParse(undefined).success,
    schema: toJson(field),
  }));

/** The managers' routes for the OpenAPI document; `toJson` is the document's schema converter. */
export function dashboardPaths(
  toJson: (schema: z.ZodType) => JsonSchema,
): Record<string, JsonSchema> {
  const json = (description: string, schema: z.ZodType, example: unknown) => ({
    description,
    content: { 'application/json': { schema: toJson(schema), example } },
  });
  const errors = {
    '400': {
      description: 'a bad parameter, named in issues (in: query) with the reason',
      content: { 'application/json': { schema: toJson(ValidationErrorBodySchema) } },
    },
    '409': {
      description: 'no live read model: the message names the command to run',
      content: {
        'application/json': {
          schema: toJson(ErrorBodySchema),
          example: {
            error: 'NO_LIVE_READ_MODEL',
            code: 'READ_MODEL.NOT_LIVE',
            message: 'no live supplier_tasks read model: run `supplier-tasks migrate`',
          },
        },
      },
    },
  };
  const get = (operationId: string, summary: string, rest: JsonSchema) => ({
    get: { operationId, tags: ['dashboards'], summary, description: DEFINITIONS, ...rest },
  });
  const list = (schema: z.ZodType, example: unknown) => ({
    parameters: queryParameters(ListParamsSchema, toJson),
    responses: { '200': json('a page, keyset paged', Page(schema), example), ...errors },
  });
  return {
    '/dashboards/progress': get(
      'DashboardProgress',
      'Progress per project, supplier, section, category or supplier project',
      {
        description: `${DEFINITIONS} ${PROGRESS_PAGING}`,
        parameters: queryParameters(ProgressParamsSchema, toJson),
        responses: {
          '200': json('one row per group, a page at a time', ProgressAnswerSchema, {
            asOf: '2025-07-01',
            by: 'project',
            dueSoonDays: 14,
            nextCursor: null,
            rows: [
              {
                key: PROJECT,
                label: 'MY2026 Brake Caliper',
                total: 4,
                notStarted: 1,
                inProgress: 1,
                completed: 2,
                overdue: 0,
                dueSoon: 0,
              },
            ],
          }),
          ...errors,
        },
      },
    ),
    '/dashboards/instances': get(
      'DashboardInstances',
      'Task instances in a state, by (due date, id), those without a due date last',
      {
        parameters: queryParameters(InstancesParamsSchema, toJson),
        responses: {
          '200': json('a page of instances', Page(InstanceItemSchema), {
            items: [INSTANCE],
            nextCursor: null,
          }),
          ...errors,
        },
      },
    ),
    '/dashboards/due-weeks': get(
      'DashboardDueWeeks',
      'Open instances per due week (ISO weeks, by their Monday), the overdue ones apart',
      {
        parameters: queryParameters(DueWeeksParamsSchema, toJson),
        responses: {
          '200': json(
            'one entry per week with open instances, oldest first',
            DueWeeksAnswerSchema,
            {
              asOf: '2025-07-01',
              weeks: [{ week: '2025-08-25', overdue: 0, notYetDue: 1 }],
              withoutDueDate: 0,
            },
          ),
          ...errors,
        },
      },
    ),
    '/dashboards/lag': get('DashboardLag', 'How far the live read model is behind the log', {
      responses: {
        '200': json('the live version and its distance from the head', LagSchema, {
          name: 'supplier_tasks',
          version: 2,
          position: '26',
          headPosition: '26',
          lag: '0',
        }),
        '409': errors['409'],
      },
    }),
    '/suppliers': get(
      'ListSuppliers',
      'Suppliers by code',
      list(EntrySchema, {
        items: [{ id: SUPPLIER, code: 'SUP-0001', name: 'Acme Castings GmbH' }],
        nextCursor: null,
      }),
    ),
    '/projects': get(
      'ListProjects',
      'Projects by code',
      list(EntrySchema, {
        items: [{ id: PROJECT, code: 'PRJ-2026-BC', name: 'MY2026 Brake Caliper' }],
        nextCursor: null,
      }),
    ),
    '/task-types': get(
      'ListTaskTypes',
      'Task types by name, each with its sections and tasks (sub-tasks under their parent)',
      list(TaskTypeTreeSchema, {
        items: [
          {
            id: 'fe4eb887-d4b4-58de-afaf-c641b82284b9',
            name: 'Part Approval',
            category: 'PART_APPROVAL',
            sections: [
              {
                id: INSTANCE.sectionId,
                code: 'PA3',
                name: 'PA3 - Production Approval',
                sortOrder: 2,
                tasks: [
                  { id: INSTANCE.taskId, title: 'Run-at-rate trial', sortOrder: 1, subTasks: [] },
                ],
              },
            ],
          },
        ],
        nextCursor: null,
      }),
    ),
    '/supplier-task-instances/{id}': get(
      'SupplierTaskInstance',
      'One task instance with its notes and status history',
      {
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string', format: 'uuid' },
            example: INSTANCE.id,
          },
        ],
        responses: {
          '200': json('the instance', InstanceDetailSchema, {
            ...INSTANCE,
            supplierProjectId: 'b17716e5-e881-509a-9caf-9dfb9dbad646',
            templateDueDate: '2025-08-29',
            createdAt: '2025-05-05T10:50:00.000Z',
            completedAt: null,
            notes: [
              {
                id: '69288db9-1796-58ee-821d-afb6317b9021',
                text: 'Trial booked for week 34; waiting on tooling release.',
                author: 'j.keller@acme.example',
                occurredAt: '2025-05-05T12:20:00.000Z',
              },
            ],
            statusHistory: [
              {
                id: 'a1a7f0c2-0000-5000-8000-000000000000',
                from: 'NOT_STARTED',
                to: 'IN_PROGRESS',
                occurredAt: '2025-05-05T11:50:00.000Z',
              },
            ],
          }),
          '404': {
            description: 'no such instance',
            content: { 'application/json': { schema: toJson(ErrorBodySchema) } },
          },
          ...errors,
        },
      },
    ),
  };
}

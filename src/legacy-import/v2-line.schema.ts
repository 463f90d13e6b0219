import { z } from 'zod';
import {
  ClaimsBackfillEventSchema,
  CLAIMS_BACKFILL_STREAM_CATEGORY,
} from '../domain/reservation/claims-backfill.events';
import {
  RESERVATION_KINDS,
  ReservationEventSchema,
} from '../domain/reservation/reservation.events';
import {
  TemplateReferencesEventSchema,
  TEMPLATE_REFERENCES_STREAM_CATEGORY,
} from '../domain/template-references/template-references.events';
import { ProjectEventSchema, PROJECT_STREAM_CATEGORY } from '../domain/project/project.events';
import {
  SupplierProjectEventSchema,
  SUPPLIER_PROJECT_STREAM_CATEGORY,
} from '../domain/supplier-project/supplier-project.events';
import { SupplierEventSchema, SUPPLIER_STREAM_CATEGORY } from '../domain/supplier/supplier.events';
import {
  TaskTypeEventSchema,
  TASK_TYPE_STREAM_CATEGORY,
} from '../domain/task-type/task-type.events';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * Each category's V2 events, as the domain that writes them defines them, and the ids of its
 * streams. The claim streams (reservations, template references, the backfill's position) are
 * part of the log too: a restore gives them back as they were.
 */
const CATEGORIES: Record<string, { events: z.ZodType; id: string }> = {
  [SUPPLIER_STREAM_CATEGORY]: { events: SupplierEventSchema, id: UUID },
  [PROJECT_STREAM_CATEGORY]: { events: ProjectEventSchema, id: UUID },
  [TASK_TYPE_STREAM_CATEGORY]: { events: TaskTypeEventSchema, id: UUID },
  [SUPPLIER_PROJECT_STREAM_CATEGORY]: { events: SupplierProjectEventSchema, id: UUID },
  // A code, as encodeURIComponent writes it.
  [RESERVATION_KINDS.supplierCode.category]: {
    events: ReservationEventSchema,
    id: "[\\w.!~*'()%-]+",
  },
  [RESERVATION_KINDS.projectCode.category]: {
    events: ReservationEventSchema,
    id: "[\\w.!~*'()%-]+",
  },
  [RESERVATION_KINDS.supplierAssignment.category]: {
    events: ReservationEventSchema,
    id: `${UUID}_${UUID}`,
  },
  [TEMPLATE_REFERENCES_STREAM_CATEGORY]: { events: TemplateReferencesEventSchema, id: UUID },
  [CLAIMS_BACKFILL_STREAM_CATEGORY]: { events: ClaimsBackfillEventSchema, id: 'log' },
};

const STREAM_ID = new RegExp(
  `^(?:${Object.entries(CATEGORIES)
    .map(([category, { id }]) => `${category}-${id}`)
    .join('|')})$`,
);

/**
 * One V2 line of an export: the legacy envelope with the event's `schemaVersion`. The event is
 * checked against the domain's own schema for its stream's category; what is stored is the line's
 * own `data` and `metadata`, unchanged, so a restore gives back the same bytes.
 */
export const v2LineSchema = z
  .looseObject({
    streamId: z
      .string()
      .regex(
        STREAM_ID,
        'must be <supplier|project|tasktype|supplierproject>-<lowercase uuid>, or a claim stream',
      ),
    eventId: z.uuid('must be a uuid'),
    type: z.string().min(1),
    schemaVersion: z.number().int().min(2),
    data: z.record(z.string(), z.unknown()),
    metadata: z.looseObject({
      occurredAt: z.iso.datetime({ message: 'must be an ISO-8601 UTC date-time' }),
      actor: z.string(),
      correlationId: z.string().optional(),
      causationId: z.string().optional(),
    }),
  })
  .superRefine((line, ctx) => {
    const category = CATEGORIES[line.streamId.slice(0, line.streamId.indexOf('-'))];
    // An unknown category is refused by the stream id's pattern already.
    if (category === undefined) return;
    const parsed = category.events.safeParse({
      type: line.type,
      schemaVersion: line.schemaVersion,
      data: line.data,
      metadata: line.metadata,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path });
    }
  });

export type V2Line = z.infer<typeof v2LineSchema>;

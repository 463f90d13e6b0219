import { z } from 'zod';
import { IdSchema, v2EventSchema } from '../shared/schemas';

/**
 * The supplier task instances made from one project task template, in a stream of their own
 * (`templatereferences-<templateId>`): instances live in every supplier project stream of the
 * project, so this is where a removal learns whether any references the template. Not in the
 * V2 union projections handle: read models never see it.
 */
export const TEMPLATE_REFERENCES_STREAM_CATEGORY = 'templatereferences';

const InstanceRef = {
  templateId: IdSchema,
  supplierProjectInstanceId: IdSchema,
  supplierTaskInstanceId: IdSchema,
};

export const TemplateReferencedSchema = v2EventSchema('TemplateReferenced', z.object(InstanceRef));
/** The compensation of an instance refused after its reference was recorded. */
export const TemplateReferenceReleasedSchema = v2EventSchema(
  'TemplateReferenceReleased',
  z.object(InstanceRef),
);
/** A removal is under way: no new reference is taken. */
export const TemplateReferencesClosedSchema = v2EventSchema(
  'TemplateReferencesClosed',
  z.object({ templateId: IdSchema }),
);
/** The compensation of a removal refused after it closed the references. */
export const TemplateReferencesReopenedSchema = v2EventSchema(
  'TemplateReferencesReopened',
  z.object({ templateId: IdSchema }),
);

export const TemplateReferencesEventSchema = z.discriminatedUnion('type', [
  TemplateReferencedSchema,
  TemplateReferenceReleasedSchema,
  TemplateReferencesClosedSchema,
  TemplateReferencesReopenedSchema,
]);
export type TemplateReferencesEvent = z.infer<typeof TemplateReferencesEventSchema>;
export const TEMPLATE_REFERENCES_EVENT_TYPES = TemplateReferencesEventSchema.options.map(
  (o) => o.shape.type.value,
);

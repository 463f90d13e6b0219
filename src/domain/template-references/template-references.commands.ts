import { z } from 'zod';
import { commandSchema, IdSchema } from '../shared/schemas';

const InstanceRefSchema = z.object({
  templateId: IdSchema,
  supplierProjectInstanceId: IdSchema,
  supplierTaskInstanceId: IdSchema,
});
const TemplateSchema = z.object({ templateId: IdSchema });

export const ReferenceTemplateCommandSchema = commandSchema('ReferenceTemplate', InstanceRefSchema);
export const ReleaseTemplateReferenceCommandSchema = commandSchema(
  'ReleaseTemplateReference',
  InstanceRefSchema,
);
/**
 * `releasing`: instances the caller found dead (never created); their references are released
 * in the same append as the closing, if they still hold them when the command is decided.
 */
export const CloseTemplateReferencesCommandSchema = commandSchema(
  'CloseTemplateReferences',
  TemplateSchema.extend({ releasing: z.array(IdSchema).optional() }),
);
export const ReopenTemplateReferencesCommandSchema = commandSchema(
  'ReopenTemplateReferences',
  TemplateSchema,
);
export const TemplateReferencesCommandSchema = z.discriminatedUnion('type', [
  ReferenceTemplateCommandSchema,
  ReleaseTemplateReferenceCommandSchema,
  CloseTemplateReferencesCommandSchema,
  ReopenTemplateReferencesCommandSchema,
]);
export type TemplateReferencesCommand = z.infer<typeof TemplateReferencesCommandSchema>;

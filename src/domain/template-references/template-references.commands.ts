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
export const CloseTemplateReferencesCommandSchema = commandSchema(
  'CloseTemplateReferences',
  TemplateSchema,
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

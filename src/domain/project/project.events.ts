import { z } from 'zod';
import { DueDateSchema, IdSchema, v2EventSchema } from '../shared/schemas';

export const PROJECT_STREAM_CATEGORY = 'project';

export const ProjectCreatedSchema = v2EventSchema(
  'ProjectCreated',
  z.object({ projectId: IdSchema, code: z.string(), name: z.string() }),
);
export const ProjectRenamedSchema = v2EventSchema(
  'ProjectRenamed',
  z.object({ projectId: IdSchema, name: z.string() }),
);
export const ProjectTaskTemplateCreatedSchema = v2EventSchema(
  'ProjectTaskTemplateCreated',
  z.object({
    projectId: IdSchema,
    templateId: IdSchema,
    // null for templates upcast from V1: ProjectMilestoneTaskCreated never recorded the task
    // type, and task ids are unique across task types, so readers resolve it through taskId.
    taskTypeId: IdSchema.nullable(),
    taskId: IdSchema,
    dueDate: DueDateSchema,
    // The V1 milestone the task sat in when the template was made; audit only.
    legacyMilestoneId: IdSchema.optional(),
  }),
);
export const ProjectTaskTemplateDueDateChangedSchema = v2EventSchema(
  'ProjectTaskTemplateDueDateChanged',
  z.object({ projectId: IdSchema, templateId: IdSchema, dueDate: DueDateSchema }),
);
export const ProjectTaskTemplateRemovedSchema = v2EventSchema(
  'ProjectTaskTemplateRemoved',
  z.object({ projectId: IdSchema, templateId: IdSchema }),
);

export const ProjectEventSchema = z.discriminatedUnion('type', [
  ProjectCreatedSchema,
  ProjectRenamedSchema,
  ProjectTaskTemplateCreatedSchema,
  ProjectTaskTemplateDueDateChangedSchema,
  ProjectTaskTemplateRemovedSchema,
]);

export type ProjectCreated = z.infer<typeof ProjectCreatedSchema>;
export type ProjectRenamed = z.infer<typeof ProjectRenamedSchema>;
export type ProjectTaskTemplateCreated = z.infer<typeof ProjectTaskTemplateCreatedSchema>;
export type ProjectTaskTemplateDueDateChanged = z.infer<
  typeof ProjectTaskTemplateDueDateChangedSchema
>;
export type ProjectTaskTemplateRemoved = z.infer<typeof ProjectTaskTemplateRemovedSchema>;
export type ProjectEvent = z.infer<typeof ProjectEventSchema>;
export const PROJECT_EVENT_TYPES = ProjectEventSchema.options.map((o) => o.shape.type.value);

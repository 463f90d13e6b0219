import { DeciderSpecification } from '../shared/decider-specification';
import type { ProjectCommand } from './project.commands';
import { CreateProjectTaskTemplatePayloadSchema } from './project.commands';
import { findTemplate, projectDecider } from './project.decider';
import type { ProjectEvent } from './project.events';
import type { Unstamped } from '../shared/decider';

const projectId = '22222222-2222-4222-8222-222222222222';
const templateId = '33333333-3333-4333-8333-333333333333';
const taskTypeId = '44444444-4444-4444-8444-444444444444';
const taskId = '55555555-5555-4555-8555-555555555555';
const metadata = { occurredAt: '2026-01-05T08:00:00.000Z', actor: 'planner@example.com' };
const spec = DeciderSpecification.for(projectDecider);

const cmd = <T extends ProjectCommand['type']>(
  type: T,
  data: Extract<ProjectCommand, { type: T }>['data'],
): ProjectCommand => ({ type, data, metadata }) as ProjectCommand;

const created: Unstamped<ProjectEvent> = {
  type: 'ProjectCreated',
  schemaVersion: 2,
  data: { projectId, code: 'PRJ-1', name: 'Brake caliper' },
};
const templateCreated: Unstamped<ProjectEvent> = {
  type: 'ProjectTaskTemplateCreated',
  schemaVersion: 2,
  data: { projectId, templateId, taskTypeId, taskId, dueDate: '2026-06-15' },
};
const templateRemoved: Unstamped<ProjectEvent> = {
  type: 'ProjectTaskTemplateRemoved',
  schemaVersion: 2,
  data: { projectId, templateId },
};
const createTemplate = cmd('CreateProjectTaskTemplate', {
  projectId,
  templateId,
  taskTypeId,
  taskId,
  dueDate: '2026-06-15',
});
const changeDueDate = (dueDate: string) =>
  cmd('ChangeProjectTaskTemplateDueDate', { projectId, templateId, dueDate });
const removeTemplate = cmd('RemoveProjectTaskTemplate', { projectId, templateId });

describe('project decider', () => {
  describe('When no project exists', () => {
    it('creates one', () => {
      const create = cmd('CreateProject', { projectId, code: 'PRJ-1', name: 'Brake caliper' });
      expect(spec.given([]).when(create).events).toEqual([created]);
      expect(projectDecider.streamIdFor(create)).toBe(`project-${projectId}`);
    });
    it.each([
      ['rename', cmd('RenameProject', { projectId, name: 'x' })],
      ['create a template', createTemplate],
      ['change a due date', changeDueDate('2026-07-01')],
      ['remove a template', removeTemplate],
    ])('rejects %s as PROJECT.NOT_FOUND', (_name, command) => {
      expect(spec.given([]).when(command).error).toMatchObject({
        code: 'PROJECT.NOT_FOUND',
        kind: 'not_found',
      });
    });
  });

  describe('When created', () => {
    it('rejects a second creation', () => {
      const create = cmd('CreateProject', { projectId, code: 'PRJ-1', name: 'Other' });
      expect(spec.given([created]).when(create).error).toMatchObject({
        code: 'PROJECT.ALREADY_EXISTS',
        kind: 'conflict',
      });
    });
    it('renames, and decides nothing for the same name', () => {
      expect(
        spec.given([created]).when(cmd('RenameProject', { projectId, name: 'New' })).events,
      ).toEqual([{ type: 'ProjectRenamed', schemaVersion: 2, data: { projectId, name: 'New' } }]);
      expect(
        spec.given([created]).when(cmd('RenameProject', { projectId, name: 'Brake caliper' }))
          .events,
      ).toEqual([]);
    });
    it('creates a template with its canonical due date', () => {
      expect(spec.given([created]).when(createTemplate).events).toEqual([templateCreated]);
    });
    it.each([
      ['change the due date of', changeDueDate('2026-07-01')],
      ['remove', removeTemplate],
    ])('rejects to %s an unknown template as TEMPLATE.NOT_FOUND', (_name, command) => {
      expect(spec.given([created]).when(command).error).toMatchObject({
        code: 'TEMPLATE.NOT_FOUND',
        kind: 'not_found',
      });
    });
  });

  describe('When a template exists', () => {
    const history = [created, templateCreated];
    it('rejects a template with the same id', () => {
      expect(spec.given(history).when(createTemplate).error).toMatchObject({
        code: 'TEMPLATE.ALREADY_EXISTS',
        kind: 'conflict',
      });
    });
    it('changes its due date', () => {
      expect(spec.given(history).when(changeDueDate('2026-07-01')).events).toEqual([
        {
          type: 'ProjectTaskTemplateDueDateChanged',
          schemaVersion: 2,
          data: { projectId, templateId, dueDate: '2026-07-01' },
        },
      ]);
    });
    it('decides nothing when the due date does not change', () => {
      expect(spec.given(history).when(changeDueDate('2026-06-15')).events).toEqual([]);
    });
    it('removes it', () => {
      expect(spec.given(history).when(removeTemplate).events).toEqual([templateRemoved]);
    });
  });

  describe('When a template was removed', () => {
    const history = [created, templateCreated, templateRemoved];
    it.each([
      ['change its due date', changeDueDate('2026-07-01')],
      ['remove it again', removeTemplate],
    ])('rejects to %s as TEMPLATE.NOT_FOUND', (_name, command) => {
      expect(spec.given(history).when(command).error).toMatchObject({ code: 'TEMPLATE.NOT_FOUND' });
    });
    it('never hands its id out again', () => {
      expect(spec.given(history).when(createTemplate).error).toMatchObject({
        code: 'TEMPLATE.ALREADY_EXISTS',
      });
    });
    it('is no longer found by findTemplate', () => {
      expect(findTemplate(spec.given(history).state(), templateId)).toBeUndefined();
      expect(
        findTemplate(spec.given([created, templateCreated]).state(), templateId),
      ).toMatchObject({ dueDate: '2026-06-15' });
    });
  });

  it('folds a legacy template without a task type and its due date changes', () => {
    const legacy: Unstamped<ProjectEvent> = {
      type: 'ProjectTaskTemplateCreated',
      schemaVersion: 2,
      data: { projectId, templateId, taskTypeId: null, taskId, dueDate: '2025-06-15' },
    };
    const changed: Unstamped<ProjectEvent> = {
      type: 'ProjectTaskTemplateDueDateChanged',
      schemaVersion: 2,
      data: { projectId, templateId, dueDate: '2025-07-01' },
    };
    expect(spec.given([created, legacy, changed]).state()?.templates[templateId]).toEqual({
      templateId,
      taskTypeId: null,
      taskId,
      dueDate: '2025-07-01',
      removed: false,
    });
  });

  it('validates template payloads at the edge', () => {
    const payload = { projectId, templateId, taskTypeId, taskId, dueDate: '2026-13-01' };
    expect(CreateProjectTaskTemplatePayloadSchema.safeParse(payload).success).toBe(false);
  });
});

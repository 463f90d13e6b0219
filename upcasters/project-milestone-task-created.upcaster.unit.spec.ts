import { ProjectTaskTemplateCreatedSchema } from '../src/domain/project/project.events';
import { findUpcasterStep, upcast } from './index';
import { projectMilestoneTaskCreatedUpcaster } from './project-milestone-task-created.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('ProjectMilestoneTaskCreated v1 → ProjectTaskTemplateCreated v2', () => {
  const v1 = legacy('ProjectMilestoneTaskCreated', {
    ...v1Samples.ProjectMilestoneTaskCreated,
    addedLater: 'kept',
  });
  const expected = {
    type: 'ProjectTaskTemplateCreated',
    schemaVersion: 2,
    data: {
      projectId: ids.project,
      templateId: ids.pmt,
      taskTypeId: null,
      taskId: ids.task,
      dueDate: '2025-06-15',
      legacyMilestoneId: ids.milestone,
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (ProjectMilestoneTaskCreated, 1)', () => {
    expect(findUpcasterStep('ProjectMilestoneTaskCreated', 1)).toBe(
      projectMilestoneTaskCreatedUpcaster,
    );
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(ProjectTaskTemplateCreatedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('ProjectMilestoneTaskCreated', {}))).toThrow(
      /ProjectMilestoneTaskCreated v1/,
    );
  });
});

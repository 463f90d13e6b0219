import { ProjectTaskTemplateDueDateChangedSchema } from '../src/domain/project/project.events';
import { findUpcasterStep, upcast } from './index';
import { projectMilestoneTaskDueDateChangedUpcaster } from './project-milestone-task-due-date-changed.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('ProjectMilestoneTaskDueDateChanged v1 → ProjectTaskTemplateDueDateChanged v2', () => {
  const v1 = legacy('ProjectMilestoneTaskDueDateChanged', {
    ...v1Samples.ProjectMilestoneTaskDueDateChanged,
    addedLater: 'kept',
  });
  const expected = {
    type: 'ProjectTaskTemplateDueDateChanged',
    schemaVersion: 2,
    data: {
      projectId: ids.project,
      templateId: ids.pmt,
      dueDate: '2025-07-01',
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (ProjectMilestoneTaskDueDateChanged, 1)', () => {
    expect(findUpcasterStep('ProjectMilestoneTaskDueDateChanged', 1)).toBe(
      projectMilestoneTaskDueDateChangedUpcaster,
    );
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(ProjectTaskTemplateDueDateChangedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('ProjectMilestoneTaskDueDateChanged', {}))).toThrow(
      /ProjectMilestoneTaskDueDateChanged v1/,
    );
  });
});

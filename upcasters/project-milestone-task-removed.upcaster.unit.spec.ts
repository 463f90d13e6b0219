import { ProjectTaskTemplateRemovedSchema } from '../src/domain/project/project.events';
import { findUpcasterStep, upcast } from './index';
import { projectMilestoneTaskRemovedUpcaster } from './project-milestone-task-removed.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('ProjectMilestoneTaskRemoved v1 → ProjectTaskTemplateRemoved v2', () => {
  const v1 = legacy('ProjectMilestoneTaskRemoved', {
    ...v1Samples.ProjectMilestoneTaskRemoved,
    addedLater: 'kept',
  });
  const expected = {
    type: 'ProjectTaskTemplateRemoved',
    schemaVersion: 2,
    data: { projectId: ids.project, templateId: ids.pmt, addedLater: 'kept' },
    metadata: legacyMetadata,
  };

  it('is registered for (ProjectMilestoneTaskRemoved, 1)', () => {
    expect(findUpcasterStep('ProjectMilestoneTaskRemoved', 1)).toBe(
      projectMilestoneTaskRemovedUpcaster,
    );
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(ProjectTaskTemplateRemovedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('ProjectMilestoneTaskRemoved', {}))).toThrow(
      /ProjectMilestoneTaskRemoved v1/,
    );
  });
});

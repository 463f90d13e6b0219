import { ProjectCreatedSchema } from '../src/domain/project/project.events';
import { findUpcasterStep, upcast } from './index';
import { projectCreatedUpcaster } from './project-created.upcaster';
import { ids, legacy, legacyMetadata, v1Samples } from './v1.fixtures';

describe('ProjectCreated v1 → ProjectCreated v2', () => {
  const v1 = legacy('ProjectCreated', { ...v1Samples.ProjectCreated, addedLater: 'kept' });
  const expected = {
    type: 'ProjectCreated',
    schemaVersion: 2,
    data: {
      projectId: ids.project,
      code: 'PRJ-2026-BC',
      name: 'MY2026 Brake Caliper',
      addedLater: 'kept',
    },
    metadata: legacyMetadata,
  };

  it('is registered for (ProjectCreated, 1)', () => {
    expect(findUpcasterStep('ProjectCreated', 1)).toBe(projectCreatedUpcaster);
  });

  it('upgrades a V1 event, keeping unknown fields and the business time', () => {
    expect(upcast(v1)).toEqual([expected]);
    expect(ProjectCreatedSchema.safeParse(expected).success).toBe(true);
  });

  it('passes a V2 event through unchanged', () => {
    expect(upcast(expected)).toEqual([expected]);
  });

  it('rejects a payload that is not the frozen V1 shape', () => {
    expect(() => upcast(legacy('ProjectCreated', {}))).toThrow(/ProjectCreated v1/);
  });
});

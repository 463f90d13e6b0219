import { levelFor } from './counters.query';

const P = { projectId: 'p' };
const S = { sectionId: 's' };
const C = { category: 'PART_APPROVAL' };

describe('which counters answer a question: given the grouping and filters, then the level', () => {
  it.each([
    ['project', {}, 'project'],
    ['project', P, 'project'],
    ['weeks', P, 'project'],
    ['section', {}, 'task'],
    ['category', {}, 'task'],
    ['project', S, 'template'],
    ['section', P, 'template'],
    ['category', { ...P, ...S }, 'template'],
    ['project', C, 'template'],
    ['category', P, 'template'],
  ] as const)('%s with %j, without task-type counters: %s', (by, filters, level) => {
    expect(levelFor(by, filters)).toBe(level);
  });

  it.each([
    ['project', C, 'project_task_type'],
    ['category', P, 'project_task_type'],
    ['project', { ...C, ...P }, 'project_task_type'],
    // A section splits task types: only templates split by both.
    ['project', { ...C, ...S }, 'template'],
    ['section', P, 'template'],
    // Without a project, the task rows: as many as there are tasks, however many projects.
    ['category', {}, 'task'],
    ['project', {}, 'project'],
  ] as const)('%s with %j, with task-type counters (v4): %s', (by, filters, level) => {
    expect(levelFor(by, filters, true)).toBe(level);
  });
});

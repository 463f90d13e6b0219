import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectDecider, type ProjectState } from '../src/domain/project/project.decider';
import { supplierDecider, type SupplierState } from '../src/domain/supplier/supplier.decider';
import {
  supplierProjectDecider,
  type SupplierProjectState,
} from '../src/domain/supplier-project/supplier-project.decider';
import { taskTypeDecider, type TaskTypeState } from '../src/domain/task-type/task-type.decider';
import { upcast, type UpcastInput } from './index';
import { foldUpcast } from './v1.fixtures';

const fixtures = resolve(__dirname, '..', 'test', 'fixtures', 'legacy-v1');
type SeedLine = UpcastInput & { streamId: string; eventId: string };
const seed: SeedLine[] = readFileSync(resolve(fixtures, 'seed-report.ndjson'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as SeedLine);
const expected: unknown = JSON.parse(
  readFileSync(resolve(fixtures, 'seed-report.expected.json'), 'utf8'),
);

const streams = (category: string): SeedLine[][] => {
  const byStream = new Map<string, SeedLine[]>();
  for (const line of seed.filter((l) => l.streamId.startsWith(`${category}-`))) {
    byStream.set(line.streamId, [...(byStream.get(line.streamId) ?? []), line]);
  }
  return [...byStream.values()];
};
const live = <S>(states: S[]): Array<NonNullable<S>> =>
  states.filter((s): s is NonNullable<S> => s !== null);

/** The world the seed folds into, through the deciders' evolve only. */
const world = () => ({
  suppliers: live<SupplierState>(streams('supplier').map((s) => foldUpcast(supplierDecider, s))),
  projects: live<ProjectState>(streams('project').map((s) => foldUpcast(projectDecider, s))),
  taskTypes: live<TaskTypeState>(streams('tasktype').map((s) => foldUpcast(taskTypeDecider, s))),
  supplierProjects: live<SupplierProjectState>(
    streams('supplierproject').map((s) => foldUpcast(supplierProjectDecider, s)),
  ),
});

/** The SUMMARY.md format, computed from the folded aggregates (an independent check). */
const summarize = (w: ReturnType<typeof world>) => {
  const sections = w.taskTypes.flatMap((tt) =>
    Object.values(tt.sections)
      .filter((s) => !s.deleted)
      .map(
        (s) => [s.sectionId, { taskTypeId: tt.taskTypeId, code: s.code, name: s.name }] as const,
      ),
  );
  const tasks = w.taskTypes.flatMap((tt) => Object.values(tt.tasks));
  const templates = w.projects.flatMap((p) =>
    Object.values(p.templates)
      .filter((t) => !t.removed)
      .map((t) => ({ ...t, projectId: p.projectId })),
  );
  const instances = w.supplierProjects.flatMap((sp) =>
    Object.values(sp.tasks).map((t) => {
      const template = templates.find((tpl) => tpl.templateId === t.templateId);
      const taskId = t.taskId ?? template?.taskId ?? null;
      return [
        t.supplierTaskInstanceId,
        {
          supplierId: sp.supplierId,
          projectId: sp.projectId,
          templateId: t.templateId,
          taskId,
          sectionId: tasks.find((task) => task.taskId === taskId)?.sectionId,
          status: t.status,
          dueDate: t.dueDateOverride ?? template?.dueDate ?? null,
          dueDateOverridden: t.dueDateOverride !== null,
          notes: t.noteIds.length,
        },
      ] as const;
    }),
  );
  const all = instances.map(([, i]) => i);
  return {
    counts: {
      suppliers: w.suppliers.length,
      projects: w.projects.length,
      taskTypes: w.taskTypes.length,
      taskTypeSections: sections.length,
      tasks: tasks.length,
      projectTaskTemplates: templates.length,
      supplierProjectInstances: w.supplierProjects.length,
      supplierTaskInstances: instances.length,
    },
    instances: {
      active: all.filter((i) => i.status !== 'COMPLETED').length,
      completed: all.filter((i) => i.status === 'COMPLETED').length,
      withNotes: all.filter((i) => i.notes > 0).length,
      notes: all.reduce((sum, i) => sum + i.notes, 0),
      overridden: all.filter((i) => i.dueDateOverridden).length,
    },
    taskTypeCategories: Object.fromEntries(w.taskTypes.map((tt) => [tt.taskTypeId, tt.category])),
    sections: Object.fromEntries(sections),
    tasks: Object.fromEntries(
      tasks.map((t) => [t.taskId, { sectionId: t.sectionId, title: t.title }]),
    ),
    templates: Object.fromEntries(
      templates.map((t) => [
        t.templateId,
        { projectId: t.projectId, taskId: t.taskId, dueDate: t.dueDate },
      ]),
    ),
    supplierTaskInstances: Object.fromEntries(instances),
  };
};

describe('the upcaster chain over seed-report.ndjson', () => {
  it('reads all 26 legacy records, all V1', () => {
    expect(seed).toHaveLength(26);
    expect(seed.every((line) => line.schemaVersion === undefined)).toBe(true);
  });

  it('yields only V2 events, one per V1 event, with their business time', () => {
    const upcasted = seed.flatMap((line) => upcast(line));
    expect(upcasted).toHaveLength(seed.length);
    expect(upcasted.every((e) => e.schemaVersion === 2)).toBe(true);
    expect(upcasted.map((e) => e.metadata.occurredAt)).toEqual(
      seed.map((l) => l.metadata.occurredAt),
    );
    expect(new Set(upcasted.map((e) => e.type))).toEqual(
      new Set([
        'SupplierRegistered',
        'ProjectCreated',
        'TaskTypeCreated',
        'TaskTypeSectionCreated',
        'TaskCreated',
        'ProjectTaskTemplateCreated',
        'SupplierProjectInstanceCreated',
        'SupplierTaskInstanceCreated',
        'SupplierTaskStatusChanged',
        'SupplierTaskNoteAdded',
      ]),
    );
  });

  it('folds through the deciders into the expected world', () => {
    const w = world();
    const [taskType] = w.taskTypes;
    const instances = w.supplierProjects.flatMap((sp) => Object.values(sp.tasks));
    expect(w.suppliers).toHaveLength(1);
    expect(w.projects).toHaveLength(1);
    expect(w.taskTypes).toHaveLength(1);
    expect(taskType?.category).toBe('PART_APPROVAL');
    expect(Object.values(taskType?.sections ?? {}).map((s) => s.code)).toEqual(['PA2', 'PA3']);
    expect(Object.keys(taskType?.tasks ?? {})).toHaveLength(4);
    expect(Object.keys(w.projects[0]?.templates ?? {})).toHaveLength(4);
    expect(instances).toHaveLength(4);
    expect(instances.filter((i) => i.status === 'COMPLETED')).toHaveLength(2);
    expect(instances.reduce((sum, i) => sum + i.noteIds.length, 0)).toBe(3);
  });

  it('matches seed-report.expected.json in the SUMMARY.md format', () => {
    expect(summarize(world())).toEqual(expected);
  });
});

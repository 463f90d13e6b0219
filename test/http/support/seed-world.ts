import type { TestApp } from './http-app';

export interface SeedWorld {
  supplierId: string;
  projectId: string;
  taskTypeId: string;
  sectionIds: { PA2: string; PA3: string };
  taskIds: string[];
  templateIds: string[];
  supplierProjectInstanceId: string;
  taskInstanceIds: string[];
}

const HEADERS = { 'X-Actor': 'seed-builder', 'X-Correlation-Id': 'seed-world' };

/**
 * The seed report's world (seed-report.expected.json) built through the API alone: 1 supplier,
 * 1 project, 1 task type PART_APPROVAL with sections PA2 and PA3, 4 tasks, 4 templates, 4
 * supplier task instances of which 2 completed and 1 in progress, and 3 notes.
 */
export async function buildSeedWorld(
  api: TestApp,
  // Codes are unique: a second world in the same service needs codes of its own.
  codes: { supplier: string; project: string } = { supplier: 'SUP-0001', project: 'PRJ-2026-BC' },
): Promise<SeedWorld> {
  const created = async (path: string, body: Record<string, unknown>): Promise<string> => {
    const res = await api.call('POST', path, body, HEADERS);
    if (res.status !== 201)
      throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  };
  const ok = async (path: string, body: Record<string, unknown> = {}) => {
    const res = await api.call('POST', path, body, HEADERS);
    if (res.status !== 200)
      throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const supplierId = await created('/suppliers', {
    code: codes.supplier,
    name: 'Acme Castings GmbH',
  });
  const projectId = await created('/projects', {
    code: codes.project,
    name: 'MY2026 Brake Caliper',
  });
  const taskTypeId = await created('/task-types', {
    name: 'Part Approval',
    category: 'PART_APPROVAL',
  });
  const sections = `/task-types/${taskTypeId}/sections`;
  const PA2 = await created(sections, { code: 'PA2', name: 'PA2 - Initial Samples', sortOrder: 1 });
  const PA3 = await created(sections, {
    code: 'PA3',
    name: 'PA3 - Production Approval',
    sortOrder: 2,
  });
  const tasks: Array<[string, string, string, number]> = [
    [PA2, 'Submit dimensional report', '2025-06-15', 1],
    [PA2, 'Submit material certificates', '2025-06-30', 2],
    [PA3, 'Run-at-rate trial', '2025-08-29', 1],
    [PA3, 'PPAP submission', '2025-09-30', 2],
  ];
  const taskIds: string[] = [];
  const templateIds: string[] = [];
  for (const [sectionId, title, dueDate, sortOrder] of tasks) {
    const taskId = await created(`/task-types/${taskTypeId}/tasks`, {
      sectionId,
      title,
      sortOrder,
    });
    taskIds.push(taskId);
    templateIds.push(
      await created(`/projects/${projectId}/templates`, { taskTypeId, taskId, dueDate }),
    );
  }
  const supplierProjectInstanceId = await created('/supplier-projects', { supplierId, projectId });
  const instance = `/supplier-projects/${supplierProjectInstanceId}/tasks`;
  const taskInstanceIds: string[] = [];
  for (const templateId of templateIds) {
    taskInstanceIds.push(await created(instance, { templateId }));
  }
  const [first, second, third] = taskInstanceIds as [string, string, string, string];
  for (const id of [first, second]) {
    await ok(`${instance}/${id}/start`);
    await ok(`${instance}/${id}/complete`);
  }
  await ok(`${instance}/${third}/start`);
  const notes: Array<[string, string]> = [
    [first, 'Dimensional report uploaded, CMM run 2025-06-10.'],
    [second, 'Certificates per EN 10204 3.1 attached.'],
    [third, 'Trial booked for week 34; waiting on tooling.'],
  ];
  for (const [id, text] of notes) {
    await created(`${instance}/${id}/notes`, { text, author: 'quality@acme.example' });
  }
  return {
    supplierId,
    projectId,
    taskTypeId,
    sectionIds: { PA2, PA3 },
    taskIds,
    templateIds,
    supplierProjectInstanceId,
    taskInstanceIds,
  };
}

import { seedLines } from '../support/seed';

/** The seed history read by hand, V1 as EVENTS.md defines it: no projection code involved. */
export interface HandInstance {
  id: string;
  status: string;
  dueDate: string;
}

export function seedInstancesByHand(): HandInstance[] {
  const dueDateOfTemplate = new Map<string, string>();
  const instances = new Map<string, { templateId: string; status: string; override?: string }>();
  for (const line of seedLines()) {
    const data = line.data as Record<string, string>;
    switch (line.type) {
      case 'ProjectMilestoneTaskCreated':
      case 'ProjectMilestoneTaskDueDateChanged':
        dueDateOfTemplate.set(data.projectMilestoneTaskId!, data.dueDate!);
        break;
      case 'SupplierTaskInstanceCreated':
        instances.set(data.supplierTaskInstanceId!, {
          templateId: data.projectMilestoneTaskId!,
          status: 'NOT_STARTED',
        });
        break;
      case 'SupplierTaskStatusChanged':
        instances.get(data.supplierTaskInstanceId!)!.status = data.to!;
        break;
      case 'SupplierTaskDueDateOverridden':
        instances.get(data.supplierTaskInstanceId!)!.override = data.dueDate!;
        break;
    }
  }
  return [...instances].map(([id, i]) => ({
    id,
    status: i.status,
    dueDate: i.override ?? dueDateOfTemplate.get(i.templateId)!,
  }));
}

/** The same definitions as the API docs, written out again for the test. */
export function byHand(asOf: string, until: string) {
  const active = seedInstancesByHand().filter((i) => i.status !== 'COMPLETED');
  const sorted = (list: HandInstance[]) =>
    list
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id))
      .map((i) => i.id);
  return {
    overdue: sorted(active.filter((i) => i.dueDate < asOf)),
    dueSoon: sorted(active.filter((i) => i.dueDate >= asOf && i.dueDate <= until)),
  };
}

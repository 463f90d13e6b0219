/**
 * An independent oracle for `supplier-tasks summary`: folds the raw V1 lines of a legacy history
 * straight into the JSON of docs/legacy-v1/SUMMARY.md, reading only EVENTS.md. It shares no
 * code with the service (no upcasters, no projections, no schemas), so a summary that equals it
 * was not merely computed twice by the same mistake.
 */

export interface OracleSummary {
  counts: Record<string, number>;
  instances: {
    active: number;
    completed: number;
    withNotes: number;
    notes: number;
    overridden: number;
  };
  taskTypeCategories: Record<string, string>;
  sections: Record<string, { taskTypeId: string; code: string; name: string }>;
  tasks: Record<string, { sectionId: string; title: string }>;
  templates: Record<string, { projectId: string; taskId: string; dueDate: string }>;
  supplierTaskInstances: Record<
    string,
    {
      supplierId: string;
      projectId: string;
      templateId: string;
      taskId: string;
      sectionId: string;
      status: string;
      dueDate: string;
      dueDateOverridden: boolean;
      notes: number;
    }
  >;
}

interface RawLine {
  type: string;
  data: Record<string, unknown>;
}

/** EVENTS.md: PART_APPROVAL when the name contains "part approval" (any case), NMR for "nmr". */
function categoryOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower.includes('part approval')) return 'PART_APPROVAL';
  if (lower.includes('nmr')) return 'NMR';
  return 'UNCLASSIFIED';
}

export function parseNdjson(text: string): RawLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RawLine);
}

export function v1SummaryOracle(lines: Iterable<RawLine>): OracleSummary {
  const suppliers = new Set<string>();
  const projects = new Set<string>();
  const taskTypes = new Map<string, string>();
  const milestones = new Map<string, { taskTypeId: string; code: string; name: string }>();
  const tasks = new Map<string, { milestoneId: string; title: string }>();
  const pmts = new Map<string, { projectId: string; taskId: string; dueDate: string }>();
  const spis = new Map<string, { supplierId: string; projectId: string }>();
  const instances = new Map<
    string,
    { spi: string; pmt: string; status: string; override: string | null; notes: number }
  >();

  const s = (data: Record<string, unknown>, key: string): string => {
    const value = data[key];
    if (typeof value !== 'string') throw new Error(`oracle: ${key} is not a string`);
    return value;
  };
  const instanceOf = (data: Record<string, unknown>) => {
    const found = instances.get(s(data, 'supplierTaskInstanceId'));
    if (!found) throw new Error(`oracle: unknown instance ${s(data, 'supplierTaskInstanceId')}`);
    return found;
  };

  for (const { type, data } of lines) {
    switch (type) {
      case 'SupplierRegistered':
        suppliers.add(s(data, 'supplierId'));
        break;
      case 'SupplierRenamed':
        break; // names of suppliers are not part of the summary
      case 'ProjectCreated':
        projects.add(s(data, 'projectId'));
        break;
      case 'ProjectMilestoneTaskCreated':
        pmts.set(s(data, 'projectMilestoneTaskId'), {
          projectId: s(data, 'projectId'),
          taskId: s(data, 'taskId'),
          dueDate: s(data, 'dueDate'),
        });
        break;
      case 'ProjectMilestoneTaskDueDateChanged':
        pmts.get(s(data, 'projectMilestoneTaskId'))!.dueDate = s(data, 'dueDate');
        break;
      case 'ProjectMilestoneTaskRemoved':
        pmts.delete(s(data, 'projectMilestoneTaskId'));
        break;
      case 'TaskTypeCreated':
        taskTypes.set(s(data, 'taskTypeId'), categoryOf(s(data, 'name')));
        break;
      case 'MilestoneCreated':
        milestones.set(s(data, 'milestoneId'), {
          taskTypeId: s(data, 'taskTypeId'),
          code: s(data, 'code'),
          name: s(data, 'name'),
        });
        break;
      case 'MilestoneRenamed':
        milestones.get(s(data, 'milestoneId'))!.name = s(data, 'name');
        break;
      case 'MilestoneDeleted':
        milestones.delete(s(data, 'milestoneId'));
        break;
      case 'TaskCreated':
        tasks.set(s(data, 'taskId'), {
          milestoneId: s(data, 'milestoneId'),
          title: s(data, 'title'),
        });
        break;
      case 'TaskRenamed':
        tasks.get(s(data, 'taskId'))!.title = s(data, 'title');
        break;
      case 'TaskMovedToMilestone':
        tasks.get(s(data, 'taskId'))!.milestoneId = s(data, 'toMilestoneId');
        break;
      case 'SupplierProjectInstanceCreated':
        spis.set(s(data, 'supplierProjectInstanceId'), {
          supplierId: s(data, 'supplierId'),
          projectId: s(data, 'projectId'),
        });
        break;
      case 'SupplierTaskInstanceCreated':
        instances.set(s(data, 'supplierTaskInstanceId'), {
          spi: s(data, 'supplierProjectInstanceId'),
          pmt: s(data, 'projectMilestoneTaskId'),
          status: 'NOT_STARTED',
          override: null,
          notes: 0,
        });
        break;
      case 'SupplierTaskStatusChanged':
        instanceOf(data).status = s(data, 'to');
        break;
      case 'SupplierTaskDueDateOverridden':
        instanceOf(data).override = s(data, 'dueDate');
        break;
      case 'SupplierTaskNoteAdded':
        instanceOf(data).notes++;
        break;
      default:
        throw new Error(`oracle: ${type} is not a V1 event type`);
    }
  }

  const all = [...instances.values()];
  return {
    counts: {
      suppliers: suppliers.size,
      projects: projects.size,
      taskTypes: taskTypes.size,
      taskTypeSections: milestones.size,
      tasks: tasks.size,
      projectTaskTemplates: pmts.size,
      supplierProjectInstances: spis.size,
      supplierTaskInstances: instances.size,
    },
    instances: {
      active: all.filter((i) => i.status !== 'COMPLETED').length,
      completed: all.filter((i) => i.status === 'COMPLETED').length,
      withNotes: all.filter((i) => i.notes > 0).length,
      notes: all.reduce((sum, i) => sum + i.notes, 0),
      overridden: all.filter((i) => i.override !== null).length,
    },
    taskTypeCategories: Object.fromEntries(taskTypes),
    sections: Object.fromEntries(milestones),
    tasks: Object.fromEntries(
      [...tasks].map(([id, t]) => [id, { sectionId: t.milestoneId, title: t.title }]),
    ),
    templates: Object.fromEntries(pmts),
    supplierTaskInstances: Object.fromEntries(
      [...instances].map(([id, i]) => {
        const spi = spis.get(i.spi)!;
        const pmt = pmts.get(i.pmt)!;
        return [
          id,
          {
            supplierId: spi.supplierId,
            projectId: spi.projectId,
            templateId: i.pmt,
            taskId: pmt.taskId,
            sectionId: tasks.get(pmt.taskId)!.milestoneId,
            status: i.status,
            dueDate: i.override ?? pmt.dueDate,
            dueDateOverridden: i.override !== null,
            notes: i.notes,
          },
        ];
      }),
    ),
  };
}

/**
 * A small deterministic generator of legacy V1 histories for the projection tests (the bench has
 * its own, tuned for size). Every event is one the legacy portal could have written given the
 * log before it (EVENTS.md): a milestone is deleted only once it has no tasks, a PMT is removed
 * only while no instance references it, a PMT names its task's current milestone, and a status
 * change goes from the instance's current status. With `rich`, names and notes use every kind of
 * text (emoji, RTL, quotes, backslashes, newlines) and some events carry unknown extra fields.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';

export interface V1Line {
  streamId: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { occurredAt: string; actor: string; [extra: string]: unknown };
}

export interface HistoryOptions {
  events: number;
  seed?: number;
  /** Unicode text and unknown extra fields in data and metadata. */
  rich?: boolean;
}

/** Text a legacy user could have typed: what the read models must keep byte for byte. */
export const AWKWARD_TEXT = [
  'Acme 🚗💨 Castings',
  'מכלול בלמים',
  'مرحبا بالعالم',
  '"quoted" and \'single\'',
  'C:\\legacy\\path\\',
  'two\nlines\r\nand a tab\t',
  'Ünïcödé ñ é (e + ◌́ combining: é)',
  '零件批准 PA2',
  '👨‍👩‍👧 family, 🏳️‍🌈 flag',
  '\u202eRTL override\u202c',
  '{"json": [1, 2]}',
  "'; DROP TABLE tasks; --",
  '%_ like wildcards',
  ' leading and trailing spaces ',
];

const TASK_TYPE_NAMES = [
  'Part Approval',
  'PART APPROVAL (PPAP)',
  'nmr checks',
  'Supplier NMR / part approval',
  'Tooling',
  'Logistics 📦',
];

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  /** mulberry32: deterministic, seedable, plenty for test data. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

type Status = 'NOT_STARTED' | 'IN_PROGRESS' | 'COMPLETED';
interface Milestone {
  id: string;
  taskTypeId: string;
}
interface Task {
  id: string;
  taskTypeId: string;
  milestoneId: string;
}
interface Pmt {
  id: string;
  projectId: string;
  referenced: boolean;
}
interface Spi {
  id: string;
  projectId: string;
  usedPmts: Set<string>;
}
interface Instance {
  id: string;
  spiId: string;
  status: Status;
}

export function generateV1History({ events, seed = 1, rich = false }: HistoryOptions): V1Line[] {
  const rng = new Rng(seed);
  let counter = 0;
  const uuid = () => {
    const h = createHash('sha1').update(`${seed}:${counter++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  let clock = Date.UTC(2019, 0, 1, 8, 0, 0);
  const lines: V1Line[] = [];
  const text = (plain: string) =>
    rich && rng.chance(0.35) ? `${plain} ${rng.pick(AWKWARD_TEXT)}` : plain;
  const emit = (
    category: string,
    streamKey: string,
    type: string,
    data: Record<string, unknown>,
  ) => {
    clock += rng.int(1, 90) * 60_000 + rng.int(0, 999);
    const metadata: V1Line['metadata'] = {
      occurredAt: new Date(clock).toISOString(),
      actor: rng.chance(0.5) ? 'legacy-portal' : `user${rng.int(1, 9)}@supplier.example`,
    };
    if (rng.chance(0.5)) metadata.correlationId = uuid();
    if (rng.chance(0.1)) metadata.causationId = uuid();
    const extraData: Record<string, unknown> = {};
    if (rich && rng.chance(0.15)) {
      metadata.portalNode = `web-${rng.int(1, 4)}`;
      metadata.clientInfo = { ua: 'IE 11', locale: rng.pick(['de-DE', 'he-IL', 'ar-EG']) };
    }
    if (rich && rng.chance(0.15)) {
      extraData.legacyAuditRef = rng.int(1, 10_000);
      extraData.legacyNote = rng.pick(AWKWARD_TEXT);
      extraData.legacyFlags = [true, null, { nested: 'x' }];
    }
    lines.push({
      streamId: `${category}-${streamKey}`,
      eventId: uuid(),
      type,
      data: { ...data, ...extraData },
      metadata,
    });
  };

  const suppliers: string[] = [];
  const projects: string[] = [];
  const pmts: Pmt[] = [];
  const taskTypes: string[] = [];
  const milestones: Milestone[] = [];
  const tasks: Task[] = [];
  const spis: Spi[] = [];
  const instances: Instance[] = [];
  // Indexes, so that a history of tens of thousands of events is generated in well under a second.
  const tasksIn = new Map<string, number>();
  const pmtsOf = new Map<string, Pmt[]>();
  const referencedPmts: Pmt[] = [];
  const remove = <T>(items: T[], item: T) => items.splice(items.indexOf(item), 1);
  const date = () => new Date(clock + rng.int(5, 400) * 86_400_000).toISOString().slice(0, 10);

  const actions: Array<[weight: number, run: () => boolean]> = [
    [
      2,
      () => {
        const id = uuid();
        suppliers.push(id);
        emit('supplier', id, 'SupplierRegistered', {
          supplierId: id,
          code: `SUP-${suppliers.length}`,
          name: text(`Supplier ${suppliers.length}`),
        });
        return true;
      },
    ],
    [
      1,
      () => {
        if (suppliers.length === 0) return false;
        const id = rng.pick(suppliers);
        emit('supplier', id, 'SupplierRenamed', {
          supplierId: id,
          name: text(`Renamed ${counter}`),
        });
        return true;
      },
    ],
    [
      2,
      () => {
        const id = uuid();
        projects.push(id);
        emit('project', id, 'ProjectCreated', {
          projectId: id,
          code: `PRJ-${projects.length}`,
          name: text(`Project ${projects.length}`),
        });
        return true;
      },
    ],
    [
      1,
      () => {
        if (taskTypes.length >= 8) return false;
        const id = uuid();
        taskTypes.push(id);
        emit('tasktype', id, 'TaskTypeCreated', {
          taskTypeId: id,
          name: text(rng.pick(TASK_TYPE_NAMES)),
        });
        return true;
      },
    ],
    [
      3,
      () => {
        if (taskTypes.length === 0) return false;
        const taskTypeId = rng.pick(taskTypes);
        const id = uuid();
        milestones.push({ id, taskTypeId });
        emit('tasktype', taskTypeId, 'MilestoneCreated', {
          taskTypeId,
          milestoneId: id,
          code: `PA${milestones.length}`,
          name: text(`Milestone ${milestones.length}`),
          sortOrder: rng.int(1, 9),
        });
        return true;
      },
    ],
    [
      1,
      () => {
        if (milestones.length === 0) return false;
        const m = rng.pick(milestones);
        emit('tasktype', m.taskTypeId, 'MilestoneRenamed', {
          taskTypeId: m.taskTypeId,
          milestoneId: m.id,
          name: text(`Milestone renamed ${counter}`),
        });
        return true;
      },
    ],
    [
      1,
      () => {
        const m = rng.pick(milestones);
        if (!m || tasksIn.get(m.id)) return false;
        remove(milestones, m);
        emit('tasktype', m.taskTypeId, 'MilestoneDeleted', {
          taskTypeId: m.taskTypeId,
          milestoneId: m.id,
        });
        return true;
      },
    ],
    [
      5,
      () => {
        if (milestones.length === 0) return false;
        const m = rng.pick(milestones);
        const id = uuid();
        tasks.push({ id, taskTypeId: m.taskTypeId, milestoneId: m.id });
        tasksIn.set(m.id, (tasksIn.get(m.id) ?? 0) + 1);
        emit('tasktype', m.taskTypeId, 'TaskCreated', {
          taskTypeId: m.taskTypeId,
          milestoneId: m.id,
          taskId: id,
          title: text(`Task ${tasks.length}`),
          sortOrder: rng.int(1, 20),
        });
        return true;
      },
    ],
    [
      1,
      () => {
        if (tasks.length === 0) return false;
        const t = rng.pick(tasks);
        emit('tasktype', t.taskTypeId, 'TaskRenamed', {
          taskTypeId: t.taskTypeId,
          taskId: t.id,
          title: text(`Task renamed ${counter}`),
        });
        return true;
      },
    ],
    [
      2,
      () => {
        if (tasks.length === 0) return false;
        const t = rng.pick(tasks);
        const to = rng.pick(milestones);
        if (!to || to.taskTypeId !== t.taskTypeId || to.id === t.milestoneId) return false;
        emit('tasktype', t.taskTypeId, 'TaskMovedToMilestone', {
          taskTypeId: t.taskTypeId,
          taskId: t.id,
          fromMilestoneId: t.milestoneId,
          toMilestoneId: to.id,
        });
        tasksIn.set(t.milestoneId, tasksIn.get(t.milestoneId)! - 1);
        tasksIn.set(to.id, (tasksIn.get(to.id) ?? 0) + 1);
        t.milestoneId = to.id;
        return true;
      },
    ],
    [
      8,
      () => {
        if (projects.length === 0 || tasks.length === 0) return false;
        const projectId = rng.pick(projects);
        const t = rng.pick(tasks);
        const id = uuid();
        const pmt = { id, projectId, referenced: false };
        pmts.push(pmt);
        pmtsOf.set(projectId, [...(pmtsOf.get(projectId) ?? []), pmt]);
        emit('project', projectId, 'ProjectMilestoneTaskCreated', {
          projectId,
          projectMilestoneTaskId: id,
          milestoneId: t.milestoneId,
          taskId: t.id,
          dueDate: date(),
        });
        return true;
      },
    ],
    [
      3,
      () => {
        if (pmts.length === 0) return false;
        // Mostly PMTs that instances already follow: the change must reach them.
        const p = rng.pick(referencedPmts.length > 0 && rng.chance(0.8) ? referencedPmts : pmts);
        emit('project', p.projectId, 'ProjectMilestoneTaskDueDateChanged', {
          projectId: p.projectId,
          projectMilestoneTaskId: p.id,
          dueDate: date(),
        });
        return true;
      },
    ],
    [
      1,
      () => {
        const p = rng.pick(pmts);
        if (!p || p.referenced) return false;
        remove(pmts, p);
        remove(pmtsOf.get(p.projectId)!, p);
        emit('project', p.projectId, 'ProjectMilestoneTaskRemoved', {
          projectId: p.projectId,
          projectMilestoneTaskId: p.id,
        });
        return true;
      },
    ],
    [
      3,
      () => {
        if (suppliers.length === 0 || projects.length === 0) return false;
        const id = uuid();
        const supplierId = rng.pick(suppliers);
        const projectId = rng.pick(projects);
        spis.push({ id, projectId, usedPmts: new Set() });
        emit('supplierproject', id, 'SupplierProjectInstanceCreated', {
          supplierProjectInstanceId: id,
          supplierId,
          projectId,
        });
        return true;
      },
    ],
    [
      12,
      () => {
        if (spis.length === 0) return false;
        const spi = rng.pick(spis);
        const candidates = (pmtsOf.get(spi.projectId) ?? []).filter((p) => !spi.usedPmts.has(p.id));
        if (candidates.length === 0) return false;
        const p = rng.pick(candidates);
        if (!p.referenced) referencedPmts.push(p);
        p.referenced = true;
        spi.usedPmts.add(p.id);
        const id = uuid();
        instances.push({ id, spiId: spi.id, status: 'NOT_STARTED' });
        emit('supplierproject', spi.id, 'SupplierTaskInstanceCreated', {
          supplierProjectInstanceId: spi.id,
          supplierTaskInstanceId: id,
          projectMilestoneTaskId: p.id,
        });
        return true;
      },
    ],
    [
      16,
      () => {
        if (instances.length === 0) return false;
        const i = rng.pick(instances);
        const next: Record<Status, Status[]> = {
          NOT_STARTED: ['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED'],
          IN_PROGRESS: ['COMPLETED', 'COMPLETED', 'NOT_STARTED'],
          // Reopened: COMPLETED back to IN_PROGRESS.
          COMPLETED: ['IN_PROGRESS'],
        };
        if (i.status === 'COMPLETED' && !rng.chance(0.2)) return false;
        const to = rng.pick(next[i.status]);
        emit('supplierproject', i.spiId, 'SupplierTaskStatusChanged', {
          supplierProjectInstanceId: i.spiId,
          supplierTaskInstanceId: i.id,
          from: i.status,
          to,
        });
        i.status = to;
        return true;
      },
    ],
    [
      3,
      () => {
        if (instances.length === 0) return false;
        const i = rng.pick(instances);
        emit('supplierproject', i.spiId, 'SupplierTaskDueDateOverridden', {
          supplierProjectInstanceId: i.spiId,
          supplierTaskInstanceId: i.id,
          dueDate: date(),
        });
        return true;
      },
    ],
    [
      8,
      () => {
        if (instances.length === 0) return false;
        const i = rng.pick(instances);
        emit('supplierproject', i.spiId, 'SupplierTaskNoteAdded', {
          supplierProjectInstanceId: i.spiId,
          supplierTaskInstanceId: i.id,
          noteId: uuid(),
          text: rich ? rng.pick(AWKWARD_TEXT) : `Note ${counter}`,
          author: rng.chance(0.5) ? 'j.keller@acme.example' : text('Ana'),
        });
        return true;
      },
    ],
  ];
  const total = actions.reduce((sum, [w]) => sum + w, 0);
  while (lines.length < events) {
    let roll = rng.next() * total;
    const action = actions.find(([w]) => (roll -= w) < 0) ?? actions.at(-1)!;
    action[1]();
  }
  return lines;
}

export const toNdjson = (lines: V1Line[]): string =>
  lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

export function writeV1File(path: string, lines: V1Line[]): string {
  writeFileSync(path, toNdjson(lines));
  return path;
}

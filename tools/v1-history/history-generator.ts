import { Rng } from './rng';
import { UuidSource } from './uuid-source';
import type { V1Line } from './v1-line';
import {
  AWKWARD_TEXT,
  MILESTONE_PHRASES,
  NOTE_TEXTS,
  PARTS,
  PEOPLE,
  PORTAL_ACTOR,
  SUPPLIER_FORMS,
  SUPPLIER_STEMS,
  TASK_TITLES,
  TASK_TYPE_TEMPLATES,
} from './vocabulary';

export interface V1HistoryOptions {
  /** The history stops at exactly this many lines. */
  events: number;
  /** Same seed, events and rich: the same bytes. 42 unless given. */
  seed?: number;
  /**
   * Awkward text (AWKWARD_TEXT: emoji, right-to-left, quotes, backslashes, newlines, …) in names,
   * titles, notes and authors, and unknown nested fields in data and metadata.
   */
  rich?: boolean;
}

interface Supplier {
  id: string;
  stream: string;
  people: string[];
}

interface TaskType {
  id: string;
  stream: string;
  prefix: string;
  nextNumber: number;
  lastSortOrder: number;
  milestones: Milestone[];
  tasks: Task[];
}

interface Milestone {
  id: string;
  code: string;
  /** Created to be emptied and deleted; never named by a project milestone task. */
  scratch: boolean;
  /** Project milestone tasks made from it (from a task then in it) that still exist. */
  pmts: number;
  deleted: boolean;
  lastTaskSortOrder: number;
}

interface Task {
  id: string;
  milestone: Milestone;
}

interface ProjectMilestoneTask {
  id: string;
  task: Task;
  /** The milestone its task was in when it was made. */
  milestone: Milestone;
  /** Never instantiated, so it may be removed. */
  optional: boolean;
  /** Its due date changed before any supplier had it. */
  rescheduled: boolean;
  removed: boolean;
  /** An instance of it has its own due date. */
  overridden: boolean;
  instances: number;
}

type Status = 'NOT_STARTED' | 'IN_PROGRESS' | 'COMPLETED';
/** What happens to a task instance next; a status is a change to that status. */
type InstanceStep = Status | 'create' | 'note' | 'override';

/** What a script hands the writer; the writer adds eventId, time and correlation. */
interface Emit {
  /** Set by a script that needs it (a causation link); otherwise the writer assigns one. */
  eventId?: string;
  streamId: string;
  type: string;
  data: Record<string, unknown>;
  actor: string;
  /** A command that wrote several events: they share the correlation, caused by the first. */
  correlationId?: string;
  causationId?: string;
}

/** A script yields SKIP when it has nothing to write yet; the scheduler moves on. */
const SKIP = null;
type Step = Emit | typeof SKIP;
type Script = Generator<Step, void, undefined>;

/** The edits of the catalog, with their share once each has been made once. */
const CATALOG_EDITS = [
  ['renameTask', 0.18],
  ['renameMilestone', 0.14],
  ['moveTask', 0.2],
  ['newTask', 0.22],
  ['unusedMilestone', 0.05],
  ['scratchMilestone', 0.11],
  ['retireMilestone', 0.06],
  ['emptyTaskType', 0.015],
  ['newTaskType', 0.025],
] as const;
type CatalogEdit = (typeof CATALOG_EDITS)[number][0];

/** Irregular shapes of a project the legacy portal allowed, each with how often it takes it. */
const IRREGULAR_PROJECTS = [
  ['twoTaskTypes', 0.2],
  ['taskTwice', 0.15],
  ['supplierTwice', 0.15],
  ['noTasks', 0.04],
] as const;
type ProjectShape = (typeof IRREGULAR_PROJECTS)[number][0];

const DAY_MS = 86_400_000;
/** Projects running side by side: enough interleaving to look like a live portal. */
const CONCURRENT_PROJECTS = 8;
/** Events between a project's edits (due dates, removals) while its suppliers work, on average. */
const PROJECT_EDIT_GAP = 30;

/** The milestones of a task type that are meant to stay (for now). */
const permanentMilestones = (taskType: TaskType): Milestone[] =>
  taskType.milestones.filter((m) => !m.scratch && !m.deleted);

/**
 * A deterministic legacy V1 history (docs/legacy-v1/EVENTS.md): a few thousand events holding
 * every case the contract allows for the projection tests, millions streamed for the benchmarks.
 *
 * Same options, same bytes: every random choice comes from one seeded PRNG, every uuid is
 * derived from the seed and a counter, and business time is a clock the generator advances.
 *
 * The history is a handful of concurrently running "scripts" (a project and its supplier project
 * instances, the catalog maintenance, supplier administration), interleaved at random one event
 * at a time. Each script only writes what the legacy portal could have written given what is
 * already in the log, so every prefix of the output is a valid history; that is why the output
 * can stop at exactly `events`. Memory holds only the scripts that are running, the catalog
 * and the supplier list, not the history, so millions of events stream in constant memory.
 *
 * A small history must still hold every case: the catalog and the supplier list are edited at a
 * pace counted in events (a floor of edits plus a share of the log), the first catalog edits and
 * the first projects go through every irregular shape in turn, and a rare case within a project
 * happens the first time it can (firstTimeOr); rates take over after that.
 */
export class HistoryGenerator {
  private readonly rng: Rng;
  private readonly ids: UuidSource;
  private readonly targetEvents: number;
  private readonly rich: boolean;
  /** Business time in epoch ms: strictly increases with every event. */
  private clock = Date.UTC(2025, 4, 5, 8, 0, 0, 0);
  private readonly suppliers: Supplier[] = [];
  private readonly taskTypes: TaskType[] = [];
  private supplierCount = 0;
  private projectCount = 0;
  private taskTypeCount = 0;
  private catalogEdits = 0;
  private readonly happened = new Set<string>();
  private emitted = 0;
  private pacedAskedAt = -1;
  /** Scripts started by a script (a project starts its supplier project instances). */
  private spawned: Script[] = [];
  /** Streams started so far. */
  streams = 0;

  constructor({ events, seed = 42, rich = false }: V1HistoryOptions) {
    this.targetEvents = events;
    this.rich = rich;
    this.rng = new Rng(seed);
    this.ids = new UuidSource(seed);
  }

  /** Yields exactly `events` lines. */
  *lines(): Generator<V1Line> {
    for (const step of this.bootstrap()) {
      if (this.emitted === this.targetEvents) return;
      if (step !== SKIP) yield this.write(step);
    }
    // The catalog and the supplier list keep a pace counted in events (see idle): they are asked
    // first after every event, so that an edit that is due never waits for the draw.
    const paced = [this.catalogMaintenance(), this.supplierAdministration()];
    const drawn: Script[] = [];
    let runningProjects = 0;
    while (this.emitted < this.targetEvents) {
      while (runningProjects < CONCURRENT_PROJECTS) {
        runningProjects++;
        drawn.push(this.project(() => runningProjects--));
      }
      const step = this.firstDue(paced) ?? this.draw(drawn);
      if (step !== SKIP) yield this.write(step);
    }
  }

  private firstDue(paced: Script[]): Step {
    // They wait only for events (see idle): asking again before the next one is wasted time.
    if (this.pacedAskedAt === this.emitted) return SKIP;
    this.pacedAskedAt = this.emitted;
    for (const script of paced) {
      const { value } = script.next();
      if (value) return value;
    }
    return SKIP;
  }

  /** Steps one script drawn at random; drops it when it is done, adds those it started. */
  private draw(drawn: Script[]): Step {
    const index = Math.floor(this.rng.next() * drawn.length);
    const step = drawn[index]!.next();
    if (this.spawned.length > 0) {
      drawn.push(...this.spawned);
      this.spawned = [];
    }
    if (!step.done) return step.value;
    drawn[index] = drawn[drawn.length - 1]!;
    drawn.pop();
    return SKIP;
  }

  /** The line of an event: its id, business time, correlation, and the fields nobody knows. */
  private write(emit: Emit): V1Line {
    const rng = this.rng;
    this.emitted++;
    // Mostly seconds to minutes apart, sometimes a quiet night.
    this.clock += rng.chance(0.002) ? rng.int(3_600_000, 14 * 3_600_000) : rng.int(1, 90_000);
    const eventId = emit.eventId ?? this.ids.next();
    const metadata: V1Line['metadata'] = {
      occurredAt: new Date(this.clock).toISOString(),
      actor: emit.actor,
    };
    // The first portal versions wrote no correlation at all.
    if (emit.correlationId !== undefined || rng.chance(0.95))
      metadata.correlationId = emit.correlationId ?? this.ids.next();
    if (emit.causationId !== undefined) metadata.causationId = emit.causationId;
    // The legacy portal grew fields over the years; readers must keep what they do not know.
    if (rng.chance(0.03)) {
      metadata.portalVersion = rng.pick(['3.2.0', '3.14.2', '4.0.1']);
      if (rng.chance(0.5)) metadata.clientIp = `10.${rng.int(0, 255)}.${rng.int(0, 255)}.7`;
    }
    if (rng.chance(0.02)) emit.data.legacyRowVersion = rng.int(1, 40);
    if (this.rich && rng.chance(0.15)) {
      metadata.portalNode = `web-${rng.int(1, 4)}`;
      metadata.clientInfo = { ua: 'IE 11', locale: rng.pick(['de-DE', 'he-IL', 'ar-EG']) };
    }
    if (this.rich && rng.chance(0.15)) {
      emit.data.legacyAuditRef = rng.int(1, 10_000);
      emit.data.legacyNote = rng.pick(AWKWARD_TEXT);
      emit.data.legacyFlags = [true, null, { nested: 'x' }];
    }
    if (emit.type === 'SupplierRegistered' || emit.type === 'ProjectCreated') this.streams++;
    if (emit.type === 'TaskTypeCreated' || emit.type === 'SupplierProjectInstanceCreated')
      this.streams++;
    return { streamId: emit.streamId, eventId, type: emit.type, data: emit.data, metadata };
  }

  /** Text as a user typed it: with `rich`, often followed by awkward text. */
  private text(plain: string): string {
    return this.rich && this.rng.chance(0.35) ? `${plain} ${this.rng.pick(AWKWARD_TEXT)}` : plain;
  }

  private date(offsetDays: number): string {
    return new Date(this.clock + offsetDays * DAY_MS).toISOString().slice(0, 10);
  }

  /**
   * True the first time a rare case is asked about, so that it happens early in every history,
   * however small; after that, with probability `p`.
   */
  private firstTimeOr(rareCase: string, p: number): boolean {
    if (this.happened.has(rareCase)) return this.rng.chance(p);
    this.happened.add(rareCase);
    return true;
  }

  /** Idles until about `meanGap` more events are in the log, however many scripts are running. */
  private *idle(meanGap: number): Script {
    const until = this.emitted + this.rng.int(1, Math.max(1, Math.round(2 * meanGap)));
    while (this.emitted < until) yield SKIP;
  }

  /** The sort order after `last`, or now and then `last` again: the portal allowed ties. */
  private nextSortOrder(last: number): number {
    return last > 0 && this.rng.chance(0.1) ? last : last + 1;
  }

  // ---- catalog and suppliers -------------------------------------------------------------

  private *bootstrap(): Script {
    const typeCount = Math.min(
      TASK_TYPE_TEMPLATES.length,
      4 + Math.floor(this.targetEvents / 250_000),
    );
    for (let i = 0; i < typeCount; i++) yield* this.newTaskType(this.rng.int(2, 5));
    // About one supplier per 2,500 events: a supplier then works on a few dozen projects.
    const supplierCount = Math.max(5, Math.min(2000, Math.floor(this.targetEvents / 2500)));
    for (let i = 0; i < supplierCount; i++) yield this.newSupplier();
  }

  private newSupplier(): Emit {
    const rng = this.rng;
    const n = ++this.supplierCount;
    const id = this.ids.next();
    const name = this.text(`${rng.pick(SUPPLIER_STEMS)} ${rng.pick(SUPPLIER_FORMS)}`);
    const domain = `supplier${n}.example`;
    const people = [rng.pick(PEOPLE), rng.pick(PEOPLE)].map((p) => `${p}@${domain}`);
    const supplier: Supplier = { id, stream: `supplier-${id}`, people };
    this.suppliers.push(supplier);
    return {
      streamId: supplier.stream,
      type: 'SupplierRegistered',
      data: { supplierId: id, code: `SUP-${String(n).padStart(4, '0')}`, name },
      actor: PORTAL_ACTOR,
    };
  }

  /** A task type with its milestones and tasks; one without milestones stays out of projects. */
  private *newTaskType(milestoneCount: number): Script {
    const rng = this.rng;
    const template = TASK_TYPE_TEMPLATES[this.taskTypeCount % TASK_TYPE_TEMPLATES.length]!;
    const round = Math.floor(this.taskTypeCount / TASK_TYPE_TEMPLATES.length);
    this.taskTypeCount++;
    const id = this.ids.next();
    const taskType: TaskType = {
      id,
      stream: `tasktype-${id}`,
      prefix: template.prefix,
      nextNumber: template.firstNumber,
      lastSortOrder: 0,
      milestones: [],
      tasks: [],
    };
    const name = round === 0 ? template.name : `${template.name} (${round + 1})`;
    yield this.taskTypeEvent(taskType, 'TaskTypeCreated', { name: this.text(name) });
    for (let m = 0; m < milestoneCount; m++) {
      const milestone = yield* this.newMilestone(taskType, false);
      // Some milestones stay empty; the first never does, so every listed type has tasks.
      const taskCount = m > 0 && rng.chance(0.1) ? 0 : rng.int(2, 6);
      for (let t = 0; t < taskCount; t++) yield this.newTask(taskType, milestone);
    }
    // Listed only once complete: projects and catalog edits pick among its milestones and tasks.
    if (milestoneCount > 0) this.taskTypes.push(taskType);
  }

  private *newMilestone(
    taskType: TaskType,
    scratch: boolean,
  ): Generator<Step, Milestone, undefined> {
    const code = `${taskType.prefix}${taskType.nextNumber++}`;
    const milestone: Milestone = {
      id: this.ids.next(),
      code,
      scratch,
      pmts: 0,
      deleted: false,
      lastTaskSortOrder: 0,
    };
    taskType.lastSortOrder = this.nextSortOrder(taskType.lastSortOrder);
    yield this.taskTypeEvent(taskType, 'MilestoneCreated', {
      milestoneId: milestone.id,
      code,
      name: this.text(`${code} - ${this.rng.pick(MILESTONE_PHRASES)}`),
      sortOrder: taskType.lastSortOrder,
    });
    taskType.milestones.push(milestone);
    return milestone;
  }

  private newTask(taskType: TaskType, milestone: Milestone): Emit {
    const task: Task = { id: this.ids.next(), milestone };
    taskType.tasks.push(task);
    milestone.lastTaskSortOrder = this.nextSortOrder(milestone.lastTaskSortOrder);
    return this.taskTypeEvent(taskType, 'TaskCreated', {
      milestoneId: milestone.id,
      taskId: task.id,
      title: this.text(this.rng.pick(TASK_TITLES)),
      sortOrder: milestone.lastTaskSortOrder,
    });
  }

  private moveTask(taskType: TaskType, task: Task, to: Milestone): Emit {
    const from = task.milestone;
    task.milestone = to;
    return this.taskTypeEvent(taskType, 'TaskMovedToMilestone', {
      taskId: task.id,
      fromMilestoneId: from.id,
      toMilestoneId: to.id,
    });
  }

  /** An event of a task type's stream, written by the portal. */
  private taskTypeEvent(taskType: TaskType, type: string, data: Record<string, unknown>): Emit {
    return {
      streamId: taskType.stream,
      type,
      data: { taskTypeId: taskType.id, ...data },
      actor: PORTAL_ACTOR,
    };
  }

  /** The legacy portal deleted only a milestone without tasks: callers empty it first. */
  private deleteMilestone(taskType: TaskType, milestone: Milestone): Emit {
    milestone.deleted = true;
    return this.taskTypeEvent(taskType, 'MilestoneDeleted', { milestoneId: milestone.id });
  }

  /** Every kind of edit once, in turn, then at random by their shares. */
  private nextCatalogEdit(): CatalogEdit {
    const n = this.catalogEdits++;
    if (n < CATALOG_EDITS.length) return CATALOG_EDITS[n]![0];
    let roll = this.rng.next();
    for (const [edit, share] of CATALOG_EDITS) if ((roll -= share) < 0) return edit;
    return CATALOG_EDITS[0][0];
  }

  /** Rare edits of the catalog, forever: a small share of a large log, a few dozen in a small one. */
  private *catalogMaintenance(): Script {
    const rng = this.rng;
    const gap = this.targetEvents / (80 + this.targetEvents / 1500);
    for (;;) {
      yield* this.idle(gap);
      const taskType = rng.pick(this.taskTypes);
      const permanent = permanentMilestones(taskType);
      const edit = this.nextCatalogEdit();
      if (edit === 'newTask') {
        yield this.newTask(taskType, rng.pick(permanent));
      } else if (edit === 'renameTask') {
        const task = rng.pick(taskType.tasks);
        yield this.taskTypeEvent(taskType, 'TaskRenamed', {
          taskId: task.id,
          title: this.text(`${rng.pick(TASK_TITLES)} v${rng.int(2, 9)}`),
        });
      } else if (edit === 'renameMilestone') {
        const milestone = rng.pick(permanent);
        yield this.taskTypeEvent(taskType, 'MilestoneRenamed', {
          milestoneId: milestone.id,
          name: this.text(`${milestone.code} – ${rng.pick(MILESTONE_PHRASES)}`),
        });
      } else if (edit === 'moveTask') {
        // Between milestones that stay: the task's project milestone tasks and instances follow.
        const task = rng.pick(taskType.tasks);
        const targets = permanent.filter((m) => m !== task.milestone);
        if (targets.length > 0) yield this.moveTask(taskType, task, rng.pick(targets));
      } else if (edit === 'unusedMilestone') {
        // Created by mistake and deleted before it ever had a task.
        const unused = yield* this.newMilestone(taskType, true);
        yield* this.idle(gap / 4);
        yield this.deleteMilestone(taskType, unused);
      } else if (edit === 'scratchMilestone') {
        // Tried and dropped: created, given tasks, emptied into milestones that stay, deleted.
        const scratch = yield* this.newMilestone(taskType, true);
        const tasks: Task[] = [];
        for (let i = rng.int(1, 2); i > 0; i--) {
          yield* this.idle(gap / 4);
          yield this.newTask(taskType, scratch);
          tasks.push(taskType.tasks.at(-1)!);
        }
        for (const task of tasks) {
          yield* this.idle(gap / 4);
          yield this.moveTask(taskType, task, rng.pick(permanent));
        }
        yield this.deleteMilestone(taskType, scratch);
      } else if (edit === 'retireMilestone') {
        yield* this.retireMilestone(gap);
      } else if (edit === 'emptyTaskType') {
        yield* this.newTaskType(0);
      } else {
        yield* this.newTaskType(rng.int(2, 5));
      }
    }
  }

  /**
   * A milestone given up after projects used it: its tasks move on, and the project milestone
   * tasks made from it keep naming the deleted milestone.
   */
  private *retireMilestone(gap: number): Script {
    const rng = this.rng;
    const candidates = this.taskTypes.filter((t) => {
      const permanent = permanentMilestones(t);
      return permanent.length >= 2 && permanent.some((m) => m.pmts > 0);
    });
    if (candidates.length === 0) return;
    const taskType = rng.pick(candidates);
    const permanent = permanentMilestones(taskType);
    const retired = rng.pick(permanent.filter((m) => m.pmts > 0));
    const targets = permanent.filter((m) => m !== retired);
    for (const task of taskType.tasks.filter((t) => t.milestone === retired)) {
      yield* this.idle(gap / 4);
      yield this.moveTask(taskType, task, rng.pick(targets));
    }
    yield this.deleteMilestone(taskType, retired);
  }

  /** New suppliers and renames: a rename first, then about one new supplier in three. */
  private *supplierAdministration(): Script {
    const rng = this.rng;
    const gap = this.targetEvents / (30 + this.targetEvents / 3000);
    for (let edits = 0; ; edits++) {
      yield* this.idle(gap);
      if (edits === 1 || (edits > 1 && rng.chance(0.3))) {
        yield this.newSupplier();
        continue;
      }
      const supplier = rng.pick(this.suppliers);
      yield {
        streamId: supplier.stream,
        type: 'SupplierRenamed',
        data: {
          supplierId: supplier.id,
          name: this.text(`${rng.pick(SUPPLIER_STEMS)} ${rng.pick(SUPPLIER_FORMS)}`),
        },
        actor: PORTAL_ACTOR,
      };
    }
  }

  // ---- projects --------------------------------------------------------------------------

  /** The first projects take one irregular shape each, in turn; later ones each at its rate. */
  private projectShapes(n: number): Set<ProjectShape> {
    if (n <= IRREGULAR_PROJECTS.length) return new Set([IRREGULAR_PROJECTS[n - 1]![0]]);
    const taken = IRREGULAR_PROJECTS.filter(([, share]) => this.rng.chance(share));
    return new Set(taken.map(([shape]) => shape));
  }

  /** The task types a project draws its tasks from; most projects use one. */
  private projectTaskTypes(shapes: Set<ProjectShape>): TaskType[] {
    if (shapes.has('noTasks')) return [];
    const first = this.rng.pick(this.taskTypes);
    if (!shapes.has('twoTaskTypes')) return [first];
    return [first, this.rng.pick(this.taskTypes.filter((t) => t !== first))];
  }

  private *project(onDone: () => void): Script {
    const rng = this.rng;
    const n = ++this.projectCount;
    const shapes = this.projectShapes(n);
    const projectId = this.ids.next();
    const stream = `project-${projectId}`;
    const year = 2026 + (n % 4);
    yield {
      streamId: stream,
      type: 'ProjectCreated',
      data: {
        projectId,
        code: `PRJ-${year}-${String(n).padStart(5, '0')}`,
        name: this.text(`MY${year} ${rng.pick(PARTS)}`),
      },
      actor: PORTAL_ACTOR,
    };

    const pmts: ProjectMilestoneTask[] = [];
    const created = (task: Task, optional: boolean): Emit => {
      const pmt = {
        id: this.ids.next(),
        task,
        milestone: task.milestone,
        optional,
        rescheduled: false,
        removed: false,
        overridden: false,
        instances: 0,
      };
      pmts.push(pmt);
      task.milestone.pmts++;
      return {
        streamId: stream,
        type: 'ProjectMilestoneTaskCreated',
        data: {
          projectId,
          projectMilestoneTaskId: pmt.id,
          milestoneId: task.milestone.id,
          taskId: task.id,
          dueDate: this.date(rng.int(21, 200)),
        },
        actor: PORTAL_ACTOR,
      };
    };
    const dueDateChanged = (pmt: ProjectMilestoneTask): Emit => ({
      streamId: stream,
      type: 'ProjectMilestoneTaskDueDateChanged',
      data: { projectId, projectMilestoneTaskId: pmt.id, dueDate: this.date(rng.int(7, 120)) },
      actor: rng.chance(0.5) ? PORTAL_ACTOR : `buyer${rng.int(1, 20)}@oem.example`,
    });
    const followed = () => pmts.filter((p) => p.instances > 0);

    const taskTypes = this.projectTaskTypes(shapes);
    for (const taskType of taskTypes) {
      const eligible = taskType.tasks.filter((task) => !task.milestone.scratch);
      const count = Math.min(eligible.length, Math.ceil(rng.int(4, 14) / taskTypes.length));
      for (let i = 0; i < count; i++) {
        const task = eligible.splice(Math.floor(rng.next() * eligible.length), 1)[0]!;
        yield created(task, this.firstTimeOr('optional task', 0.12));
      }
    }
    // The same task applied to the project a second time: two templates of one task.
    if (shapes.has('taskTwice') && pmts.length > 0) yield created(rng.pick(pmts).task, false);

    // Suppliers join one after another while the project runs.
    const supplierCount = Math.min(this.suppliers.length, rng.int(3, 9));
    const chosen = new Set<Supplier>();
    while (chosen.size < supplierCount) chosen.add(rng.pick(this.suppliers));
    const joining = [...chosen];
    // A supplier assigned to the project twice: two supplier project instances.
    if (shapes.has('supplierTwice')) joining.push(rng.pick(joining));
    let running = 0;
    for (const supplier of joining) {
      running++;
      this.spawned.push(this.supplierProject(supplier, projectId, pmts, () => running--));
      for (let wait = rng.int(0, 6); wait > 0; wait--) yield SKIP;
      // A date moved while suppliers are still joining: later instances start from the new one.
      const instantiated = followed();
      if (instantiated.length > 0 && rng.chance(0.15)) yield dueDateChanged(rng.pick(instantiated));
    }

    // Edits while its suppliers work, at a pace counted in events like the catalog's: first the
    // tasks no supplier got are dropped, some after a reschedule, then dates move.
    let dueDateChanges = rng.int(0, Math.ceil(pmts.length / 2));
    while (running > 0) {
      yield* this.idle(PROJECT_EDIT_GAP);
      const unused = pmts.find((p) => p.optional && !p.removed);
      if (unused && !unused.rescheduled && this.firstTimeOr('rescheduled unused', 0.5)) {
        unused.rescheduled = true;
        yield dueDateChanged(unused);
        continue;
      }
      if (unused) {
        unused.removed = true;
        unused.milestone.pmts--;
        yield {
          streamId: stream,
          type: 'ProjectMilestoneTaskRemoved',
          data: { projectId, projectMilestoneTaskId: unused.id },
          actor: PORTAL_ACTOR,
        };
        continue;
      }
      const instantiated = followed();
      if (dueDateChanges === 0 || instantiated.length === 0) continue;
      dueDateChanges--;
      // Often a date a supplier already had moved for its own instance.
      const overridden = instantiated.filter((p) => p.overridden);
      const underOverride =
        overridden.length > 0 && this.firstTimeOr('date moved under an override', 0.5);
      yield dueDateChanged(rng.pick(underOverride ? overridden : instantiated));
    }
    onDone();
  }

  private *supplierProject(
    supplier: Supplier,
    projectId: string,
    pmts: ProjectMilestoneTask[],
    onDone: () => void,
  ): Script {
    const rng = this.rng;
    const spiId = this.ids.next();
    const stream = `supplierproject-${spiId}`;
    const createdEventId = this.ids.next();
    const correlationId = this.ids.next();
    yield {
      eventId: createdEventId,
      streamId: stream,
      type: 'SupplierProjectInstanceCreated',
      data: { supplierProjectInstanceId: spiId, supplierId: supplier.id, projectId },
      actor: PORTAL_ACTOR,
      correlationId,
    };

    interface Instance {
      id: string;
      pmt: ProjectMilestoneTask;
      /** The remaining steps, in order, last first (popped). */
      steps: InstanceStep[];
      status: Status;
    }
    const instanceCreated = (
      instance: Instance,
      command?: Pick<Emit, 'correlationId' | 'causationId'>,
    ): Emit => {
      instance.pmt.instances++;
      return {
        streamId: stream,
        type: 'SupplierTaskInstanceCreated',
        data: {
          supplierProjectInstanceId: spiId,
          supplierTaskInstanceId: instance.id,
          projectMilestoneTaskId: instance.pmt.id,
        },
        actor: PORTAL_ACTOR,
        ...command,
      };
    };
    const instances: Instance[] = [];
    for (const pmt of pmts) {
      if (pmt.optional) continue;
      const instance: Instance = {
        id: this.ids.next(),
        pmt,
        steps: this.instancePlan(),
        status: 'NOT_STARTED',
      };
      instances.push(instance);
      // Now and then a task reaches the supplier later, on its own.
      if (rng.chance(0.06)) {
        instance.steps.push('create');
        continue;
      }
      // One command of the portal created the project instance and all its task instances.
      yield instanceCreated(instance, { correlationId, causationId: createdEventId });
    }

    const pending = instances.filter((i) => i.steps.length > 0);
    while (pending.length > 0) {
      const index = Math.floor(rng.next() * pending.length);
      const instance = pending[index]!;
      const step = instance.steps.pop()!;
      if (instance.steps.length === 0) {
        pending[index] = pending[pending.length - 1]!;
        pending.pop();
      }
      const ref = { supplierProjectInstanceId: spiId, supplierTaskInstanceId: instance.id };
      const person = rng.pick(supplier.people);
      if (step === 'create') {
        yield instanceCreated(instance);
      } else if (step === 'note') {
        const text = this.rich && rng.chance(0.5) ? rng.pick(AWKWARD_TEXT) : rng.pick(NOTE_TEXTS);
        yield {
          streamId: stream,
          type: 'SupplierTaskNoteAdded',
          data: { ...ref, noteId: this.ids.next(), text, author: this.text(person) },
          actor: PORTAL_ACTOR,
        };
      } else if (step === 'override') {
        instance.pmt.overridden = true;
        yield {
          streamId: stream,
          type: 'SupplierTaskDueDateOverridden',
          data: { ...ref, dueDate: this.date(rng.int(14, 150)) },
          actor: rng.chance(0.7) ? `buyer${rng.int(1, 20)}@oem.example` : person,
        };
      } else {
        const from = instance.status;
        instance.status = step;
        yield {
          streamId: stream,
          type: 'SupplierTaskStatusChanged',
          data: { ...ref, from, to: step },
          actor: person,
        };
      }
    }
    onDone();
  }

  /**
   * A task instance's life: started, completed, sometimes reopened, with notes on the way; now
   * and then completed without being started, or started by mistake and put back.
   */
  private instancePlan(): InstanceStep[] {
    const rng = this.rng;
    const plan: InstanceStep[] = [];
    if (rng.chance(0.12)) {
      plan.push('override');
      if (rng.chance(0.3)) plan.push('override');
    }
    if (rng.chance(0.04)) plan.push('note');
    if (rng.chance(0.08)) {
      plan.push('COMPLETED');
    } else if (rng.chance(0.85)) {
      plan.push('IN_PROGRESS');
      if (rng.chance(0.08)) plan.push('NOT_STARTED', 'IN_PROGRESS');
      if (rng.chance(0.45)) plan.push('note');
      if (rng.chance(0.8)) {
        plan.push('COMPLETED');
        if (rng.chance(0.12)) {
          plan.push('IN_PROGRESS', 'note');
          if (rng.chance(0.7)) plan.push('COMPLETED');
        }
      }
      if (rng.chance(0.15)) plan.push('note');
    }
    if (rng.chance(0.03)) plan.push('override');
    return plan.reverse();
  }
}

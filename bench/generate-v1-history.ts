/**
 * A deterministic generator of a realistic legacy V1 history (shared/legacy-v1/EVENTS.md), for
 * the import and rebuild benchmarks.
 *
 * Same seed and size, same bytes: every random choice comes from one seeded PRNG, every uuid is
 * derived from the seed and a counter, and business time is a clock the generator advances.
 *
 * The history is a handful of concurrently running "scripts" (a project and its supplier project
 * instances, the catalog maintenance, supplier administration), interleaved at random one event
 * at a time. Each script only writes what the legacy portal could have written given what is
 * already in the log, so every prefix of the output is a valid history; that is why the output
 * can stop at exactly `targetEvents`. Memory holds only the scripts that are running, the catalog
 * and the supplier list, not the history, so millions of events stream in constant memory.
 *
 * Usage: node dist/bench/generate-v1-history.js OUT.ndjson 1000000 [seed]
 */
import { createCipheriv, createHash, type Cipher } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface V1Line {
  streamId: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: {
    occurredAt: string;
    actor: string;
    correlationId?: string;
    causationId?: string;
    [extra: string]: unknown;
  };
}

export interface GeneratedHistory {
  events: number;
  streams: number;
}

// ---------------------------------------------------------------------------------------------
// Randomness and identifiers

/** sfc32: fast, good enough for test data, and trivially seedable (unlike Math.random). */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads a small seed over the whole state so that seeds 1 and 2 differ fully.
    let s = seed >>> 0;
    const mix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** In [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Inclusive bounds. */
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

const HEX_CHARS = Buffer.from('0123456789abcdef', 'latin1');
const UUIDS_PER_REFILL = 4096;

/**
 * uuid v5-shaped ids (version and variant bits set, so strict uuid validators accept them)
 * derived from a counter: the AES-128-CTR keystream under a key hashed from the seed, i.e. the
 * encryption of counter 0, 1, 2, ... Distinct counters give distinct blocks (AES is a
 * permutation), and one cipher call yields thousands of ids: a createHash per id would cost more
 * than the rest of the generator.
 */
class UuidSource {
  private readonly cipher: Cipher;
  private text: Buffer = Buffer.alloc(0);
  private index = UUIDS_PER_REFILL;

  constructor(seed: number) {
    const key = createHash('sha256').update(`v1-history:${seed}`).digest().subarray(0, 16);
    this.cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  }

  next(): string {
    if (this.index >= UUIDS_PER_REFILL) this.refill();
    const start = 36 * this.index++;
    return this.text.toString('latin1', start, start + 36);
  }

  private refill(): void {
    const bytes = this.cipher.update(Buffer.alloc(16 * UUIDS_PER_REFILL));
    const text = Buffer.alloc(36 * UUIDS_PER_REFILL);
    for (let i = 0; i < UUIDS_PER_REFILL; i++) {
      bytes[16 * i + 6] = (bytes[16 * i + 6]! & 0x0f) | 0x50;
      bytes[16 * i + 8] = (bytes[16 * i + 8]! & 0x3f) | 0x80;
      let at = 36 * i;
      for (let j = 0; j < 16; j++) {
        if (j === 4 || j === 6 || j === 8 || j === 10) text[at++] = 0x2d;
        const byte = bytes[16 * i + j]!;
        text[at++] = HEX_CHARS[byte >> 4]!;
        text[at++] = HEX_CHARS[byte & 0x0f]!;
      }
    }
    this.text = text;
    this.index = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const SUPPLIER_STEMS = [
  'Acme',
  'Nordwerk',
  'Kühn & Söhne',
  'Sakura Seiki',
  'Vega',
  'Atlas',
  'Østfold Metall',
  'Crâne Industrie',
  'Brembo-Łódź',
  'Hanse',
  'Duarte & Filhos',
  'Zhejiang Hongda',
  'Pohjola',
  'Alpenguss',
  'Tecnoplast',
  'Şahin Otomotiv',
];
const SUPPLIER_FORMS = [
  'Castings GmbH',
  'Precision Ltd',
  'Plastics S.A.',
  'Forge AB',
  'Electronics Co., Ltd.',
  'Stamping s.r.o.',
  'Components Sp. z o.o.',
  'Rubber S.p.A.',
];
const PARTS = [
  'Brake Caliper',
  'Door Module',
  'Seat Frame',
  'Wiring Harness',
  'Headlamp',
  'Oil Pan',
  'Steering Knuckle',
  'Battery Tray',
  'Heat Shield',
  'Wheel Hub',
  'Dashboard Carrier',
  'Mirror Housing',
];
const TASK_TITLES = [
  'Dimensional report',
  'Material certificates',
  'PPAP submission',
  'Run @ rate',
  'Capability study (Cpk ≥ 1.67)',
  'Tooling approval',
  'Packaging specification',
  'IMDS entry',
  'Control plan',
  'PFMEA review',
  'Initial samples delivered',
  'Appearance approval (AAR)',
  'Gauge R&R',
  'Labelling check',
  'Sub-supplier list',
  'Prüfplan freigegeben',
  'Salt spray test 720 h',
  'Deviation request',
];
const MILESTONE_PHRASES = [
  'Initial Samples',
  'Production Approval',
  'Pre-series',
  'Serial Release',
  'Tooling Kick-off',
  'Off-tool Parts',
  'Nachbemusterung',
  'Ramp-up',
];
const NOTE_TEXTS = [
  'Dimensional report uploaded, CMM run attached.',
  'Certificates per EN 10204 3.1 attached.',
  'Trial booked; waiting on tooling release.',
  'Prüfbericht hochgeladen ✅',
  'Échantillons reçus — conformes.',
  '模具已发货，预计下周到达。',
  'Maße i.O., Ø 12,5 mm ±0,05 geprüft 👍',
  'Customer asked for a re-run — see 8D #4711.',
  'Próbki wysłane kurierem, nr przesyłki w załączniku.',
  'Waiting for sub-supplier (ETA unknown) ⏳',
  '"Quoted" text with a backslash \\ and a tab\tinside.',
  'Line one\nline two of a multi-line note.',
];
const PEOPLE = [
  'j.keller',
  'a.novak',
  'm.rossi',
  'zoë.müller',
  's.tanaka',
  'k.øberg',
  'l.martin',
  'p.kowalski',
];
const PORTAL_ACTOR = 'legacy-portal';

interface TaskTypeTemplate {
  name: string;
  prefix: string;
  /** The first milestone number: part approval milestones historically start at PA2. */
  firstNumber: number;
}
const TASK_TYPE_TEMPLATES: TaskTypeTemplate[] = [
  { name: 'Part Approval', prefix: 'PA', firstNumber: 2 },
  { name: 'NMR Handling', prefix: 'NMR', firstNumber: 1 },
  { name: 'Tooling Release', prefix: 'TL', firstNumber: 1 },
  { name: 'PART APPROVAL – Castings', prefix: 'PAC', firstNumber: 2 },
  { name: 'Logistics Onboarding', prefix: 'LO', firstNumber: 1 },
  { name: 'nmr deviation (Änderung)', prefix: 'NMD', firstNumber: 1 },
  { name: 'Quality Audit', prefix: 'QA', firstNumber: 1 },
  { name: 'Run-at-Rate', prefix: 'RR', firstNumber: 1 },
];

// ---------------------------------------------------------------------------------------------
// State shared by the scripts

interface Supplier {
  id: string;
  stream: string;
  name: string;
  people: string[];
}

interface TaskType {
  id: string;
  stream: string;
  name: string;
  prefix: string;
  nextNumber: number;
  nextSortOrder: number;
  milestones: Milestone[];
  tasks: Task[];
}

interface Milestone {
  id: string;
  code: string;
  name: string;
  /** Created to be emptied and deleted; never referenced by a project milestone task. */
  scratch: boolean;
  deleted: boolean;
  tasks: number;
  nextTaskSortOrder: number;
}

interface Task {
  id: string;
  title: string;
  milestone: Milestone;
}

interface ProjectMilestoneTask {
  id: string;
  task: Task;
  dueDate: string;
  /** Never instantiated, so it may be removed. */
  optional: boolean;
  removed: boolean;
  instances: number;
}

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

const DAY_MS = 86_400_000;

class HistoryGenerator {
  readonly rng: Rng;
  readonly ids: UuidSource;
  /** Business time in epoch ms: strictly increases with every event. */
  clock = Date.UTC(2025, 4, 5, 8, 0, 0, 0);
  readonly suppliers: Supplier[] = [];
  readonly taskTypes: TaskType[] = [];
  private supplierCount = 0;
  private projectCount = 0;
  private taskTypeCount = 0;
  streams = 0;

  constructor(
    readonly targetEvents: number,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    this.ids = new UuidSource(seed);
  }

  /** Yields exactly `targetEvents` lines (unless the target is 0). */
  *lines(): Generator<V1Line> {
    const rng = this.rng;
    const active: Script[] = [this.bootstrap()];
    let emitted = 0;
    // Projects running side by side: enough interleaving to look like a live portal.
    const concurrentProjects = 8;
    let bootstrapping = true;
    let runningProjects = 0;
    const startProject = () => {
      runningProjects++;
      active.push(this.project(() => runningProjects--));
    };
    while (emitted < this.targetEvents) {
      if (bootstrapping && active.length === 0) {
        bootstrapping = false;
        active.push(this.catalogMaintenance(), this.supplierAdministration());
      }
      if (!bootstrapping) while (runningProjects < concurrentProjects) startProject();
      const index = Math.floor(rng.next() * active.length);
      const script = active[index]!;
      const step = script.next();
      if (this.spawned.length > 0) {
        active.push(...this.spawned);
        this.spawned = [];
      }
      if (step.done) {
        active[index] = active[active.length - 1]!;
        active.pop();
        continue;
      }
      if (step.value === SKIP) continue;
      yield this.envelope(step.value);
      emitted++;
    }
  }

  /** Scripts started by a script (a project starts its supplier project instances). */
  private spawned: Script[] = [];

  private envelope(emit: Emit): V1Line {
    const rng = this.rng;
    // Mostly seconds to minutes apart, sometimes a quiet night.
    this.clock += rng.chance(0.002) ? rng.int(3_600_000, 14 * 3_600_000) : rng.int(1, 90_000);
    const eventId = emit.eventId ?? this.ids.next();
    const metadata: V1Line['metadata'] = {
      occurredAt: new Date(this.clock).toISOString(),
      actor: emit.actor,
      correlationId: emit.correlationId ?? this.ids.next(),
    };
    if (emit.causationId !== undefined) metadata.causationId = emit.causationId;
    // The legacy portal grew metadata over the years; readers must keep what they do not know.
    if (rng.chance(0.03)) {
      metadata.portalVersion = rng.pick(['3.2.0', '3.14.2', '4.0.1']);
      if (rng.chance(0.5)) metadata.clientIp = `10.${rng.int(0, 255)}.${rng.int(0, 255)}.7`;
    }
    if (rng.chance(0.02)) emit.data.legacyRowVersion = rng.int(1, 40);
    if (emit.type === 'SupplierRegistered' || emit.type === 'ProjectCreated') this.streams++;
    if (emit.type === 'TaskTypeCreated' || emit.type === 'SupplierProjectInstanceCreated')
      this.streams++;
    return { streamId: emit.streamId, eventId, type: emit.type, data: emit.data, metadata };
  }

  private date(offsetDays: number): string {
    return new Date(this.clock + offsetDays * DAY_MS).toISOString().slice(0, 10);
  }

  // ---- catalog and suppliers -------------------------------------------------------------

  private *bootstrap(): Script {
    const typeCount = Math.min(
      TASK_TYPE_TEMPLATES.length,
      4 + Math.floor(this.targetEvents / 250_000),
    );
    for (let i = 0; i < typeCount; i++) yield* this.newTaskType();
    // About one supplier per 2,500 events: a supplier then works on a few dozen projects.
    const supplierCount = Math.max(5, Math.min(2000, Math.floor(this.targetEvents / 2500)));
    for (let i = 0; i < supplierCount; i++) yield this.newSupplier();
  }

  private newSupplier(): Emit {
    const rng = this.rng;
    const n = ++this.supplierCount;
    const id = this.ids.next();
    const name = `${rng.pick(SUPPLIER_STEMS)} ${rng.pick(SUPPLIER_FORMS)}`;
    const domain = `supplier${n}.example`;
    const people = [rng.pick(PEOPLE), rng.pick(PEOPLE)].map((p) => `${p}@${domain}`);
    const supplier: Supplier = { id, stream: `supplier-${id}`, name, people };
    this.suppliers.push(supplier);
    return {
      streamId: supplier.stream,
      type: 'SupplierRegistered',
      data: { supplierId: id, code: `SUP-${String(n).padStart(4, '0')}`, name },
      actor: PORTAL_ACTOR,
    };
  }

  private *newTaskType(): Script {
    const rng = this.rng;
    const template = TASK_TYPE_TEMPLATES[this.taskTypeCount % TASK_TYPE_TEMPLATES.length]!;
    const round = Math.floor(this.taskTypeCount / TASK_TYPE_TEMPLATES.length);
    this.taskTypeCount++;
    const id = this.ids.next();
    const taskType: TaskType = {
      id,
      stream: `tasktype-${id}`,
      name: round === 0 ? template.name : `${template.name} (${round + 1})`,
      prefix: template.prefix,
      nextNumber: template.firstNumber,
      nextSortOrder: 1,
      milestones: [],
      tasks: [],
    };
    yield {
      streamId: taskType.stream,
      type: 'TaskTypeCreated',
      data: { taskTypeId: id, name: taskType.name },
      actor: PORTAL_ACTOR,
    };
    const milestoneCount = rng.int(2, 5);
    for (let m = 0; m < milestoneCount; m++) {
      const milestone = yield* this.newMilestone(taskType, false);
      const taskCount = rng.int(2, 6);
      for (let t = 0; t < taskCount; t++) yield this.newTask(taskType, milestone);
    }
    // Listed only once complete: projects and catalog edits pick among its milestones and tasks.
    this.taskTypes.push(taskType);
  }

  private *newMilestone(
    taskType: TaskType,
    scratch: boolean,
  ): Generator<Step, Milestone, undefined> {
    const code = `${taskType.prefix}${taskType.nextNumber++}`;
    const milestone: Milestone = {
      id: this.ids.next(),
      code,
      name: `${code} - ${this.rng.pick(MILESTONE_PHRASES)}`,
      scratch,
      deleted: false,
      tasks: 0,
      nextTaskSortOrder: 1,
    };
    yield {
      streamId: taskType.stream,
      type: 'MilestoneCreated',
      data: {
        taskTypeId: taskType.id,
        milestoneId: milestone.id,
        code,
        name: milestone.name,
        sortOrder: taskType.nextSortOrder++,
      },
      actor: PORTAL_ACTOR,
    };
    taskType.milestones.push(milestone);
    return milestone;
  }

  private newTask(taskType: TaskType, milestone: Milestone): Emit {
    const task: Task = { id: this.ids.next(), title: this.rng.pick(TASK_TITLES), milestone };
    taskType.tasks.push(task);
    milestone.tasks++;
    return {
      streamId: taskType.stream,
      type: 'TaskCreated',
      data: {
        taskTypeId: taskType.id,
        milestoneId: milestone.id,
        taskId: task.id,
        title: task.title,
        sortOrder: milestone.nextTaskSortOrder++,
      },
      actor: PORTAL_ACTOR,
    };
  }

  private moveTask(taskType: TaskType, task: Task, to: Milestone): Emit {
    const from = task.milestone;
    from.tasks--;
    to.tasks++;
    task.milestone = to;
    return {
      streamId: taskType.stream,
      type: 'TaskMovedToMilestone',
      data: {
        taskTypeId: taskType.id,
        taskId: task.id,
        fromMilestoneId: from.id,
        toMilestoneId: to.id,
      },
      actor: PORTAL_ACTOR,
    };
  }

  /** Rare edits of the catalog, forever; mostly idle so that it stays a small share of the log. */
  private *catalogMaintenance(): Script {
    const rng = this.rng;
    for (;;) {
      if (!rng.chance(0.02)) {
        yield SKIP;
        continue;
      }
      const taskType = rng.pick(this.taskTypes);
      const permanent = taskType.milestones.filter((m) => !m.scratch && !m.deleted);
      const action = rng.next();
      if (action < 0.25) {
        yield this.newTask(taskType, rng.pick(permanent));
      } else if (action < 0.45) {
        const task = rng.pick(taskType.tasks);
        task.title = `${rng.pick(TASK_TITLES)} v${rng.int(2, 9)}`;
        yield {
          streamId: taskType.stream,
          type: 'TaskRenamed',
          data: { taskTypeId: taskType.id, taskId: task.id, title: task.title },
          actor: PORTAL_ACTOR,
        };
      } else if (action < 0.6) {
        const milestone = rng.pick(permanent);
        milestone.name = `${milestone.code} – ${rng.pick(MILESTONE_PHRASES)}`;
        yield {
          streamId: taskType.stream,
          type: 'MilestoneRenamed',
          data: { taskTypeId: taskType.id, milestoneId: milestone.id, name: milestone.name },
          actor: PORTAL_ACTOR,
        };
      } else if (action < 0.8) {
        // Between milestones that stay: a project milestone task of the task keeps its id.
        const task = rng.pick(taskType.tasks.filter((t) => !t.milestone.scratch));
        const targets = permanent.filter((m) => m !== task.milestone);
        if (targets.length > 0) yield this.moveTask(taskType, task, rng.pick(targets));
      } else if (action < 0.97) {
        // A milestone that is tried and dropped: created, given tasks, emptied, deleted.
        const scratch = yield* this.newMilestone(taskType, true);
        const tasks: Task[] = [];
        const count = rng.int(0, 2);
        for (let i = 0; i < count; i++) {
          yield SKIP;
          yield this.newTask(taskType, scratch);
          tasks.push(taskType.tasks.at(-1)!);
        }
        for (const task of tasks) {
          while (rng.chance(0.9)) yield SKIP;
          yield this.moveTask(taskType, task, rng.pick(permanent));
        }
        scratch.deleted = true;
        yield {
          streamId: taskType.stream,
          type: 'MilestoneDeleted',
          data: { taskTypeId: taskType.id, milestoneId: scratch.id },
          actor: PORTAL_ACTOR,
        };
      } else {
        yield* this.newTaskType();
      }
    }
  }

  private *supplierAdministration(): Script {
    const rng = this.rng;
    for (;;) {
      if (!rng.chance(0.01)) {
        yield SKIP;
        continue;
      }
      if (rng.chance(0.3)) {
        yield this.newSupplier();
        continue;
      }
      const supplier = rng.pick(this.suppliers);
      supplier.name = `${rng.pick(SUPPLIER_STEMS)} ${rng.pick(SUPPLIER_FORMS)}`;
      yield {
        streamId: supplier.stream,
        type: 'SupplierRenamed',
        data: { supplierId: supplier.id, name: supplier.name },
        actor: PORTAL_ACTOR,
      };
    }
  }

  // ---- projects --------------------------------------------------------------------------

  private *project(onDone: () => void): Script {
    const rng = this.rng;
    const n = ++this.projectCount;
    const projectId = this.ids.next();
    const stream = `project-${projectId}`;
    const year = 2026 + (n % 4);
    yield {
      streamId: stream,
      type: 'ProjectCreated',
      data: {
        projectId,
        code: `PRJ-${year}-${String(n).padStart(5, '0')}`,
        name: `MY${year} ${rng.pick(PARTS)}`,
      },
      actor: PORTAL_ACTOR,
    };

    const taskType = rng.pick(this.taskTypes);
    const eligible = taskType.tasks.filter((t) => !t.milestone.scratch);
    const count = Math.min(eligible.length, rng.int(4, 14));
    const pmts: ProjectMilestoneTask[] = [];
    for (let i = 0; i < count; i++) {
      const task = eligible.splice(Math.floor(rng.next() * eligible.length), 1)[0]!;
      const pmt: ProjectMilestoneTask = {
        id: this.ids.next(),
        task,
        dueDate: this.date(rng.int(21, 200)),
        optional: rng.chance(0.1),
        removed: false,
        instances: 0,
      };
      pmts.push(pmt);
      yield {
        streamId: stream,
        type: 'ProjectMilestoneTaskCreated',
        data: {
          projectId,
          projectMilestoneTaskId: pmt.id,
          milestoneId: task.milestone.id,
          taskId: task.id,
          dueDate: pmt.dueDate,
        },
        actor: PORTAL_ACTOR,
      };
    }

    // Suppliers join one after another while the project runs.
    const supplierCount = Math.min(this.suppliers.length, rng.int(3, 9));
    const chosen = new Set<Supplier>();
    while (chosen.size < supplierCount) chosen.add(rng.pick(this.suppliers));
    let running = 0;
    for (const supplier of chosen) {
      running++;
      this.spawned.push(this.supplierProject(supplier, projectId, pmts, () => running--));
      for (let wait = rng.int(0, 6); wait > 0; wait--) yield SKIP;
    }

    let dueDateChanges = rng.chance(0.35) ? rng.int(1, 3) : 0;
    while (running > 0) {
      if (!rng.chance(0.03)) {
        yield SKIP;
        continue;
      }
      const instantiated = pmts.filter((p) => p.instances > 0);
      if (dueDateChanges > 0 && instantiated.length > 0) {
        dueDateChanges--;
        const pmt = rng.pick(instantiated);
        pmt.dueDate = this.date(rng.int(7, 120));
        yield {
          streamId: stream,
          type: 'ProjectMilestoneTaskDueDateChanged',
          data: { projectId, projectMilestoneTaskId: pmt.id, dueDate: pmt.dueDate },
          actor: rng.chance(0.5) ? PORTAL_ACTOR : `buyer${rng.int(1, 20)}@oem.example`,
        };
        continue;
      }
      const removable = pmts.find((p) => p.optional && !p.removed && p.instances === 0);
      if (removable && rng.chance(0.5)) {
        removable.removed = true;
        yield {
          streamId: stream,
          type: 'ProjectMilestoneTaskRemoved',
          data: { projectId, projectMilestoneTaskId: removable.id },
          actor: PORTAL_ACTOR,
        };
      }
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
      dueDate: string;
      /** The remaining steps, in order, last first (popped). */
      steps: Array<'start' | 'complete' | 'reopen' | 'note' | 'override'>;
      status: 'NOT_STARTED' | 'IN_PROGRESS' | 'COMPLETED';
    }
    const instances: Instance[] = [];
    for (const pmt of pmts) {
      if (pmt.optional || pmt.removed) continue;
      const instance: Instance = {
        id: this.ids.next(),
        dueDate: pmt.dueDate,
        steps: this.instancePlan(),
        status: 'NOT_STARTED',
      };
      instances.push(instance);
      pmt.instances++;
      // One command of the portal created the project instance and all its task instances.
      yield {
        streamId: stream,
        type: 'SupplierTaskInstanceCreated',
        data: {
          supplierProjectInstanceId: spiId,
          supplierTaskInstanceId: instance.id,
          projectMilestoneTaskId: pmt.id,
        },
        actor: PORTAL_ACTOR,
        correlationId,
        causationId: createdEventId,
      };
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
      if (step === 'note') {
        yield {
          streamId: stream,
          type: 'SupplierTaskNoteAdded',
          data: { ...ref, noteId: this.ids.next(), text: rng.pick(NOTE_TEXTS), author: person },
          actor: PORTAL_ACTOR,
        };
      } else if (step === 'override') {
        instance.dueDate = this.date(rng.int(14, 150));
        yield {
          streamId: stream,
          type: 'SupplierTaskDueDateOverridden',
          data: { ...ref, dueDate: instance.dueDate },
          actor: rng.chance(0.7) ? `buyer${rng.int(1, 20)}@oem.example` : person,
        };
      } else {
        const from = instance.status;
        const to = step === 'complete' ? 'COMPLETED' : 'IN_PROGRESS';
        instance.status = to;
        yield {
          streamId: stream,
          type: 'SupplierTaskStatusChanged',
          data: { ...ref, from, to },
          actor: person,
        };
      }
    }
    onDone();
  }

  /** A task instance's life: started, completed, sometimes reopened, with notes on the way. */
  private instancePlan(): Array<'start' | 'complete' | 'reopen' | 'note' | 'override'> {
    const rng = this.rng;
    const plan: Array<'start' | 'complete' | 'reopen' | 'note' | 'override'> = [];
    if (rng.chance(0.12)) plan.push('override');
    if (rng.chance(0.85)) {
      plan.push('start');
      if (rng.chance(0.45)) plan.push('note');
      if (rng.chance(0.8)) {
        plan.push('complete');
        if (rng.chance(0.07)) {
          plan.push('reopen', 'note');
          if (rng.chance(0.7)) plan.push('complete');
        }
      }
      if (rng.chance(0.15)) plan.push('note');
    }
    if (rng.chance(0.03)) plan.push('override');
    return plan.reverse();
  }
}

/** The history as objects, in file order; for benchmarks that need events without a file. */
export function* generateV1History(targetEvents: number, seed = 42): Generator<V1Line> {
  yield* new HistoryGenerator(targetEvents, seed).lines();
}

/** Writes the history as NDJSON, streaming: memory stays flat however many events. */
export async function writeV1History(
  path: string,
  targetEvents: number,
  seed = 42,
): Promise<GeneratedHistory> {
  const generator = new HistoryGenerator(targetEvents, seed);
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  let events = 0;
  // Lines are encoded straight into a buffer: concatenating a string per megabyte and then
  // flattening it cost more than generating the events.
  const size = 1 << 20;
  let chunk = Buffer.allocUnsafe(size);
  let used = 0;
  for (const line of generator.lines()) {
    const text = JSON.stringify(line) + '\n';
    events++;
    if (used + 3 * text.length > size) {
      if (!out.write(chunk.subarray(0, used))) await Promise.race([once(out, 'drain'), failed]);
      chunk = Buffer.allocUnsafe(Math.max(size, 3 * text.length));
      used = 0;
    }
    used += chunk.write(text, used, 'utf8');
  }
  out.end(chunk.subarray(0, used));
  await Promise.race([once(out, 'finish'), failed]);
  return { events, streams: generator.streams };
}

async function main(argv: string[]): Promise<void> {
  const [path, count, seed] = argv;
  const target = Number(count);
  if (!path || !Number.isInteger(target) || target < 0) {
    console.error('usage: node dist/bench/generate-v1-history.js OUT.ndjson EVENTS [SEED]');
    process.exitCode = 2;
    return;
  }
  const started = process.hrtime.bigint();
  const result = await writeV1History(path, target, seed === undefined ? 42 : Number(seed));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `${path}: ${result.events} events in ${result.streams} streams, ${seconds.toFixed(1)} s ` +
      `(${Math.round(result.events / seconds)} events/s)`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

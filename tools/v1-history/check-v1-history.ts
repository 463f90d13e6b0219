/**
 * Checks a V1 `.ndjson` history against the rules of docs/legacy-v1/EVENTS.md that a
 * generated history must keep (the importer checks only the shapes): every line passes the
 * importer's schema, eventIds are unique, business time increases, each stream starts with its
 * creation event, references point at live entities, milestones are deleted only when empty,
 * project milestone tasks are removed only when no instance references them, and a status
 * changes from the status the instance is in. Every rule looks only at the lines before, so a
 * history that passes has only valid prefixes.
 *
 * It also counts each case of the contract (CASES), so that a test can show a generated
 * history holds them all.
 *
 * Usage: node dist/tools/v1-history/check-v1-history.js FILE.ndjson
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { v1LineSchema } from '../../src/legacy-import/v1-line.schema';
import { V1DataSchemas, type V1EventType } from '../../upcasters/v1.events';

interface Line {
  streamId: string;
  eventId: string;
  type: V1EventType;
  data: Record<string, unknown>;
  metadata: { occurredAt: string; [key: string]: unknown };
}

/** The cases of EVENTS.md a history is checked for, each counted where it occurs. */
const CASES = [
  // Task types named for each V2 category: "part approval" in any case, "nmr", neither, and
  // both (part approval wins).
  'categoryPartApproval',
  'categoryNmr',
  'categoryUnclassified',
  'categoryBothWords',
  // A milestone or task created with the sort order of one before it in the same place.
  'sortOrderTie',
  'milestoneDeletedUnused',
  // Deleted once the tasks it had moved away.
  'milestoneDeletedEmptied',
  // Deleted while a project milestone task created in it still exists.
  'milestoneDeletedNamedByPmt',
  // A task moved to another milestone while task instances of it exist.
  'taskMovedWithInstances',
  // A project milestone task for a task its project already has one for.
  'pmtOfSameTaskTwice',
  'projectOfTwoTaskTypes',
  // At the end of the history.
  'projectWithoutPmts',
  'pmtDueDateChangedBeforeInstances',
  'pmtDueDateChangedAfterInstances',
  'pmtRemoved',
  'pmtRemovedAfterDueDateChange',
  // The instance starts from the changed date.
  'instanceCreatedAfterDueDateChange',
  // Two supplier project instances of one supplier in one project.
  'supplierTwiceInProject',
  // At the end of the history.
  'supplierProjectWithoutInstances',
  'override',
  // An instance overridden again: the last override counts.
  'overrideRepeated',
  // A project milestone task's date changed while an instance of it had an override.
  'dueDateChangedUnderOverride',
  // Status changes: NOT_STARTED → IN_PROGRESS, IN_PROGRESS → COMPLETED, COMPLETED → IN_PROGRESS,
  // NOT_STARTED → COMPLETED, IN_PROGRESS → NOT_STARTED.
  'started',
  'completed',
  'reopened',
  'completedUnstarted',
  'putBack',
  'unknownDataField',
  'unknownMetadataField',
  // An unknown field holding an object or an array.
  'nestedUnknownField',
  // Names, titles, notes and authors: what the read models must keep byte for byte.
  'nonAsciiText',
  'emojiText',
  'rightToLeftText',
  'controlCharacterText',
  'quoteOrBackslashText',
  'withoutCorrelation',
  'withCausation',
] as const;
export type HistoryCase = (typeof CASES)[number];

export interface HistoryCheck {
  events: number;
  streams: number;
  byType: Record<string, number>;
  cases: Record<HistoryCase, number>;
}

const CREATION: Record<string, string> = {
  supplier: 'SupplierRegistered',
  project: 'ProjectCreated',
  tasktype: 'TaskTypeCreated',
  supplierproject: 'SupplierProjectInstanceCreated',
};
const OWN_ID: Record<string, string> = {
  supplier: 'supplierId',
  project: 'projectId',
  tasktype: 'taskTypeId',
  supplierproject: 'supplierProjectInstanceId',
};
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** The status changes the legacy portal wrote; any other is a generator's mistake. */
const TRANSITIONS: Record<string, HistoryCase> = {
  'NOT_STARTED>IN_PROGRESS': 'started',
  'IN_PROGRESS>COMPLETED': 'completed',
  'COMPLETED>IN_PROGRESS': 'reopened',
  'NOT_STARTED>COMPLETED': 'completedUnstarted',
  'IN_PROGRESS>NOT_STARTED': 'putBack',
};
const KNOWN_METADATA = new Set(['occurredAt', 'actor', 'correlationId', 'causationId']);
const KNOWN_DATA = new Map(
  Object.entries(V1DataSchemas).map(([type, schema]) => [type, new Set(Object.keys(schema.shape))]),
);
const TEXT_FIELDS = ['name', 'title', 'text', 'author'];
const TEXT_CASES: Array<[HistoryCase, RegExp]> = [
  ['nonAsciiText', /\P{ASCII}/u],
  ['emojiText', /\p{Extended_Pictographic}/u],
  ['rightToLeftText', /\p{Script=Hebrew}|\p{Script=Arabic}/u],
  ['controlCharacterText', /[\n\r\t]/],
  ['quoteOrBackslashText', /["\\]/],
];

export async function checkV1History(path: string): Promise<HistoryCheck> {
  return checkV1Lines(createInterface({ input: createReadStream(path), crlfDelay: Infinity }));
}

export async function checkV1Lines(
  texts: Iterable<string> | AsyncIterable<string>,
): Promise<HistoryCheck> {
  const streams = new Map<string, number>();
  const eventIds = new Set<string>();
  const suppliers = new Set<string>();
  const projects = new Map<
    string,
    { pmts: number; taskIds: Set<string>; taskTypes: Set<string> }
  >();
  const milestones = new Map<
    string,
    { taskTypeId: string; tasks: number; hadTasks: boolean; pmts: number; deleted: boolean }
  >();
  const tasks = new Map<string, { taskTypeId: string; milestoneId: string; instances: number }>();
  const pmts = new Map<
    string,
    {
      projectId: string;
      taskId: string;
      milestoneId: string;
      instances: number;
      overridden: number;
      dueDateChanged: boolean;
      removed: boolean;
    }
  >();
  const spis = new Map<string, { projectId: string; instances: number }>();
  const supplierProjects = new Set<string>();
  const instances = new Map<
    string,
    { spi: string; pmt: string; status: string; overrides: number }
  >();
  const noteIds = new Set<string>();
  /** Sort orders already given, per task type (milestones) and per milestone (tasks). */
  const sortOrders = new Map<string, Set<number>>();
  const byType: Record<string, number> = {};
  const cases = Object.fromEntries(CASES.map((name) => [name, 0])) as Record<HistoryCase, number>;
  const tieIn = (place: string, sortOrder: number) => {
    const given = sortOrders.get(place) ?? new Set<number>();
    if (given.has(sortOrder)) cases.sortOrderTie++;
    sortOrders.set(place, given.add(sortOrder));
  };
  let lastTime = '';
  let n = 0;

  for await (const text of texts) {
    if (text.trim() === '') continue;
    n++;
    const fail: (reason: string) => never = (reason) => {
      throw new Error(`line ${n}: ${reason}: ${text.slice(0, 300)}`);
    };
    const parsed = v1LineSchema.safeParse(JSON.parse(text));
    if (!parsed.success) fail(`schema: ${parsed.error.issues[0]?.message ?? '?'}`);
    const line = parsed.data as unknown as Line;
    const { data, metadata } = line;
    byType[line.type] = (byType[line.type] ?? 0) + 1;
    if (eventIds.has(line.eventId)) fail('repeated eventId');
    eventIds.add(line.eventId);
    if (!ISO_MS.test(metadata.occurredAt)) fail('occurredAt format');
    if (metadata.occurredAt <= lastTime) fail('occurredAt does not increase');
    lastTime = metadata.occurredAt;

    const known = KNOWN_DATA.get(line.type)!;
    const unknownData = Object.keys(data).filter((k) => !known.has(k));
    const unknownMetadata = Object.keys(metadata).filter((k) => !KNOWN_METADATA.has(k));
    if (unknownData.length > 0) cases.unknownDataField++;
    if (unknownMetadata.length > 0) cases.unknownMetadataField++;
    const unknownValues = [
      ...unknownData.map((k) => data[k]),
      ...unknownMetadata.map((k) => metadata[k]),
    ];
    if (unknownValues.some((v) => typeof v === 'object' && v !== null)) cases.nestedUnknownField++;
    if (metadata.correlationId === undefined) cases.withoutCorrelation++;
    if (metadata.causationId !== undefined) cases.withCausation++;
    for (const field of TEXT_FIELDS) {
      const value = data[field];
      if (typeof value !== 'string') continue;
      for (const [name, pattern] of TEXT_CASES) if (pattern.test(value)) cases[name]++;
    }

    const dash = line.streamId.indexOf('-');
    const category = line.streamId.slice(0, dash);
    const revision = streams.get(line.streamId);
    if (revision === undefined && line.type !== CREATION[category])
      fail('stream does not start with its creation event');
    if (revision !== undefined && line.type === CREATION[category]) fail('created twice');
    streams.set(line.streamId, (revision ?? -1) + 1);
    if (data[OWN_ID[category]!] !== line.streamId.slice(dash + 1))
      fail(`data.${OWN_ID[category]} is not the stream's id`);

    const s = (key: string): string => String(data[key]);
    const liveMilestone = (key: string) => {
      const m = milestones.get(s(key));
      if (!m || m.deleted || m.taskTypeId !== s('taskTypeId')) fail('no such milestone');
      return m;
    };
    const livePmt = () => {
      const pmt = pmts.get(s('projectMilestoneTaskId'));
      if (!pmt || pmt.removed) fail('no such PMT');
      return pmt;
    };
    switch (line.type) {
      case 'SupplierRegistered':
        suppliers.add(s('supplierId'));
        break;
      case 'ProjectCreated':
        projects.set(s('projectId'), { pmts: 0, taskIds: new Set(), taskTypes: new Set() });
        break;
      case 'TaskTypeCreated': {
        const name = s('name').toLowerCase();
        const partApproval = name.includes('part approval');
        const nmr = name.includes('nmr');
        if (partApproval && nmr) cases.categoryBothWords++;
        else if (partApproval) cases.categoryPartApproval++;
        else if (nmr) cases.categoryNmr++;
        else cases.categoryUnclassified++;
        break;
      }
      case 'MilestoneCreated':
        if (milestones.has(s('milestoneId'))) fail('milestone id reused');
        milestones.set(s('milestoneId'), {
          taskTypeId: s('taskTypeId'),
          tasks: 0,
          hadTasks: false,
          pmts: 0,
          deleted: false,
        });
        tieIn(s('taskTypeId'), data.sortOrder as number);
        break;
      case 'MilestoneRenamed':
        liveMilestone('milestoneId');
        break;
      case 'MilestoneDeleted': {
        const m = liveMilestone('milestoneId');
        if (m.tasks !== 0) fail('milestone deleted with tasks left');
        m.deleted = true;
        cases[m.hadTasks ? 'milestoneDeletedEmptied' : 'milestoneDeletedUnused']++;
        if (m.pmts > 0) cases.milestoneDeletedNamedByPmt++;
        break;
      }
      case 'TaskCreated': {
        const m = liveMilestone('milestoneId');
        if (tasks.has(s('taskId'))) fail('task id reused');
        m.tasks++;
        m.hadTasks = true;
        tasks.set(s('taskId'), {
          taskTypeId: s('taskTypeId'),
          milestoneId: s('milestoneId'),
          instances: 0,
        });
        tieIn(s('milestoneId'), data.sortOrder as number);
        break;
      }
      case 'TaskRenamed':
        if (tasks.get(s('taskId'))?.taskTypeId !== s('taskTypeId')) fail('no such task');
        break;
      case 'TaskMovedToMilestone': {
        const task = tasks.get(s('taskId'));
        if (!task || task.taskTypeId !== s('taskTypeId')) fail('no such task');
        if (task.milestoneId !== s('fromMilestoneId')) fail('moved from a milestone it is not in');
        const to = liveMilestone('toMilestoneId');
        if (s('fromMilestoneId') === s('toMilestoneId')) fail('moved to where it is');
        milestones.get(task.milestoneId)!.tasks--;
        to.tasks++;
        to.hadTasks = true;
        task.milestoneId = s('toMilestoneId');
        if (task.instances > 0) cases.taskMovedWithInstances++;
        break;
      }
      case 'ProjectMilestoneTaskCreated': {
        const project = projects.get(s('projectId'))!;
        const task = tasks.get(s('taskId'));
        if (!task) fail('no such task');
        if (task.milestoneId !== s('milestoneId')) fail('task is not in that milestone');
        if (pmts.has(s('projectMilestoneTaskId'))) fail('PMT id reused');
        pmts.set(s('projectMilestoneTaskId'), {
          projectId: s('projectId'),
          taskId: s('taskId'),
          milestoneId: s('milestoneId'),
          instances: 0,
          overridden: 0,
          dueDateChanged: false,
          removed: false,
        });
        milestones.get(s('milestoneId'))!.pmts++;
        project.pmts++;
        if (project.taskIds.has(s('taskId'))) cases.pmtOfSameTaskTwice++;
        project.taskIds.add(s('taskId'));
        if (project.taskTypes.size === 1 && !project.taskTypes.has(task.taskTypeId))
          cases.projectOfTwoTaskTypes++;
        project.taskTypes.add(task.taskTypeId);
        break;
      }
      case 'ProjectMilestoneTaskDueDateChanged': {
        const pmt = livePmt();
        if (pmt.projectId !== s('projectId')) fail('PMT of another project');
        pmt.dueDateChanged = true;
        cases[
          pmt.instances > 0 ? 'pmtDueDateChangedAfterInstances' : 'pmtDueDateChangedBeforeInstances'
        ]++;
        if (pmt.overridden > 0) cases.dueDateChangedUnderOverride++;
        break;
      }
      case 'ProjectMilestoneTaskRemoved': {
        const pmt = livePmt();
        if (pmt.projectId !== s('projectId')) fail('PMT of another project');
        if (pmt.instances > 0) fail('PMT removed while instances reference it');
        pmt.removed = true;
        milestones.get(pmt.milestoneId)!.pmts--;
        cases.pmtRemoved++;
        if (pmt.dueDateChanged) cases.pmtRemovedAfterDueDateChange++;
        break;
      }
      case 'SupplierRenamed':
        break;
      case 'SupplierProjectInstanceCreated': {
        if (!suppliers.has(s('supplierId'))) fail('no such supplier');
        if (!projects.has(s('projectId'))) fail('no such project');
        spis.set(s('supplierProjectInstanceId'), { projectId: s('projectId'), instances: 0 });
        const pair = `${s('supplierId')} ${s('projectId')}`;
        if (supplierProjects.has(pair)) cases.supplierTwiceInProject++;
        supplierProjects.add(pair);
        break;
      }
      case 'SupplierTaskInstanceCreated': {
        const pmt = livePmt();
        const spi = spis.get(s('supplierProjectInstanceId'))!;
        if (pmt.projectId !== spi.projectId) fail('PMT of another project');
        if (instances.has(s('supplierTaskInstanceId'))) fail('instance id reused');
        pmt.instances++;
        spi.instances++;
        tasks.get(pmt.taskId)!.instances++;
        if (pmt.dueDateChanged) cases.instanceCreatedAfterDueDateChange++;
        instances.set(s('supplierTaskInstanceId'), {
          spi: s('supplierProjectInstanceId'),
          pmt: s('projectMilestoneTaskId'),
          status: 'NOT_STARTED',
          overrides: 0,
        });
        break;
      }
      default: {
        const instance = instances.get(s('supplierTaskInstanceId'));
        if (!instance || instance.spi !== s('supplierProjectInstanceId')) fail('no such instance');
        if (line.type === 'SupplierTaskStatusChanged') {
          if (instance.status !== s('from')) fail('status changed from a status it is not in');
          const transition = TRANSITIONS[`${s('from')}>${s('to')}`];
          if (!transition) fail('a status change the legacy portal never wrote');
          cases[transition]++;
          instance.status = s('to');
        } else if (line.type === 'SupplierTaskDueDateOverridden') {
          cases.override++;
          if (++instance.overrides === 1) pmts.get(instance.pmt)!.overridden++;
          else cases.overrideRepeated++;
        } else {
          if (noteIds.has(s('noteId'))) fail('noteId reused');
          noteIds.add(s('noteId'));
        }
      }
    }
  }
  for (const project of projects.values()) if (project.pmts === 0) cases.projectWithoutPmts++;
  for (const spi of spis.values()) if (spi.instances === 0) cases.supplierProjectWithoutInstances++;
  return { events: n, streams: streams.size, byType, cases };
}

if (require.main === module) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: node dist/tools/v1-history/check-v1-history.js FILE.ndjson');
    process.exitCode = 2;
  } else {
    checkV1History(path).then(
      (result) => console.log(JSON.stringify(result, null, 2)),
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 1;
      },
    );
  }
}

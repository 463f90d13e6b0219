/**
 * Checks a V1 `.ndjson` history against the rules of shared/legacy-v1/EVENTS.md that a
 * generated history must keep (the importer checks only the shapes): every line passes the
 * importer's schema, eventIds are unique, business time increases, each stream starts with its
 * creation event, references point at live entities, milestones are deleted only when empty,
 * project milestone tasks are removed only when no instance references them, and statuses move
 * from the status the instance is in.
 *
 * Usage: node dist/bench/check-v1-history.js FILE.ndjson
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { v1LineSchema } from '../src/legacy-import/v1-line.schema';

interface Line {
  streamId: string;
  eventId: string;
  type: string;
  data: Record<string, string | number>;
  metadata: { occurredAt: string; [key: string]: unknown };
}

const CREATION: Record<string, string> = {
  supplier: 'SupplierRegistered',
  project: 'ProjectCreated',
  tasktype: 'TaskTypeCreated',
  supplierproject: 'SupplierProjectInstanceCreated',
};
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TRANSITIONS = new Set([
  'NOT_STARTED>IN_PROGRESS',
  'IN_PROGRESS>COMPLETED',
  'COMPLETED>IN_PROGRESS',
]);
const KNOWN_METADATA = new Set(['occurredAt', 'actor', 'correlationId', 'causationId']);

export interface HistoryCheck {
  events: number;
  streams: number;
  byType: Record<string, number>;
  reopened: number;
  unknownDataFields: number;
  unknownMetadataFields: number;
  nonAsciiNotes: number;
}

export async function checkV1History(path: string): Promise<HistoryCheck> {
  const streams = new Map<string, number>();
  const eventIds = new Set<string>();
  const suppliers = new Set<string>();
  const projects = new Set<string>();
  const milestones = new Map<string, { taskTypeId: string; tasks: number; deleted: boolean }>();
  const tasks = new Map<string, { taskTypeId: string; milestoneId: string }>();
  const pmts = new Map<string, { projectId: string; instances: number; removed: boolean }>();
  const spis = new Map<string, string>();
  const instances = new Map<string, { spi: string; status: string }>();
  const noteIds = new Set<string>();
  const byType: Record<string, number> = {};
  const result = { reopened: 0, unknownDataFields: 0, unknownMetadataFields: 0, nonAsciiNotes: 0 };
  let lastTime = '';
  let n = 0;

  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const text of reader) {
    if (text.trim() === '') continue;
    n++;
    const fail = (reason: string): never => {
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
    if (Object.keys(metadata).some((k) => !KNOWN_METADATA.has(k))) result.unknownMetadataFields++;
    if ('legacyRowVersion' in data) result.unknownDataFields++;

    const dash = line.streamId.indexOf('-');
    const category = line.streamId.slice(0, dash);
    const streamUuid = line.streamId.slice(dash + 1);
    const revision = streams.get(line.streamId);
    if (revision === undefined && line.type !== CREATION[category])
      fail('stream does not start with its creation event');
    if (revision !== undefined && line.type === CREATION[category]) fail('created twice');
    streams.set(line.streamId, (revision ?? -1) + 1);
    const own: Record<string, string> = {
      supplier: 'supplierId',
      project: 'projectId',
      tasktype: 'taskTypeId',
      supplierproject: 'supplierProjectInstanceId',
    };
    if (data[own[category]!] !== streamUuid) fail(`data.${own[category]} is not the stream's id`);

    const s = (key: string): string => String(data[key]);
    switch (line.type) {
      case 'SupplierRegistered':
        suppliers.add(s('supplierId'));
        break;
      case 'ProjectCreated':
        projects.add(s('projectId'));
        break;
      case 'MilestoneCreated':
        if (milestones.has(s('milestoneId'))) fail('milestone id reused');
        milestones.set(s('milestoneId'), { taskTypeId: s('taskTypeId'), tasks: 0, deleted: false });
        break;
      case 'MilestoneRenamed':
      case 'MilestoneDeleted': {
        const m = milestones.get(s('milestoneId'));
        if (!m || m.deleted || m.taskTypeId !== s('taskTypeId')) fail('no such milestone');
        if (line.type === 'MilestoneDeleted') {
          if (m!.tasks !== 0) fail('milestone deleted with tasks left');
          m!.deleted = true;
        }
        break;
      }
      case 'TaskCreated': {
        const m = milestones.get(s('milestoneId'));
        if (!m || m.deleted || m.taskTypeId !== s('taskTypeId')) fail('no such milestone');
        m!.tasks++;
        tasks.set(s('taskId'), { taskTypeId: s('taskTypeId'), milestoneId: s('milestoneId') });
        break;
      }
      case 'TaskRenamed':
        if (tasks.get(s('taskId'))?.taskTypeId !== s('taskTypeId')) fail('no such task');
        break;
      case 'TaskMovedToMilestone': {
        const task = tasks.get(s('taskId'));
        const to = milestones.get(s('toMilestoneId'));
        if (!task || task.taskTypeId !== s('taskTypeId')) fail('no such task');
        if (task!.milestoneId !== s('fromMilestoneId')) fail('moved from a milestone it is not in');
        if (!to || to.deleted || to.taskTypeId !== s('taskTypeId')) fail('no such target');
        if (s('fromMilestoneId') === s('toMilestoneId')) fail('moved to where it is');
        milestones.get(task!.milestoneId)!.tasks--;
        to!.tasks++;
        task!.milestoneId = s('toMilestoneId');
        break;
      }
      case 'ProjectMilestoneTaskCreated': {
        const task = tasks.get(s('taskId'));
        if (!task) fail('no such task');
        if (task!.milestoneId !== s('milestoneId')) fail('task is not in that milestone');
        pmts.set(s('projectMilestoneTaskId'), {
          projectId: s('projectId'),
          instances: 0,
          removed: false,
        });
        break;
      }
      case 'ProjectMilestoneTaskDueDateChanged':
      case 'ProjectMilestoneTaskRemoved': {
        const pmt = pmts.get(s('projectMilestoneTaskId'));
        if (!pmt || pmt.removed || pmt.projectId !== s('projectId')) fail('no such PMT');
        if (line.type === 'ProjectMilestoneTaskRemoved') {
          if (pmt!.instances > 0) fail('PMT removed while instances reference it');
          pmt!.removed = true;
        } else if (pmt!.instances === 0) fail('PMT due date changed before any instance');
        break;
      }
      case 'TaskTypeCreated':
      case 'SupplierRenamed':
        break;
      case 'SupplierProjectInstanceCreated':
        if (!suppliers.has(s('supplierId'))) fail('no such supplier');
        if (!projects.has(s('projectId'))) fail('no such project');
        spis.set(s('supplierProjectInstanceId'), s('projectId'));
        break;
      case 'SupplierTaskInstanceCreated': {
        const pmt = pmts.get(s('projectMilestoneTaskId'));
        if (!pmt || pmt.removed) fail('no such PMT');
        if (pmt!.projectId !== spis.get(s('supplierProjectInstanceId')))
          fail('PMT of another project');
        if (instances.has(s('supplierTaskInstanceId'))) fail('instance id reused');
        pmt!.instances++;
        instances.set(s('supplierTaskInstanceId'), {
          spi: s('supplierProjectInstanceId'),
          status: 'NOT_STARTED',
        });
        break;
      }
      default: {
        const instance = instances.get(s('supplierTaskInstanceId'));
        if (!instance || instance.spi !== s('supplierProjectInstanceId')) fail('no such instance');
        if (line.type === 'SupplierTaskStatusChanged') {
          if (instance!.status !== s('from')) fail('status changed from a status it is not in');
          if (!TRANSITIONS.has(`${s('from')}>${s('to')}`)) fail('unexpected transition');
          if (s('from') === 'COMPLETED') result.reopened++;
          instance!.status = s('to');
        } else if (line.type === 'SupplierTaskNoteAdded') {
          if (noteIds.has(s('noteId'))) fail('noteId reused');
          noteIds.add(s('noteId'));
          if (/[^\x20-\x7e]/.test(s('text'))) result.nonAsciiNotes++;
        }
      }
    }
  }
  return { events: n, streams: streams.size, byType, ...result };
}

if (require.main === module) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: node dist/bench/check-v1-history.js FILE.ndjson');
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

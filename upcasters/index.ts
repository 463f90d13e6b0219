import { supplierRegisteredUpcaster } from './supplier-registered.upcaster';
import { supplierRenamedUpcaster } from './supplier-renamed.upcaster';
import { projectCreatedUpcaster } from './project-created.upcaster';
import { projectMilestoneTaskCreatedUpcaster } from './project-milestone-task-created.upcaster';
import { projectMilestoneTaskDueDateChangedUpcaster } from './project-milestone-task-due-date-changed.upcaster';
import { projectMilestoneTaskRemovedUpcaster } from './project-milestone-task-removed.upcaster';
import { taskTypeCreatedUpcaster } from './task-type-created.upcaster';
import { milestoneCreatedUpcaster } from './milestone-created.upcaster';
import { milestoneRenamedUpcaster } from './milestone-renamed.upcaster';
import { milestoneDeletedUpcaster } from './milestone-deleted.upcaster';
import { taskCreatedUpcaster } from './task-created.upcaster';
import { taskRenamedUpcaster } from './task-renamed.upcaster';
import { taskMovedToMilestoneUpcaster } from './task-moved-to-milestone.upcaster';
import { supplierProjectInstanceCreatedUpcaster } from './supplier-project-instance-created.upcaster';
import { supplierTaskInstanceCreatedUpcaster } from './supplier-task-instance-created.upcaster';
import { supplierTaskStatusChangedUpcaster } from './supplier-task-status-changed.upcaster';
import { supplierTaskDueDateOverriddenUpcaster } from './supplier-task-due-date-overridden.upcaster';
import { supplierTaskNoteAddedUpcaster } from './supplier-task-note-added.upcaster';
import { UpcastError } from './upcast-error';
import type { StoredEvent, UpcastEvent, UpcasterStep } from './upcaster-step';

export { UpcastError } from './upcast-error';
export type { StoredEvent, UpcastEvent, UpcasterStep } from './upcaster-step';

/** Every step of the chain. A new schema version adds steps here; none is ever removed. */
export const upcasterSteps: readonly UpcasterStep[] = [
  supplierRegisteredUpcaster,
  supplierRenamedUpcaster,
  projectCreatedUpcaster,
  projectMilestoneTaskCreatedUpcaster,
  projectMilestoneTaskDueDateChangedUpcaster,
  projectMilestoneTaskRemovedUpcaster,
  taskTypeCreatedUpcaster,
  milestoneCreatedUpcaster,
  milestoneRenamedUpcaster,
  milestoneDeletedUpcaster,
  taskCreatedUpcaster,
  taskRenamedUpcaster,
  taskMovedToMilestoneUpcaster,
  supplierProjectInstanceCreatedUpcaster,
  supplierTaskInstanceCreatedUpcaster,
  supplierTaskStatusChangedUpcaster,
  supplierTaskDueDateOverriddenUpcaster,
  supplierTaskNoteAddedUpcaster,
];

const keyOf = (type: string, schemaVersion: number): string => `${type}@v${schemaVersion}`;

/** The steps keyed by (type, schemaVersion) of the event they read. */
export const upcasterRegistry: ReadonlyMap<string, UpcasterStep> = upcasterSteps.reduce(
  (registry, step) => {
    const key = keyOf(step.fromType, step.fromVersion);
    if (registry.has(key)) throw new Error(`two upcaster steps read ${key}`);
    return registry.set(key, step);
  },
  new Map<string, UpcasterStep>(),
);

export const findUpcasterStep = (type: string, schemaVersion: number): UpcasterStep | undefined =>
  upcasterRegistry.get(keyOf(type, schemaVersion));

/** Any event as read from the log or a legacy file: no `schemaVersion` means version 1. */
export type UpcastInput = Omit<UpcastEvent, 'schemaVersion'> & { schemaVersion?: number };

/** A chain longer than this is a registry bug (a step that leads back to itself), not history. */
const MAX_CHAIN_LENGTH = 16;

const applyChain = (event: UpcastEvent, depth: number): UpcastEvent[] => {
  const step = findUpcasterStep(event.type, event.schemaVersion);
  if (step === undefined) return [event];
  if (depth >= MAX_CHAIN_LENGTH) {
    throw new UpcastError(event.type, event.schemaVersion, 'upcaster chain does not terminate');
  }
  const next = step.upcast(event);
  // Every step today maps one event to one: skip flatMap's allocations on that common path.
  return next.length === 1
    ? applyChain(next[0]!, depth + 1)
    : next.flatMap((e) => applyChain(e, depth + 1));
};

/**
 * Applies steps until none reads the event's (type, schemaVersion): a V1 event comes out as V2,
 * a V2 event (or any type no step reads) comes out unchanged. Pure: no I/O, clock or randomness.
 */
export const upcast = (event: UpcastInput): UpcastEvent[] =>
  applyChain(
    {
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      data: event.data,
      metadata: event.metadata,
    },
    0,
  );

export const upcastAll = (events: Iterable<UpcastInput>): UpcastEvent[] =>
  [...events].flatMap(upcast);

/** An upcast event that still knows where it was stored. */
export interface UpcastStoredEvent extends UpcastEvent {
  eventId: string;
  streamId: string;
  revision: number;
  position: bigint;
}

/**
 * Derived id of the n-th (n ≥ 1) event a step produced from one stored event: `<eventId>#<n>`.
 * The first keeps the stored id, so a 1:1 upcast (every V1 step today) changes no id, and the
 * derivation is a pure function of the stored event.
 */
export const derivedEventId = (eventId: string, index: number): string =>
  index === 0 ? eventId : `${eventId}#${index}`;

/**
 * The chain applied to a stored event, carrying eventId, streamId, revision and position. Every
 * projection runs this once per event of a rebuild, so it builds its objects field by field
 * (object rest and spread cost several times more here).
 */
export const upcastStored = (stored: StoredEvent): UpcastStoredEvent[] =>
  upcast(stored).map((event, index) => ({
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    eventId: derivedEventId(stored.eventId, index),
    streamId: stored.streamId,
    revision: stored.revision,
    position: stored.position,
  }));

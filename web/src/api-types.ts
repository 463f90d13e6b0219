/** The dashboard API's answers (issue 16), as the page reads them. */

export interface ProgressRow {
  key: string;
  label: string;
  total: number;
  notStarted: number;
  inProgress: number;
  completed: number;
  overdue: number;
  dueSoon: number;
}

export type ProgressBy = 'project' | 'supplier' | 'section' | 'category' | 'supplier-project';

export interface ProgressAnswer {
  asOf: string;
  by: ProgressBy;
  dueSoonDays: number;
  rows: ProgressRow[];
  nextCursor: string | null;
}

/** `GET /dashboards/due-weeks`: open instances per ISO week (its Monday), the overdue ones apart. */
export interface DueWeeksAnswer {
  asOf: string;
  weeks: Array<{ week: string; overdue: number; notYetDue: number }>;
  withoutDueDate: number;
}

export type InstanceState = 'active' | 'completed' | 'overdue' | 'due-soon' | 'all';

export interface InstanceItem {
  id: string;
  supplierId: string;
  projectId: string;
  templateId: string;
  taskId: string | null;
  sectionId: string | null;
  category: string | null;
  status: string;
  dueDate: string | null;
  dueDateOverridden: boolean;
  notes: unknown;
}

export interface InstancesAnswer {
  items: InstanceItem[];
  nextCursor: string | null;
}

/** A page of a list; the entries' shapes are read loosely (see catalog.ts). */
export interface ListPage {
  items?: unknown[];
  nextCursor?: string | null;
}

/** `GET /audit/entities/supplier-task-instance/{id}`. */
export interface EntityAsOf {
  streamId: string;
  state: Record<string, unknown>;
}

export interface AuditedEvent {
  position: string;
  revision: number;
  metadata: { actor: string; onBehalfOf: string | null; occurredAt: string; recordedAt: string };
  raw: { type: string; data: Record<string, unknown> };
  upcast?: Array<{ type: string; data: Record<string, unknown> }>;
}

/** `GET /audit/streams/{streamId}`. */
export interface StreamPage {
  events: AuditedEvent[];
  next: string | null;
}

/** `GET /projections`: one entry per projection version. */
export interface ProjectionVersionStatus {
  name: string;
  version: number;
  live: boolean;
  status: string;
  position: string;
  headPosition: string;
  lag: string;
}

import { z } from 'zod';
import { CHECK_GROUPS } from '../projection-runner/validation-checks/validation-check';

const count = z.number().int().min(0);
const text = z.string().max(100_000);
const versionRef = z.object({ name: z.string().min(1).max(200), version: z.number().int().min(1) });
const position = z.string().regex(/^(0|[1-9][0-9]{0,18})$/, 'a position');

/** The summary format's eight counts; null where the projection has no such entity. */
const EntityCountsSchema = z.object({
  suppliers: count.nullable(),
  projects: count.nullable(),
  taskTypes: count.nullable(),
  taskTypeSections: count.nullable(),
  tasks: count.nullable(),
  projectTaskTemplates: count.nullable(),
  supplierProjectInstances: count.nullable(),
  supplierTaskInstances: count.nullable(),
});

const InstanceFiguresSchema = z.object({
  active: count,
  completed: count,
  withNotes: count,
  notes: count,
  overridden: count,
});

const MIGRATION_OUTCOMES = ['switched', 'refused', 'failed', 'validated', 'already-live'] as const;
export type MigrationOutcome = (typeof MIGRATION_OUTCOMES)[number];

/**
 * The report of one migration run (or one `projections validate --report`), every figure computed
 * by the run. The CLI composes it, the service keeps it (`POST /migrations`, validated here).
 */
export const MigrationReportSchema = z.strictObject({
  id: z.uuid(),
  kind: z.enum(['migrate', 'validate']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  outcome: z.enum(MIGRATION_OUTCOMES),
  /** Why a failed run stopped, or the failed checks of a refused one. */
  error: text.nullable(),
  /** The reference compared with (legacy_v1 for the migration); null if the run stopped before. */
  source: versionRef.nullable(),
  target: versionRef,
  /** `from`: where the target started in this run (0: rebuilt from the start); `to`: the position the two versions were compared at. */
  positions: z.object({ from: position, to: position.nullable() }),
  steps: z.array(
    z.object({
      name: z.string().min(1).max(500),
      durationMs: z.number().min(0),
      events: count.nullable(),
      eventsPerSecond: z.number().min(0).nullable(),
    }),
  ),
  /** v1: the source's (legacy_v1: null for the suppliers, projects and task types it never kept); v2: the target's. */
  counts: z.object({ v1: EntityCountsSchema, v2: EntityCountsSchema }).nullable(),
  /** The target's task instances. */
  instances: InstanceFiguresSchema.nullable(),
  /** The source's, to compare with. */
  sourceInstances: InstanceFiguresSchema.nullable(),
  dueDates: z.object({ agree: count, total: count }).nullable(),
  checks: z.array(
    z.object({
      name: z.string().min(1).max(500),
      group: z.enum(CHECK_GROUPS),
      passed: z.boolean(),
      details: text,
      differences: z.array(text),
      timing: z
        .object({
          runs: count,
          p50Ms: z.number().min(0),
          p95Ms: z.number().min(0),
          boundMs: z.number().min(0),
        })
        .optional(),
    }),
  ),
  backup: z
    .object({ file: text, bytes: count, sha256: z.string().regex(/^[0-9a-f]{64}$/), position })
    .nullable(),
  rollback: z.object({
    /** The target projection's live version before the run, if any. */
    previousVersion: z.number().int().min(1).nullable(),
    /** The command that restores it, or null when there is nothing to restore. */
    command: z.string().max(500).nullable(),
    note: text,
  }),
  retention: z
    .object({
      projection: z.string().max(200),
      days: count,
      switchedAt: z.iso.datetime(),
      until: z.iso.datetime(),
    })
    .nullable(),
});

export type MigrationReport = z.infer<typeof MigrationReportSchema>;

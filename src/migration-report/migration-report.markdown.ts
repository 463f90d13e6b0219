import type { MigrationReport } from './migration-report';

type Counts = NonNullable<MigrationReport['counts']>['v1'];

const COUNT_LABELS: Record<keyof Counts, string> = {
  suppliers: 'Suppliers',
  projects: 'Projects',
  taskTypes: 'Task types',
  taskTypeSections: 'Task type sections (V1 milestones)',
  tasks: 'Tasks',
  projectTaskTemplates: 'Project task templates (V1 project milestone tasks)',
  supplierProjectInstances: 'Supplier project instances',
  supplierTaskInstances: 'Supplier task instances',
};

const OUTCOME: Record<MigrationReport['outcome'], string> = {
  switched: 'switched: the target is live',
  refused: 'refused: the target is not live, a check failed',
  failed: 'failed: the run stopped before it could compare the versions',
  validated: 'validated: every check passed, nothing was switched',
  'already-live': 'already live: the target was live before this run, and was checked again',
};

const versionOf = (v: { name: string; version: number } | null) =>
  v ? `${v.name} v${v.version}` : '—';
/** A table cell: its own pipes and line breaks would end the cell. */
const cell = (value: unknown) =>
  String(value ?? '—')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');
const row = (...cells: unknown[]) => `| ${cells.map(cell).join(' | ')} |`;

function countsTable(report: MigrationReport): string[] {
  if (!report.counts) return ['No counts: the run stopped before the versions were compared.'];
  const { v1, v2 } = report.counts;
  const lines = [
    row('Entity', versionOf(report.source), versionOf(report.target), 'Result'),
    '| --- | ---: | ---: | --- |',
  ];
  for (const key of Object.keys(COUNT_LABELS) as Array<keyof Counts>) {
    const [a, b] = [v1[key], v2[key]];
    const result =
      a === null
        ? `not in ${versionOf(report.source)}`
        : b === null
          ? `not in ${versionOf(report.target)}`
          : a === b
            ? 'preserved'
            : `differs by ${b - a}`;
    lines.push(row(COUNT_LABELS[key], a, b, result));
  }
  return lines;
}

function businessData(report: MigrationReport): string[] {
  const [v1, v2] = [report.sourceInstances, report.instances];
  if (!v2) return ['No instance figures: the run stopped before the versions were compared.'];
  const figures: Array<[keyof typeof v2, string]> = [
    ['active', 'Active task instances (not completed)'],
    ['completed', 'Completed task instances'],
    ['withNotes', 'Task instances with notes'],
    ['notes', 'Notes'],
    ['overridden', 'Due dates overridden'],
  ];
  const lines = [
    row('Figure', versionOf(report.source), versionOf(report.target), 'Result'),
    '| --- | ---: | ---: | --- |',
    ...figures.map(([key, label]) =>
      row(
        label,
        v1?.[key],
        v2[key],
        v1 ? (v1[key] === v2[key] ? 'preserved' : `differs by ${v2[key] - v1[key]}`) : '—',
      ),
    ),
  ];
  if (report.dueDates) {
    lines.push(
      '',
      `Effective due dates: **${report.dueDates.agree} of ${report.dueDates.total}** agree between ${versionOf(report.source)} and ${versionOf(report.target)}.`,
    );
  }
  return lines;
}

function checks(report: MigrationReport): string[] {
  if (report.checks.length === 0) return ['No checks ran.'];
  const passed = report.checks.filter((c) => c.passed).length;
  const lines = [
    `${passed} of ${report.checks.length} checks passed.`,
    '',
    row('Group', 'Check', 'Result', 'Details'),
    '| --- | --- | --- | --- |',
    ...report.checks.map((c) =>
      row(c.group, c.name, c.passed ? 'passed' : '**FAILED**', c.details),
    ),
  ];
  for (const c of report.checks.filter((x) => !x.passed)) {
    lines.push('', `### Failed: ${c.group} — ${c.name}`, '', c.details, '');
    lines.push(
      ...(c.differences.length > 0
        ? c.differences.map((d) => `- ${d}`)
        : ['- (no differences listed)']),
    );
  }
  return lines;
}

function performance(report: MigrationReport): string[] {
  const timed = report.checks.filter((c) => c.timing);
  const lines: string[] = [];
  if (report.steps.length > 0) {
    lines.push(
      row('Step', 'Duration (ms)', 'Events', 'Events/s'),
      '| --- | ---: | ---: | ---: |',
      ...report.steps.map((s) => row(s.name, s.durationMs, s.events, s.eventsPerSecond)),
      '',
    );
  }
  if (timed.length === 0) return [...lines, 'No dashboard query was timed.'];
  return [
    ...lines,
    row(
      'Dashboard query on the target',
      'Runs',
      'p50 (ms)',
      'p95 (ms)',
      'Bound p95 (ms)',
      'Result',
    ),
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...timed.map((c) =>
      row(
        c.name,
        c.timing!.runs,
        c.timing!.p50Ms,
        c.timing!.p95Ms,
        c.timing!.boundMs,
        c.passed ? 'within' : '**over**',
      ),
    ),
  ];
}

function backupAndRollback(report: MigrationReport): string[] {
  const backup = report.backup
    ? [
        `- Backup of the log up to position ${report.backup.position}: \`${report.backup.file}\`, ${report.backup.bytes} bytes, SHA-256 \`${report.backup.sha256}\`.`,
        `  Restore it into an empty store with \`supplier-tasks import ${report.backup.file}\`.`,
      ]
    : ['- No backup was taken by this run.'];
  const rollback = report.rollback.command
    ? `- Rollback to ${report.target.name} v${report.rollback.previousVersion}: \`${report.rollback.command}\`. ${report.rollback.note}`
    : `- Rollback: ${report.rollback.note}`;
  return [...backup, rollback];
}

function retention(report: MigrationReport): string[] {
  const r = report.retention;
  if (!r) return ['Nothing was switched: no retention period started.'];
  return [
    `${r.projection} is kept for legacy readers until **${r.until}** (${r.days} days after the switch at ${r.switchedAt}); \`projections retire\` refuses before then unless \`--force\` (recorded).`,
  ];
}

/** The report as a document a migration owner reads and signs; every figure is the JSON's. */
export function migrationReportMarkdown(report: MigrationReport): string {
  const title =
    report.kind === 'migrate'
      ? `Migration report: ${versionOf(report.source)} → ${versionOf(report.target)}`
      : `Validation report: ${versionOf(report.target)} against ${versionOf(report.source)}`;
  const lines = [
    `# ${title}`,
    '',
    '## Summary',
    '',
    `- Run: \`${report.id}\``,
    `- Started ${report.startedAt}, finished ${report.finishedAt}`,
    `- Outcome: **${OUTCOME[report.outcome]}**`,
    ...(report.error ? [`- Why: ${report.error}`] : []),
    `- Log positions: the target applied the log from position ${report.positions.from} to ${report.positions.to ?? '—'}, where the two versions were compared`,
    '',
    '## Counts',
    '',
    ...countsTable(report),
    '',
    '## Critical business data',
    '',
    ...businessData(report),
    '',
    '## Checks',
    '',
    ...checks(report),
    '',
    '## Backup and rollback',
    '',
    ...backupAndRollback(report),
    '',
    '## Performance',
    '',
    ...performance(report),
    '',
    '## Retention',
    '',
    ...retention(report),
    '',
    '## Sign-off',
    '',
    '| Role | Name | Date | Signature |',
    '| --- | --- | --- | --- |',
    '| Migration owner |  |  |  |',
    '',
  ];
  return lines.join('\n');
}

import type { LiveVersion } from '../projection-runner/projection-admin';
import type { MigrationRun } from '../projection-runner/projections-api';
import type { ValidationReport } from '../projection-runner/projection-validator';
import { migrationReportHtml } from './migration-report.html';
import { migrationReportMarkdown } from './migration-report.markdown';
import { migrationReportOf } from './migration-report-of';
import { MigrationReportSchema } from './migration-report';

const ID = '6f1c2b9e-4a8d-4c1e-9a37-0d2f5b8e7c11';
const counts = (sections: number) => ({
  suppliers: null,
  projects: null,
  taskTypes: null,
  taskTypeSections: sections,
  tasks: 4,
  projectTaskTemplates: 4,
  supplierProjectInstances: 1,
  supplierTaskInstances: 4,
});
const figures = { active: 2, completed: 2, withNotes: 3, notes: 3, overridden: 1 };

/** A validation as the validator would answer it, one check failed. */
const validation = (passed: boolean): ValidationReport => ({
  candidate: 'supplier_tasks v2',
  reference: 'legacy_v1 v2',
  passed,
  checks: [
    {
      name: 'counts per entity kind preserved',
      group: 'integrity',
      passed,
      details: passed ? '5 of 5 counts equal' : '4 of 5 counts equal',
      differences: passed ? [] : ['taskTypeSections: 3 in supplier_tasks v2, 2 in legacy_v1 v2'],
    },
  ],
  figures: {
    position: '26',
    counts: {
      candidate: { ...counts(passed ? 2 : 3), suppliers: 1, projects: 1, taskTypes: 1 },
      reference: counts(2),
    },
    instances: { candidate: figures, reference: figures },
    dueDates: { agree: 3, total: 4 },
  },
  entities: {},
  differenceCount: 0,
  differences: [],
});

const run = (outcome: MigrationRun['outcome'], previousLive: number | null): MigrationRun => ({
  kind: 'migrate',
  startedAt: '2026-01-05T10:00:00.000Z',
  finishedAt: '2026-01-05T10:00:02.000Z',
  outcome,
  error: outcome === 'refused' ? 'validation failed' : null,
  source: { name: 'legacy_v1', version: 2 },
  target: { name: 'supplier_tasks', version: 2 },
  fromPosition: '0',
  steps: [{ name: 'rebuild supplier_tasks v2', durationMs: 200, events: 26, eventsPerSecond: 130 }],
  validation: validation(outcome !== 'refused'),
  previousLive,
  backup: null,
});

const live: LiveVersion = {
  name: 'supplier_tasks',
  version: 2,
  previousVersion: 1,
  switchedAt: '2026-01-05T10:00:01.500Z',
  retentionDays: 30,
  retainedUntil: '2026-02-04T10:00:01.500Z',
};

describe('the migration report', () => {
  describe('given a switched run that replaced version 1', () => {
    const report = migrationReportOf(ID, run('switched', 1), live);

    it('when composed, then it is a valid report with the rollback to v1 and the retention', () => {
      expect(MigrationReportSchema.parse(report)).toEqual(report);
      expect(report.rollback).toEqual({
        previousVersion: 1,
        command: 'supplier-tasks projections rollback supplier_tasks',
        note: 'points the stable views back at v1 in one transaction',
      });
      expect(report.retention).toEqual({
        projection: 'legacy_v1 v2',
        days: 30,
        switchedAt: '2026-01-05T10:00:01.500Z',
        until: '2026-02-04T10:00:01.500Z',
      });
      expect(report.positions).toEqual({ from: '0', to: '26' });
    });

    it('when rendered, then each count says preserved or what legacy_v1 lacks, and due dates n of n', () => {
      const markdown = migrationReportMarkdown(report);
      expect(markdown).toContain('| Suppliers | — | 1 | not in legacy_v1 v2 |');
      expect(markdown).toContain('| Task type sections (V1 milestones) | 2 | 2 | preserved |');
      expect(markdown).toContain('**3 of 4** agree');
      expect(markdown).toContain('`supplier-tasks projections rollback supplier_tasks`');
      expect(markdown).toContain('until **2026-02-04T10:00:01.500Z** (30 days');
      expect(markdown).toContain('| rebuild supplier_tasks v2 | 200 | 26 | 130 |');
    });
  });

  describe('given a refused run', () => {
    const report = migrationReportOf(ID, run('refused', null), live);

    it('when rendered, then the failed check is listed with its differences, and nothing is to roll back', () => {
      const markdown = migrationReportMarkdown(report);
      expect(markdown).toContain('0 of 1 checks passed.');
      expect(markdown).toContain('### Failed: integrity — counts per entity kind preserved');
      expect(markdown).toContain('- taskTypeSections: 3 in supplier_tasks v2, 2 in legacy_v1 v2');
      expect(markdown).toContain('| Task type sections (V1 milestones) | 2 | 3 | differs by 1 |');
      expect(report.rollback.command).toBeNull();
      expect(report.retention).toBeNull();
    });
  });

  describe('given Markdown holding markup', () => {
    it('when served as HTML, then the Markdown is rendered and the markup in it stays text', () => {
      const html = migrationReportHtml(
        [
          '# a <script>x</script> & "b"',
          '',
          '| kind | title |',
          '| --- | --- |',
          '| task | <img src=x onerror=alert(1)> [click](javascript:alert(1)) |',
          '',
          '<iframe src="https://example.com"></iframe>',
        ].join('\n'),
        'Migration',
      );
      expect(html).toContain('<h1>a &lt;script&gt;x&lt;/script&gt; &amp; &quot;b&quot;</h1>');
      expect(html).toContain('<th>kind</th>');
      expect(html).toContain('<td>&lt;img src=x onerror=alert(1)&gt; click</td>');
      expect(html).toContain('&lt;iframe src=&quot;https://example.com&quot;&gt;&lt;/iframe&gt;');
      expect(html).not.toMatch(/<(script|img|iframe|a)\b/);
    });
  });
});

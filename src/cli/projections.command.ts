import { userInfo } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { reportRun } from '../migration-report/report-run';
import {
  failedChecks,
  runValidation,
  type ProjectionsApi,
} from '../projection-runner/projections-api';
import type { ProjectionVersionStatus } from '../projection-runner/projection-status';
import type { ValidationReport } from '../projection-runner/projection-validator';
import { progress } from './progress';
import { backupInto, printReportFiles } from './report-option';
import { withProjections } from './with-projections';

export class ValidationFailedError extends Error {}

const versionOption = () =>
  new Option('--version <n>', 'projection version').argParser(parseVersion).makeOptionMandatory();

function parseVersion(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
}

/** Waits for a version to catch up, drawing progress as events applied of the log's head. */
export async function followRebuild(
  api: ProjectionsApi,
  name: string,
  version: number,
): Promise<ProjectionVersionStatus> {
  const bar = progress(`${name} v${version}`);
  const status = await api.waitCaughtUp(name, version, (s) =>
    bar.update(Number(s.position), Number(s.headPosition)),
  );
  bar.update(Number(status.position), Number(status.headPosition));
  bar.stop();
  return status;
}

export function printValidation(report: ValidationReport): void {
  console.log(
    `${report.candidate} against ${report.reference}: ${report.passed ? 'PASSED' : 'FAILED'}`,
  );
  for (const check of report.checks) {
    console.log(
      `  ${check.passed ? 'ok    ' : 'FAILED'} ${check.group.padEnd(13)} ${check.name}: ${check.details}`,
    );
    if (!check.passed) for (const d of check.differences) console.log(`           - ${d}`);
  }
  for (const [entity, e] of Object.entries(report.entities)) {
    const same = e.candidate === e.reference && e.candidateChecksum === e.referenceChecksum;
    console.log(
      `  ${same ? 'ok ' : 'DIFF'} ${entity.padEnd(10)} ${String(e.candidate).padStart(8)} vs ${String(e.reference).padStart(8)}  checksums ${e.candidateChecksum} / ${e.referenceChecksum}`,
    );
  }
  for (const d of report.differences) {
    console.log(
      `  ${d.entity} ${d.id}: ${d.candidate ?? '(missing)'}  <>  ${d.reference ?? '(missing)'}`,
    );
  }
  if (report.differenceCount > report.differences.length) {
    console.log(`  … and ${report.differenceCount - report.differences.length} more differences`);
  }
  for (const [side, skipped] of Object.entries(report.skipped ?? {})) {
    for (const k of skipped) {
      console.log(
        `  ${side} skipped event ${k.eventId} (${k.type}, position ${k.position}) by ${k.actor}: ${k.reason}`,
      );
    }
  }
}

function printStatus(statuses: ProjectionVersionStatus[]): void {
  if (statuses.length === 0)
    console.log('no projection has been built yet (run `supplier-tasks migrate`)');
  for (const s of statuses) {
    const flags = [
      s.live ? 'LIVE' : '',
      s.validation
        ? `validated against ${s.validation.against}: ${s.validation.passed ? 'passed' : 'FAILED'}`
        : '',
    ]
      .filter(Boolean)
      .join(', ');
    console.log(
      `${s.name} v${s.version}: ${s.status} at position ${s.position}/${s.headPosition} (lag ${s.lag})${flags ? ` [${flags}]` : ''}`,
    );
    if (s.writer) {
      const { holder, since, until, expired } = s.writer;
      console.log(
        `  writer: ${holder} since ${since}, lease ${expired ? 'lapsed at' : 'until'} ${until}`,
      );
    }
    if (s.failure) {
      console.log(
        `  stopped at position ${s.failure.position}, event ${s.failure.eventId} (${s.failure.type}): ${s.failure.error}`,
      );
    }
    if (s.fingerprint) {
      console.log(
        `  fingerprint: schema ${s.fingerprint.schema.slice(0, 12)}, handlers ${s.fingerprint.handlers.slice(0, 12)}, upcasters ${s.fingerprint.upcasters.slice(0, 12)}`,
      );
    }
    if (s.definitionChanged) console.log(`  REFUSED: ${s.definitionChanged}`);
    for (const k of s.skipped) {
      console.log(
        `  skipped event ${k.eventId} (${k.type}, position ${k.position}) by ${k.actor} at ${k.at}: ${k.reason} [it had failed: ${k.error}]`,
      );
    }
  }
}

export function projectionsCommand(): Command {
  const projections = new Command('projections').description(
    'versioned read models: rebuild, validate, switch',
  );

  projections
    .command('status')
    .description('every projection version: status, checkpoint, lag, writer, failure, validation')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withProjections(async (api) => {
        const statuses = await api.status();
        if (options.json) console.log(JSON.stringify(statuses, null, 2));
        else printStatus(statuses);
      }),
    );

  projections
    .command('rebuild')
    .description('build a version from position 0 beside the live one (continues one in progress)')
    .argument('<name>')
    .addOption(versionOption())
    .option('--restart', 'drop what the version has built so far and start over')
    .action((name: string, options: { version: number; restart?: boolean }) =>
      withProjections(async (api) => {
        await api.rebuild(name, options.version, options.restart ?? false);
        const status = await followRebuild(api, name, options.version);
        printStatus([status]);
        if (status.status === 'failed') process.exitCode = 1;
      }),
    );

  projections
    .command('validate')
    .description(
      'compare a version with the live one, or with legacy_v1; exits non-zero on any difference',
    )
    .argument('<name>')
    .addOption(versionOption())
    .addOption(
      new Option('--against <what>', 'the reference')
        .choices(['live', 'legacy_v1'])
        .default('live'),
    )
    .option(
      '--report <dir>',
      'write migration-report.md and .json, and a backup of the log to the position compared, into this folder',
    )
    .action(
      (
        name: string,
        options: { version: number; against: 'live' | 'legacy_v1'; report?: string },
      ) =>
        withProjections(async (api) => {
          const run = await runValidation(
            api,
            { name, version: options.version },
            options.against,
            await backupInto(api, options.report),
          );
          const report = run.validation!;
          printValidation(report);
          if (options.report !== undefined) {
            printReportFiles(options.report, (await reportRun(api, run, options.report)).id);
          }
          if (!report.passed) {
            throw new ValidationFailedError(
              report.differenceCount > 0
                ? `${report.differenceCount} differences`
                : `failed checks: ${failedChecks(report).join('; ')}`,
            );
          }
        }),
    );

  projections
    .command('switch')
    .description(
      'point the stable views at a version (one transaction); needs a passing validation',
    )
    .argument('<name>')
    .argument('<version>', 'version', parseVersion)
    .option('--force', 'switch without a passing validation')
    .action((name: string, version: number, options: { force?: boolean }) =>
      withProjections(async (api) => {
        await api.switchTo(name, version, options.force ?? false);
        console.log(`${name} now serves v${version}`);
      }),
    );

  projections
    .command('rollback')
    .description('point the stable views back at the version live before the last switch')
    .argument('<name>')
    .action((name: string) =>
      withProjections(async (api) =>
        console.log(`${name} now serves v${await api.rollback(name)}`),
      ),
    );

  projections
    .command('retire')
    .description(
      'drop a version’s tables (and its stable views if it is live, ending its retention)',
    )
    .argument('<name>')
    .addOption(versionOption())
    .option('--force', 'retire it within its retention period (recorded, with who)')
    .action((name: string, options: { version: number; force?: boolean }) =>
      withProjections(async (api) => {
        await api.retire(name, options.version, options.force ?? false, userInfo().username);
        console.log(`${name} v${options.version} retired${options.force ? ' (forced)' : ''}`);
      }),
    );

  projections
    .command('resume')
    .description('continue a failed version from the event it stopped at (after a fix)')
    .argument('<name>')
    .option('--version <n>', 'the failed version (default: the one that failed)', parseVersion)
    .action((name: string, options: { version?: number }) =>
      withProjections(async (api) => {
        const version = await api.resume(name, options.version);
        const status = await followRebuild(api, name, version);
        printStatus([status]);
        if (status.status === 'failed') process.exitCode = 1;
      }),
    );

  projections
    .command('skip')
    .description(
      'let a failed version pass the one event it is stopped at (recorded: who, when, why), then continue',
    )
    .argument('<name>')
    .requiredOption('--event <id>', 'the event id the version is stopped at')
    .requiredOption('--reason <text>', 'why it may be skipped (kept in status and validation)')
    .option('--version <n>', 'the failed version (default: the one that failed)', parseVersion)
    .option('--actor <who>', 'who decides (default: the OS user)')
    .action(
      (
        name: string,
        options: { event: string; reason: string; version?: number; actor?: string },
      ) =>
        withProjections(async (api) => {
          const version =
            options.version ??
            (await api.status()).find((s) => s.name === name && s.status === 'failed')?.version;
          if (version === undefined) throw new Error(`${name} has no failed version`);
          const skipped = await api.skip(
            name,
            version,
            options.event,
            options.reason,
            options.actor ?? userInfo().username,
          );
          console.log(
            `${name} v${version}: skipped event ${skipped.eventId} (${skipped.type}, position ${skipped.position}) by ${skipped.actor}: ${skipped.reason}`,
          );
          const status = await followRebuild(api, name, version);
          printStatus([status]);
          if (status.status === 'failed') process.exitCode = 1;
        }),
    );

  return projections;
}

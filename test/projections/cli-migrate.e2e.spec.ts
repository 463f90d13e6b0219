import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { openInfrastructure } from '../../src/eventstore/infrastructure';
import type { MigrationReport } from '../../src/migration-report/migration-report';
import { SEED_EXPECTED_FILE, SEED_FILE } from '../support/seed';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'supplier-tasks.js');
const expected: unknown = JSON.parse(readFileSync(SEED_EXPECTED_FILE, 'utf8'));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI without blocking this process (a poller may be watching the service). */
function cli(env: Record<string, string>, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    // SERVICE_URL is removed, not emptied: the CLI would take an empty one for the URL.
    const { SERVICE_URL: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...inherited, DATABASE_URL: '', EVENTSTORE_URL: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The run, which must have exited 0 (otherwise its output is the failure message). */
function succeeded(run: Run): Run {
  if (run.status !== 0)
    throw new Error(`exit ${run.status}\nstderr: ${run.stderr}\nstdout: ${run.stdout}`);
  return run;
}

const REMOTE_KEY = 'st_cli-migrate-admin-key-0123456789abcdefghijkl';

const statusLines = (stdout: string) => stdout.split('\n').filter((l) => / v\d+: /.test(l));

/**
 * The seed imported into a fresh DATA_DIR, nothing migrated (a PGlite initdb is the slow part).
 * The log then holds the seed's 26 events, the 7 claims they take (a supplier code, a project
 * code, an assignment, four template references) and the backfill's recorded position: 34.
 */
const LOG_AFTER_IMPORT = 34;
const importedDataDir = mkdtempSync(join(tmpdir(), 'cli-imported-'));
/** A copy of it for a test of its own. */
const copyOfImported = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(importedDataDir, dir, { recursive: true });
  return dir;
};

beforeAll(async () => {
  const imported = succeeded(await cli({ DATA_DIR: importedDataDir }, ['import', SEED_FILE]));
  expect(imported.stdout).toContain('imported 26 lines in 4 streams: 26 written');
}, 90_000);

describe('the migration through the built CLI, on PGlite', () => {
  let env: Record<string, string>;
  beforeAll(() => {
    env = { DATA_DIR: copyOfImported('cli-migrate-') };
  });

  it('migrate, summary, status, validate', async () => {
    const migrated = succeeded(await cli(env, ['migrate']));
    expect(migrated.stderr).not.toMatch(/supplier-tasks: /);
    expect(migrated.stdout.split('\n').filter((l) => l.startsWith('migrate: '))).toEqual([
      'migrate: rebuild legacy_v1 v2 from position 0',
      'migrate: switch legacy_v1 to v2 (the baseline legacy readers use)',
      'migrate: rebuild supplier_tasks v4 from position 0',
      'migrate: validate supplier_tasks v4 against legacy_v1',
      'migrate: switch supplier_tasks to v4',
      'migrate: done',
    ]);
    // the progress line
    expect(migrated.stderr).toContain(
      `supplier_tasks v4: ${LOG_AFTER_IMPORT}/${LOG_AFTER_IMPORT} events`,
    );

    const summary = succeeded(await cli(env, ['summary']));
    expect(JSON.parse(summary.stdout)).toEqual(expected);

    const status = succeeded(await cli(env, ['projections', 'status']));
    expect(statusLines(status.stdout)).toEqual([
      `legacy_v1 v2: running at position ${LOG_AFTER_IMPORT}/${LOG_AFTER_IMPORT} (lag 0) [LIVE]`,
      `supplier_tasks v4: running at position ${LOG_AFTER_IMPORT}/${LOG_AFTER_IMPORT} (lag 0) [LIVE, validated against legacy_v1 v2: passed]`,
    ]);

    const validated = succeeded(
      await cli(env, [
        'projections',
        'validate',
        'supplier_tasks',
        '--version',
        '4',
        '--against',
        'legacy_v1',
      ]),
    );
    expect(validated.stdout).toContain('supplier_tasks v4 against legacy_v1 v2: PASSED');
  }, 120_000);

  it('validate exits non-zero on a difference and prints it', async () => {
    const taskId = 'cd0ecc70-367c-54be-aced-5b191bcc39bb';
    const corrupt = async (title: string) => {
      const infra = await openInfrastructure(loadConfig({ DATA_DIR: env.DATA_DIR }));
      try {
        await infra.sql.query('UPDATE supplier_tasks_v4.tasks SET title = $2 WHERE id = $1', [
          taskId,
          title,
        ]);
      } finally {
        await infra.close();
      }
    };
    await corrupt('Submit material certificates (corrupted)');
    const failed = await cli(env, [
      'projections',
      'validate',
      'supplier_tasks',
      '--version',
      '4',
      '--against',
      'legacy_v1',
    ]);
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toContain('FAILED');
    expect(failed.stdout).toMatch(/DIFF task /);
    expect(failed.stdout).toContain(
      `task ${taskId}: e55d7f3c-f7b1-522d-92fb-53da6cfdaf7f|Submit material certificates (corrupted)  <>  e55d7f3c-f7b1-522d-92fb-53da6cfdaf7f|Submit material certificates`,
    );
    expect(failed.stderr).toContain('supplier-tasks: 1 differences');
  }, 120_000);
});

/** The report a run wrote into `dir`, as JSON. */
const reportIn = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'migration-report.json'), 'utf8')) as MigrationReport;

describe('migrate --report and migrations list through the built CLI, on PGlite', () => {
  it('writes the report and the backup it names, and lists the runs with their outcomes', async () => {
    const env = { DATA_DIR: copyOfImported('cli-report-') };
    const dir = mkdtempSync(join(tmpdir(), 'cli-report-out-'));
    const migrated = succeeded(await cli(env, ['migrate', '--report', dir]));
    const report = reportIn(dir);
    expect(migrated.stdout).toContain(
      `report: run ${report.id} recorded, written to ${dir}/migration-report.md and ${dir}/migration-report.json`,
    );
    expect(report.outcome).toBe('switched');
    expect(report.counts!.v2.supplierTaskInstances).toBe(4);
    expect(report.dueDates).toEqual({ agree: 4, total: 4 });
    const backup = readFileSync(join(dir, report.backup!.file));
    expect(createHash('sha256').update(backup).digest('hex')).toBe(report.backup!.sha256);
    expect(readFileSync(join(dir, 'migration-report.md'), 'utf8')).toContain(
      '| Project task templates (V1 project milestone tasks) | 4 | 4 | preserved |',
    );
    // Every check is printed by its group and name.
    expect(migrated.stdout).toMatch(/ok {4} integrity {4} per-entity checksums: /);

    const validateDir = mkdtempSync(join(tmpdir(), 'cli-report-validate-'));
    succeeded(
      await cli(env, [
        'projections',
        'validate',
        'supplier_tasks',
        '--version',
        '4',
        '--against',
        'legacy_v1',
        '--report',
        validateDir,
      ]),
    );
    const validated = reportIn(validateDir);
    expect(validated).toMatchObject({ kind: 'validate', outcome: 'validated' });

    const listed = succeeded(await cli(env, ['migrations', 'list']));
    const lines = listed.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^${report.id} migrate supplier_tasks v4 \\S+ → \\S+ switched$`),
    );
    expect(lines[1]).toMatch(
      new RegExp(`^${validated.id} validate supplier_tasks v4 .* validated$`),
    );
  }, 120_000);
});

describe('a migrate --report that is refused, through the built CLI, on PGlite', () => {
  it('exits non-zero printing the failed check, writes the report, and lists the run as refused', async () => {
    const env = { DATA_DIR: copyOfImported('cli-refused-') };
    succeeded(await cli(env, ['projections', 'rebuild', 'legacy_v1', '--version', '2']));
    succeeded(await cli(env, ['projections', 'switch', 'legacy_v1', '2', '--force']));
    succeeded(await cli(env, ['projections', 'rebuild', 'supplier_tasks', '--version', '4']));
    // A corrupted row of the built version: validation must catch it before any switch.
    const taskId = 'cd0ecc70-367c-54be-aced-5b191bcc39bb';
    const infra = await openInfrastructure(loadConfig({ DATA_DIR: env.DATA_DIR }));
    try {
      await infra.sql.query('UPDATE supplier_tasks_v4.tasks SET title = $2 WHERE id = $1', [
        taskId,
        'Corrupted',
      ]);
    } finally {
      await infra.close();
    }
    const dir = mkdtempSync(join(tmpdir(), 'cli-refused-out-'));
    const refused = await cli(env, ['migrate', '--report', dir]);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toMatch(/FAILED integrity {5}per-entity checksums: /);
    expect(refused.stdout).toContain(
      `- task ${taskId}: e55d7f3c-f7b1-522d-92fb-53da6cfdaf7f|Corrupted <> `,
    );
    expect(refused.stderr).toContain('validation failed: integrity: per-entity checksums');
    const report = reportIn(dir);
    expect(report.outcome).toBe('refused');
    expect(report.backup).toBeNull();
    expect(readFileSync(join(dir, 'migration-report.md'), 'utf8')).toContain(
      '### Failed: integrity — per-entity checksums',
    );
    const listed = succeeded(await cli(env, ['migrations', 'list']));
    expect(listed.stdout.trim()).toMatch(
      new RegExp(
        `^${report.id} migrate supplier_tasks v4 .* refused: integrity: per-entity checksums$`,
      ),
    );
    const status = succeeded(await cli(env, ['projections', 'status']));
    expect(statusLines(status.stdout)[1]).not.toContain('LIVE');
  }, 120_000);
});

describe('the migration through the running service (it owns DATA_DIR), with no downtime', () => {
  let env: Record<string, string>;
  let service: ChildProcess | undefined;
  let serviceLog = '';
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    // The legacy history was imported before the service starts; nothing is migrated yet.
    env = {
      DATA_DIR: copyOfImported('cli-remote-'),
      HOST: '127.0.0.1',
      PORT: String(port),
      // The service is started with this admin key, and the CLI sends it.
      SUPPLIER_TASKS_ADMIN_KEY: REMOTE_KEY,
      SUPPLIER_TASKS_API_KEY: REMOTE_KEY,
    };
    url = `http://127.0.0.1:${port}`;
    service = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      env: { ...process.env, DATABASE_URL: '', EVENTSTORE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout!.on('data', (chunk: Buffer) => (serviceLog += chunk.toString()));
    service.stderr!.on('data', (chunk: Buffer) => (serviceLog += chunk.toString()));
    const deadline = Date.now() + 80_000;
    for (;;) {
      const ok = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline || service.exitCode !== null)
        throw new Error(`the service did not start:\n${serviceLog}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 90_000);

  afterAll(async () => {
    if (!service || service.exitCode !== null) return;
    const exited = new Promise((resolve) => service!.once('exit', resolve));
    service.kill('SIGTERM');
    const timer = setTimeout(() => service!.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });

  it('status, migrate and summary act through the service while it keeps answering', async () => {
    // Every 50 ms for the whole migration: the service must answer each time.
    const answers: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const status = await fetch(`${url}/health`).then(
          (r) => r.status,
          () => 0,
        );
        answers.push(status);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    try {
      const before = succeeded(await cli(env, ['projections', 'status']));
      expect(before.stderr).toContain(`is owned by the running service (pid ${service!.pid})`);
      expect(before.stderr).toContain(`using ${url}`);
      expect(before.stdout).toContain('no projection has been built yet');

      const dir = mkdtempSync(join(tmpdir(), 'cli-remote-report-'));
      const migrated = succeeded(await cli(env, ['migrate', '--report', dir]));
      expect(migrated.stderr).toContain(`using ${url}`);
      expect(migrated.stdout).toContain('migrate: switch supplier_tasks to v4');
      expect(migrated.stdout).toContain('migrate: done');
      // The report of a run through the service: the same content, the backup read from its log.
      const report = reportIn(dir);
      expect(report).toMatchObject({ outcome: 'switched', dueDates: { agree: 4, total: 4 } });
      const backup = readFileSync(join(dir, report.backup!.file));
      expect(createHash('sha256').update(backup).digest('hex')).toBe(report.backup!.sha256);
      const listed = succeeded(await cli(env, ['migrations', 'list']));
      expect(listed.stdout).toContain(`${report.id} migrate supplier_tasks v4 `);

      const summary = succeeded(await cli(env, ['summary']));
      expect(JSON.parse(summary.stdout)).toEqual(expected);

      const after = succeeded(await cli(env, ['projections', 'status']));
      expect(statusLines(after.stdout)).toEqual([
        `legacy_v1 v2: running at position ${LOG_AFTER_IMPORT}/${LOG_AFTER_IMPORT} (lag 0) [LIVE]`,
        `supplier_tasks v4: running at position ${LOG_AFTER_IMPORT}/${LOG_AFTER_IMPORT} (lag 0) [LIVE, validated against legacy_v1 v2: passed]`,
      ]);
    } finally {
      polling = false;
      await poller;
    }
    expect(answers.length).toBeGreaterThan(5);
    expect(answers.filter((s) => s !== 200)).toEqual([]);
    expect(service!.exitCode).toBeNull();
  }, 120_000);
});

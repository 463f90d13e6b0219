import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_ADMIN_KEY } from '../http/support/http-app';
import { startService, type ServiceProcess } from '../reliability/support/service-process';
import { SEED_FILE, seedLines } from '../support/seed';

const BIN = join(__dirname, '..', '..', 'bin', 'supplier-tasks.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI, without HOST, PORT or SERVICE_URL: it must find the service by itself. */
function cli(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of ['HOST', 'PORT', 'SERVICE_URL', 'DATABASE_URL', 'EVENTSTORE_URL'])
    delete base[name];
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...base, DATA_DIR: dataDir, SUPPLIER_TASKS_API_KEY: TEST_ADMIN_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) =>
    child.on('exit', (status) => resolve({ status, stdout, stderr })),
  );
}

describe('supplier-tasks import beside the running service (PGlite, a non-default port)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-service-'));
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startService({ DATA_DIR: dataDir, SUPPLIER_TASKS_ADMIN_KEY: TEST_ADMIN_KEY });
  }, 300_000);
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await service.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports through POST /admin/import at the URL of the lock file, with its progress', async () => {
    expect(service.url).not.toBe('http://127.0.0.1:3000');
    const first = await cli(dataDir, ['import', SEED_FILE]);
    expect(first.stderr).toContain(`using ${service.url} (from the lock file)`);
    expect(first.stderr).toMatch(/import: 26\/26 events/);
    expect(first.stdout).toContain('imported 26 lines in 4 streams: 26 written, 0 already stored');
    expect(first.status).toBe(0);
    // The events are in the service's log: the seed's supplier stream is readable there.
    const supplierLine = (seedLines() as Array<{ streamId: string }>).find((l) =>
      l.streamId.startsWith('supplier-'),
    )!;
    const events = await fetch(`${service.url}/streams/${supplierLine.streamId}/events`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    expect(events.status).toBe(200);

    const again = await cli(dataDir, ['import', SEED_FILE]);
    expect(again.stdout).toContain('0 written, 26 already stored');
    expect(again.status).toBe(0);
  }, 120_000);

  it('stops at a bad line with its number, field and reason, naming what to do', async () => {
    const bad = join(tmpdir(), `bad-${process.pid}.ndjson`);
    const [line] = seedLines() as Array<Record<string, unknown>>;
    writeFileSync(bad, `${JSON.stringify(line)}\n${JSON.stringify({ ...line, type: 'Nope' })}\n`);
    const result = await cli(dataDir, ['import', bad]);
    rmSync(bad, { force: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/line 2: type: .*not a V1 event type/);
    expect(result.stderr).toContain('fix the line and run the import again');
  }, 120_000);

  it('refuses a key without the admin role, saying which key to set', async () => {
    const result = await cli(dataDir, ['import', SEED_FILE], { SUPPLIER_TASKS_API_KEY: '' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('401');
    expect(result.stderr).toContain('set SUPPLIER_TASKS_API_KEY');
  }, 120_000);

  it('names the URL tried and SERVICE_URL when nothing answers there', async () => {
    const result = await cli(dataDir, ['import', SEED_FILE], { SERVICE_URL: 'http://127.0.0.1:9' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('did not answer at http://127.0.0.1:9 (from SERVICE_URL)');
    expect(result.stderr).toContain('set SERVICE_URL');
  }, 120_000);
});

describe('supplier-tasks --version', () => {
  it('prints the version of package.json', async () => {
    const result = await cli(tmpdir(), ['--version']);
    const { version } = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(result.stdout.trim()).toBe(version);
    expect(result.status).toBe(0);
  });
});

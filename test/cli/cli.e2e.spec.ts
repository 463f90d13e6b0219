import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock } from '../../src/eventstore/data-dir-lock';
import { SEED_FILE, seedLines } from '../support/seed';

const BIN = join(__dirname, '..', '..', 'bin', 'supplier-tasks.js');

function cli(dataDir: string, args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EVENTSTORE_URL: '' },
    input,
    timeout: 60_000,
  });
}

describe('supplier-tasks import (the built CLI, on PGlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-'));

  it('imports the seed file, then again from stdin with nothing new written', () => {
    const first = cli(dataDir, ['import', SEED_FILE]);
    expect(first.stderr).toMatch(/import: 26\/26 events/);
    expect(first.stdout).toContain('imported 26 lines in 4 streams: 26 written, 0 already stored');
    expect(first.status).toBe(0);
    const again = cli(
      dataDir,
      ['import', '-'],
      seedLines()
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    expect(again.stdout).toContain('0 written, 26 already stored');
    expect(again.status).toBe(0);
  }, 60_000);

  it('exits non-zero on a bad file, naming the line, the field and the reason', () => {
    const bad = join(dataDir, '..', `bad-${process.pid}.ndjson`);
    const [line] = seedLines() as Array<Record<string, unknown>>;
    writeFileSync(bad, `${JSON.stringify(line)}\n${JSON.stringify({ ...line, type: 'Nope' })}\n`);
    const result = cli(dataDir, ['import', bad]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/line 2: type: .*not a V1 event type/);
  }, 60_000);

  it('names the owner of DATA_DIR, the URL tried and SERVICE_URL when the owner does not answer', () => {
    const owned = mkdtempSync(join(tmpdir(), 'cli-owned-'));
    const lock = DataDirLock.acquire(owned);
    // The owner records no URL (it serves no HTTP): the CLI tries SERVICE_URL, where nothing listens.
    const nowhere = 'http://127.0.0.1:9';
    try {
      const result = spawnSync(process.execPath, [BIN, 'import', SEED_FILE], {
        encoding: 'utf8',
        env: { ...process.env, DATA_DIR: owned, DATABASE_URL: '', SERVICE_URL: nowhere },
        timeout: 60_000,
      });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(`is owned by the running service (pid ${process.pid})`);
      expect(result.stderr).toContain(`did not answer at ${nowhere} (from SERVICE_URL)`);
      expect(result.stderr).toContain('set SERVICE_URL to the URL it listens on');
    } finally {
      lock.release();
    }
  }, 60_000);

  it('prints usage for an unknown command', () => {
    const result = cli(dataDir, ['frobnicate']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/unknown command/);
  });
});

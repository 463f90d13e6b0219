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

  it('refuses a DATA_DIR owned by another live process, naming it', () => {
    const owned = mkdtempSync(join(tmpdir(), 'cli-owned-'));
    const lock = DataDirLock.acquire(owned);
    try {
      const result = cli(owned, ['import', SEED_FILE]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(`in use by process ${process.pid}`);
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

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock } from '../../src/eventstore/data-dir-lock';
import { DataDirLockedError } from '../../src/eventstore/errors';

const LOCK = 'supplier-tasks.lock';

describe('DATA_DIR lock', () => {
  it('records the owner pid and refuses a second owner, naming the first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const lock = DataDirLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK), 'utf8'))).toMatchObject({ pid: process.pid });
    const error = (() => {
      try {
        DataDirLock.acquire(dir);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(`process ${process.pid}`);
    lock.release();
    expect(existsSync(join(dir, LOCK))).toBe(false);
    DataDirLock.acquire(dir).release();
  });

  it('takes over a stale lock whose owner is dead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    // A pid that has certainly exited: a child we ran to completion.
    const child = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
    writeFileSync(
      join(dir, LOCK),
      JSON.stringify({ pid: child.pid, host: hostname(), since: '2020-01-01T00:00:00Z' }),
    );
    const lock = DataDirLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });
});

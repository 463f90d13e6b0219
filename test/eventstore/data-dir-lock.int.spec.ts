import { spawn, spawnSync } from 'node:child_process';
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

  // What the kernel says of a process, read here independently of the lock's own code.
  const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const startTicksOf = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
  };
  const staleLock = (dir: string, owner: Record<string, unknown>) =>
    writeFileSync(join(dir, LOCK), JSON.stringify({ since: '2020-01-01T00:00:00Z', ...owner }));

  it('takes over a stale lock that names its own pid (a restarted container reuses it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    // Written by an earlier process that had this pid: another start time.
    staleLock(dir, {
      pid: process.pid,
      host: hostname(),
      bootId: bootId(),
      startTicks: String(Number(startTicksOf(process.pid)) - 1),
    });
    const lock = DataDirLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK), 'utf8'))).toMatchObject({
      pid: process.pid,
      startTicks: startTicksOf(process.pid),
      bootId: bootId(),
    });
    lock.release();
    // The older format (pid and host only) with our pid: stale too.
    staleLock(dir, { pid: process.pid, host: hostname() });
    DataDirLock.acquire(dir).release();
  });

  it('takes over a stale lock that names another host (a recreated container, or a reboot)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    // Another boot: whatever its pid is here, that owner is gone.
    staleLock(dir, {
      pid: process.ppid,
      host: 'container-before-recreation',
      bootId: '00000000-0000-4000-8000-000000000000',
      startTicks: startTicksOf(process.ppid),
    });
    DataDirLock.acquire(dir).release();
    // The same kernel (a sibling container), its pid now a different, live process here.
    staleLock(dir, {
      pid: process.ppid,
      host: 'container-before-recreation',
      bootId: bootId(),
      startTicks: String(Number(startTicksOf(process.ppid)) + 1),
    });
    const lock = DataDirLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    lock.release();
  });

  it('still refuses a live owner, whatever host name its lock carries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    try {
      for (const host of [hostname(), 'another-host']) {
        staleLock(dir, {
          pid: owner.pid,
          host,
          bootId: bootId(),
          startTicks: startTicksOf(owner.pid!),
        });
        expect(() => DataDirLock.acquire(dir)).toThrow(DataDirLockedError);
        expect(() => DataDirLock.acquire(dir)).toThrow(`process ${owner.pid}`);
      }
    } finally {
      owner.kill('SIGKILL');
      await new Promise((resolve) => owner.once('exit', resolve));
    }
    // Once it is dead the same lock is stale.
    DataDirLock.acquire(dir).release();
  });

  it('records the URL the owner serves at', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const lock = DataDirLock.acquire(dir);
    lock.recordUrl('http://127.0.0.1:3999');
    expect(JSON.parse(readFileSync(join(dir, LOCK), 'utf8'))).toMatchObject({
      pid: process.pid,
      url: 'http://127.0.0.1:3999',
    });
    expect(() => DataDirLock.acquire(dir)).toThrow(DataDirLockedError);
    lock.release();
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });
});

import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError } from './errors';

const LOCK_FILE = 'supplier-tasks.lock';

interface LockOwner {
  pid: number;
  /** For people reading the file; a recreated container has a new one, so it decides nothing. */
  host: string;
  since: string;
  /** The kernel's boot id: a lock from another boot (or another machine) has no live owner here. */
  bootId?: string;
  /** The owner's start time in clock ticks since boot (/proc/PID/stat): tells a reused pid apart. */
  startTicks?: string;
  /** Where the owner serves HTTP, once it does. */
  url?: string;
}

/** Folders locked by this process: its own pid in a lock is only alive if it is one of these. */
const heldHere = new Set<string>();

/**
 * PGlite does not lock its folder, and two processes writing one folder corrupt it. This lock
 * file (created with link(2), so atomically) names its owner by pid, start time and boot id, so
 * that the lock dies with its owner even where the pid comes back: after a container restart
 * the new process often has the old one's pid, and after a reboot or on a new container the
 * host name and every pid have changed. A lock whose owner is not that very process is stale
 * and taken over. (Node has no flock; this needs no package and no resource held open.)
 * Limits: without /proc (not Linux) only the pid is checked; and a live owner in another pid
 * namespace (two containers sharing one folder at once) cannot be seen, so do not share it.
 */
export class DataDirLock {
  private released = false;

  private constructor(
    readonly dataDir: string,
    private readonly path: string,
    private owner: LockOwner,
  ) {}

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      const owner: LockOwner = {
        pid: process.pid,
        host: hostname(),
        since: new Date().toISOString(),
        bootId: bootId(),
        startTicks: startTicks(process.pid),
      };
      try {
        // Written whole to a private file, then linked into place: link fails if the lock exists,
        // and nobody ever sees a half-written lock.
        const candidate = `${path}.${process.pid}`;
        writeFileSync(candidate, JSON.stringify(owner));
        try {
          linkSync(candidate, path);
        } finally {
          rmSync(candidate, { force: true });
        }
        heldHere.add(path);
        return new DataDirLock(dataDir, path, owner);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const current = readOwner(path);
        if (current && isAlive(current, path)) {
          throw new DataDirLockedError(dataDir, current.pid, current.since);
        }
        rmSync(path, { force: true });
      }
    }
    throw new Error(`could not lock ${dataDir}: the lock file keeps changing`);
  }

  /** Records where this owner serves HTTP (for the CLI and for people). */
  recordUrl(url: string): void {
    if (this.released) return;
    this.owner = { ...this.owner, url };
    const candidate = `${this.path}.${process.pid}`;
    writeFileSync(candidate, JSON.stringify(this.owner));
    renameSync(candidate, this.path);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.path);
    const owner = readOwner(this.path);
    if (owner?.pid === process.pid) rmSync(this.path, { force: true });
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined; // unreadable: no owner to respect
  }
}

function isAlive(owner: LockOwner, path: string): boolean {
  if (owner.pid === process.pid) return heldHere.has(path);
  const ours = bootId();
  if (owner.bootId !== undefined && ours !== undefined && owner.bootId !== ours) return false;
  const ticks = startTicks(owner.pid);
  if (owner.startTicks !== undefined && ours !== undefined) return ticks === owner.startTicks;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/PID/stat; undefined when there is no such process (or no /proc). */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

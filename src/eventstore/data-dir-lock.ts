import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError } from './errors';

const LOCK_FILE = 'supplier-tasks.lock';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/**
 * PGlite does not lock its folder, and two processes writing one folder corrupt it. This lock
 * file (created with O_EXCL, holding the owner's pid) makes the second process fail clearly.
 * A lock whose owner is no longer alive on this host is stale and taken over.
 */
export class DataDirLock {
  private released = false;

  private constructor(
    readonly dataDir: string,
    private readonly path: string,
  ) {}

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        // Written whole to a private file, then linked into place: link fails if the lock exists,
        // and nobody ever sees a half-written lock.
        const owner: LockOwner = {
          pid: process.pid,
          host: hostname(),
          since: new Date().toISOString(),
        };
        const candidate = `${path}.${process.pid}`;
        writeFileSync(candidate, JSON.stringify(owner));
        try {
          linkSync(candidate, path);
        } finally {
          rmSync(candidate, { force: true });
        }
        return new DataDirLock(dataDir, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = readOwner(path);
        if (owner && isAlive(owner)) throw new DataDirLockedError(dataDir, owner.pid, owner.since);
        rmSync(path, { force: true });
      }
    }
    throw new Error(`could not lock ${dataDir}: the lock file keeps changing`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
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

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // cannot check another host's process: assume alive
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `npm start`'s prestart: compiles only when a source is newer than the last build, so a start
 * after an unchanged checkout takes no compile (30 s on a busy machine). The stamp is written
 * after a successful build; a failed one leaves no stamp and the next start compiles again.
 *
 * Usage: node tools/build/build-if-stale.mjs
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
/** What tsconfig.build.json compiles, and what changes how. */
const SOURCES = [
  'src',
  'projections',
  'upcasters',
  'bench',
  'tools',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : -1;
const changed = SOURCES.map((s) => join(ROOT, s))
  .filter(existsSync)
  .map(newestMtime);
if (Math.max(...changed) <= built) {
  console.error('build: dist/ is up to date with the sources');
  process.exit(0);
}
console.error('build: sources changed since the last build, compiling');
const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(STAMP, `${new Date().toISOString()}\n`);

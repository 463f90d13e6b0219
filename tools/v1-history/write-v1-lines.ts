import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { V1Line } from './v1-line';

/**
 * Writes lines to `path` as NDJSON, streaming: memory stays flat however many lines. Returns how
 * many were written.
 */
export async function writeV1Lines(path: string, lines: Iterable<V1Line>): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  let written = 0;
  // Lines are encoded straight into a buffer: concatenating a string per megabyte and then
  // flattening it cost more than generating the events.
  const size = 1 << 20;
  let chunk = Buffer.allocUnsafe(size);
  let used = 0;
  for (const line of lines) {
    const text = JSON.stringify(line) + '\n';
    written++;
    if (used + 3 * text.length > size) {
      if (!out.write(chunk.subarray(0, used))) await Promise.race([once(out, 'drain'), failed]);
      chunk = Buffer.allocUnsafe(Math.max(size, 3 * text.length));
      used = 0;
    }
    used += chunk.write(text, used, 'utf8');
  }
  out.end(chunk.subarray(0, used));
  await Promise.race([once(out, 'finish'), failed]);
  return written;
}

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BackupFile } from '../projection-runner/projections-api';

/** The backup's name in the report's folder: the position says what it holds. */
const backupFileName = (position: bigint) => `backup-to-position-${position}.ndjson`;

/**
 * Writes the export (the import format, so a restore is one `import`) into `dir`, hashing the
 * bytes as they go to the file: the SHA-256 is of what was written, without reading it back.
 */
export async function writeBackup(
  dir: string,
  position: bigint,
  chunks: AsyncIterable<string | Uint8Array>,
): Promise<BackupFile & { events: number }> {
  const file = backupFileName(position);
  const hash = createHash('sha256');
  let bytes = 0;
  let events = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 0x0a) events++;
      done(null, chunk);
    },
  });
  await pipeline(Readable.from(chunks), tee, createWriteStream(join(dir, file)));
  return { file, bytes, sha256: hash.digest('hex'), position: position.toString(), events };
}

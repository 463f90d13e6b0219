/**
 * Writes a generated legacy V1 history (tools/v1-history) as NDJSON.
 *
 * Usage: node dist/bench/generate-v1-history.js OUT.ndjson 1000000 [seed] [--rich]
 */
import { writeV1History } from '../tools/v1-history';

async function main(argv: string[]): Promise<void> {
  const rich = argv.includes('--rich');
  const [path, count, seed] = argv.filter((a) => a !== '--rich');
  const events = Number(count);
  if (!path || !Number.isInteger(events) || events < 0) {
    console.error(
      'usage: node dist/bench/generate-v1-history.js OUT.ndjson EVENTS [SEED] [--rich]',
    );
    process.exitCode = 2;
    return;
  }
  const started = process.hrtime.bigint();
  const result = await writeV1History(path, {
    events,
    seed: seed === undefined ? undefined : Number(seed),
    rich,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `${path}: ${result.events} events in ${result.streams} streams, ${seconds.toFixed(1)} s ` +
      `(${Math.round(result.events / seconds)} events/s)`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

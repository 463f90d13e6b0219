import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar (events, events/s, ETA) on a terminal; on anything else, a plain line at most
 * every two seconds and one at the end, so logs stay readable.
 */
export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}`,
        stream,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    const started = Date.now();
    let begun = false;
    return {
      update(done, total) {
        const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
        if (!begun) {
          bar.start(total, done, { rate });
          begun = true;
        }
        bar.setTotal(total);
        bar.update(done, { rate });
      },
      stop: () => bar.stop(),
    };
  }
  const started = Date.now();
  let lastPrinted = 0;
  let last = { done: 0, total: 0 };
  let printed = -1;
  const print = () => {
    if (printed === last.done) return;
    printed = last.done;
    const seconds = (Date.now() - started) / 1000;
    const rate = Math.round(last.done / Math.max(seconds, 0.001));
    const eta = rate > 0 ? Math.round((last.total - last.done) / rate) : 0;
    stream.write(`${label}: ${last.done}/${last.total} events, ${rate} events/s, ETA ${eta}s\n`);
  };
  return {
    update(done, total) {
      last = { done, total };
      if (Date.now() - lastPrinted >= 2000) {
        lastPrinted = Date.now();
        print();
      }
    },
    stop: () => print(),
  };
}

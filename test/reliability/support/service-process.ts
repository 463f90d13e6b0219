import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TEST_ADMIN_KEY } from '../../support/test-keys';

const MAIN = join(__dirname, '..', '..', '..', 'dist', 'src', 'main.js');

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything the process wrote, for the message of a failing test. */
  output(): string;
}

/** The built service (`dist/src/main.js`) as a child process, resolved once it answers /health. */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      EVENTSTORE_URL: '',
      HOST: '127.0.0.1',
      PORT: String(port),
      SUPPLIER_TASKS_ADMIN_KEY: TEST_ADMIN_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const url = `http://127.0.0.1:${port}`;
  // Generous: PGlite compiles its WebAssembly at start, slow on a busy machine.
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the service exited (${exitCode}): ${output}`);
    const up = await fetch(`${url}/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return { url, child, exited, output: () => output };
    if (Date.now() > deadline) throw new Error(`the service did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

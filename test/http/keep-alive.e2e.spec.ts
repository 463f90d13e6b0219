import { Agent, request } from 'node:http';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HTTP_BACKENDS, type TestApp } from './support/http-app';

/*
 * Idle connections are kept longer than a load balancer keeps its own (AWS's and nginx's: 60 s),
 * so that the balancer, never the service, closes them: a balancer that sends a request onto a
 * connection the service is closing answers its client 502.
 */
const [, openPglite] = HTTP_BACKENDS[0]!;

interface Answer {
  status: number;
  keepAlive: string | undefined;
  socket: Socket;
  reused: boolean;
}

const get = (app: TestApp, agent: Agent, path: string) =>
  new Promise<Answer>((resolve, reject) => {
    const { port } = new URL(app.running.url);
    const req = request({ agent, host: '127.0.0.1', port, path }, (res) => {
      const { socket } = res;
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          keepAlive: res.headers['keep-alive']?.toString(),
          socket,
          reused: req.reusedSocket,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });

describe('idle keep-alive connections', () => {
  it('are kept 65 s by default, which the service tells its clients', async () => {
    const app = await openPglite();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(app, agent, '/health')).toMatchObject({
        status: 200,
        keepAlive: 'timeout=65',
      });
    } finally {
      agent.destroy();
      await app.close();
    }
  });

  describe('with KEEP_ALIVE_TIMEOUT_MS=3000 and REQUEST_TIMEOUT_MS=1000', () => {
    let app: TestApp;
    let agent: Agent;
    beforeAll(async () => {
      app = await openPglite({ keepAliveTimeoutMs: 3000, requestTimeoutMs: 1000 });
    });
    beforeEach(() => {
      agent = new Agent({ keepAlive: true, maxSockets: 1 });
    });
    afterEach(() => agent.destroy());
    afterAll(async () => {
      await app?.close();
    });

    it('serve a request on a connection idle longer than the time its headers may take', async () => {
      const first = await get(app, agent, '/health');
      expect(first.keepAlive).toBe('timeout=3');
      await sleep(1500);
      const second = await get(app, agent, '/health');
      expect(second).toMatchObject({ status: 200, reused: true });
      expect(second.socket).toBe(first.socket);
    });

    it('are closed by the service once idle for the time it set', async () => {
      // A bare socket: an agent closes its idle ones a second before the time the service gives.
      const socket = connect(Number(new URL(app.running.url).port), '127.0.0.1');
      socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      let answered = 0;
      socket.on('data', () => (answered = answered || Date.now()));
      await once(socket, 'close');
      expect(answered).toBeGreaterThan(0);
      const idle = Date.now() - answered;
      expect(idle).toBeGreaterThanOrEqual(2500);
      expect(idle).toBeLessThan(6000);
    });
  });

  it('do not hold up the service when it stops', async () => {
    const app = await openPglite();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { socket } = await get(app, agent, '/health');
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const since = Date.now();
      await app.close();
      await closed;
      expect(Date.now() - since).toBeLessThan(10_000);
    } finally {
      agent.destroy();
    }
  });
});

import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

/**
 * A TCP proxy between the service and PostgreSQL that the test can cut: a cut destroys every
 * open connection and every new one at once (the database "goes away"), a restore lets them
 * through again.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private cut = false;

  private readonly server: Server;
  port = 0;

  private constructor(host: string, port: number) {
    this.server = createServer((client) => this.accept(client, host, port));
  }

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    proxy.server.listen(0, '127.0.0.1');
    await once(proxy.server, 'listening');
    const address = proxy.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    proxy.port = address.port;
    return proxy;
  }

  private accept(client: Socket, host: string, port: number): void {
    if (this.cut) {
      client.destroy();
      return;
    }
    const upstream = connect(port, host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Cuts every connection and refuses new ones until `restore`. */
  cutOff(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.cut = false;
  }

  async close(): Promise<void> {
    this.cutOff();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

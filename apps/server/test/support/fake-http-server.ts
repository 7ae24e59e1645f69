import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP plumbing the fake model servers share: listen on a free loopback port, know the
 * requests still open, and stop at once (open responses cut, keep-alive sockets closed).
 */
export abstract class FakeHttpServer {
  private server: Server | null = null;
  /** Requests whose response is still being written; a subclass adds and removes them. */
  protected readonly open = new Set<IncomingMessage>();

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error(`${this.constructor.name} is not started`);
    return `http://127.0.0.1:${address.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const req of this.open) req.socket.destroy();
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // keep-alive sockets would hold close() for seconds
      await closed;
    }
    this.server = null;
  }
}

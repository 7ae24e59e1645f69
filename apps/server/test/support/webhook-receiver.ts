import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeHttpServer } from './fake-http-server.js';

export interface ReceivedHook {
  headers: IncomingMessage['headers'];
  body: string;
  path: string;
}

/** A webhook receiver on a loopback port: records every request and answers `statuses` in turn (then 200). */
export class WebhookReceiver extends FakeHttpServer {
  readonly received: ReceivedHook[] = [];
  statuses: number[] = [];

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.open.add(req);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '/' });
    res.statusCode = this.statuses.shift() ?? 200;
    res.end('ok');
    this.open.delete(req);
  }
}

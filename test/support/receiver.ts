import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  at: number;
  path: string;
  headers: IncomingMessage['headers'];
  /** The body exactly as received (UTF-8): what a signature covers, before any JSON round trip. */
  rawBody: string;
  body: { reminderId: string; dueAt: string; payload: unknown; attempt: number };
}

export type Responder = (callback: ReceivedCallback, res: ServerResponse) => void;

/** A real HTTP server standing in for the caller's service: records every callback and answers as told. */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  private responders = new Map<string, Responder>();
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString();
        const callback: ReceivedCallback = {
          at: Date.now(),
          path: req.url ?? '/',
          headers: req.headers,
          rawBody,
          body: JSON.parse(rawBody || 'null'),
        };
        this.received.push(callback);
        const respond = this.responders.get(callback.path) ?? ((_c, r) => r.writeHead(204).end());
        respond(callback, res);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Answers callbacks to `path` with `responder` (default: 204). */
  on(path: string, responder: Responder): this {
    this.responders.set(path, responder);
    return this;
  }

  for(reminderId: string): ReceivedCallback[] {
    return this.received.filter((c) => c.body?.reminderId === reminderId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

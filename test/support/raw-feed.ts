import { IncomingMessage, request } from 'node:http';

/**
 * A feed client on a socket of its own over node:http, whose reading the
 * test controls (`response.pause()` / `resume()`): what a slow consumer, or
 * one that vanishes mid-stream, looks like to the server.
 */
export interface RawFeed {
  readonly response: IncomingMessage;
  /** The messages' data as parsed JSON, in order. */
  readonly messages: { stream: string; type: string }[];
  close(): void;
}

export function rawFeed(url: string, headers: Record<string, string> = {}): Promise<RawFeed> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`feed answered ${response.statusCode}`));
      const messages: RawFeed['messages'] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (data) messages.push(JSON.parse(data[1]) as { stream: string; type: string });
        }
      });
      response.on('error', () => undefined); // destroyed by close()
      resolve({ response, messages, close: () => req.destroy() });
    });
    req.on('error', (error) => reject(error));
    req.end();
  });
}

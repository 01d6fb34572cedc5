/** One Server-Sent Events message as a client sees it. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/**
 * A minimal SSE client over fetch for the tests that need what EventSource
 * hides: the status and body of a refusal, comment lines, exactly when a
 * connection ends. (test/e2e/live-feed also uses the `eventsource` package.)
 */
export class SseReader {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  status = 0;
  contentType: string | null = null;
  /** The `herald-feed-position` header: the position the feed starts after. */
  startPosition: string | null = null;
  /** The body of a refusal (not 200). */
  refusal: unknown = null;
  ended = false;
  private readonly abort = new AbortController();

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const reader = new SseReader();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: reader.abort.signal });
    reader.status = response.status;
    reader.contentType = response.headers.get('content-type');
    reader.startPosition = response.headers.get('herald-feed-position');
    if (response.status !== 200) {
      reader.refusal = await response.json();
      reader.ended = true;
      return reader;
    }
    void reader.read(response.body!);
    return reader;
  }

  /** The JSON of each message's data. */
  data<T = Record<string, unknown>>(): T[] {
    return this.messages.map((m) => JSON.parse(m.data) as T);
  }

  get lastId(): string | undefined {
    return this.messages.at(-1)?.id;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted by close()
    } finally {
      this.ended = true;
    }
  }

  private parse(block: string): void {
    const message: SseMessage = { data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) message.id = line.slice(4);
      else if (line.startsWith('event: ')) message.event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length === 0) return;
    message.data = data.join('\n');
    this.messages.push(message);
  }
}

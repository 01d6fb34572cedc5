import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * An in-memory Herald speaking the worker protocol, for the SDK's integration
 * specs. It records every call, and lets a test request cancel or pause, make
 * a lease lost (409 LeaseLost), hold heartbeat answers, or answer them 503 (down).
 */

export type FakeTaskStatus = 'queued' | 'leased' | 'completed' | 'failed' | 'released';

export interface FakeTask {
  taskId: string;
  type: string;
  params: unknown;
  checkpoint: unknown;
  attempt: number;
  status: FakeTaskStatus;
  token?: string;
  progress?: unknown;
  result?: unknown;
  cancelRequested: boolean;
  pauseRequested: boolean;
}

export interface RecordedCall {
  action: 'lease' | 'heartbeat' | 'complete' | 'fail' | 'release';
  token?: string;
  taskId?: string;
  body: Record<string, any>;
  /** For a lease call: leases this server held (granted, not settled) when the request arrived. */
  activeLeases?: number;
  /** The status this server answered. */
  status?: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
  /** Settle calls: through `/leases/:token/<outcome>` or as an item of `/workers/reports`. */
  via?: 'single' | 'batch';
  /** The size of the batch this report came in (1 for a single call). */
  batchSize?: number;
}

interface PendingPoll {
  body: Record<string, any>;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

export class FakeHerald {
  readonly calls: RecordedCall[] = [];
  private readonly tasks = new Map<string, FakeTask>();
  private readonly tokens = new Map<string, string>(); // token → taskId, valid ones only
  private readonly polls = new Set<PendingPoll>();
  private heartbeatGate: Promise<void> | undefined;
  /** While true every heartbeat is answered 503, as by a Herald that is down. */
  private heartbeatsDown = false;
  private server!: Server;
  url = '';
  /** Off: `/workers/reports` answers 404, as a Herald from before it did. */
  batchReports = true;
  /** Batches of more reports than this are refused whole with 413 (a body limit). */
  refuseBatchesOver = Infinity;

  constructor(private readonly heartbeatTimeoutMs = 3_000) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.polls.forEach((poll) => clearTimeout(poll.timer));
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  add(type: string, params: unknown = {}, checkpoint: unknown = null): string {
    const taskId = `t-${this.tasks.size + 1}`;
    this.tasks.set(taskId, { taskId, type, params, checkpoint, attempt: 0, status: 'queued', cancelRequested: false, pauseRequested: false });
    this.servePolls();
    return taskId;
  }

  task(taskId: string): FakeTask {
    const task = this.tasks.get(taskId);
    if (!task) throw new Error(`no task ${taskId}`);
    return task;
  }

  callsFor(taskId: string, action?: RecordedCall['action']): RecordedCall[] {
    return this.calls.filter((c) => c.taskId === taskId && (!action || c.action === action));
  }

  get leaseCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.action === 'lease');
  }

  requestCancel(taskId: string): void {
    this.task(taskId).cancelRequested = true;
  }

  requestPause(taskId: string): void {
    this.task(taskId).pauseRequested = true;
  }

  /** From now on the task's token answers 409 LeaseLost, as if it had lapsed and been leased again. */
  loseLease(taskId: string): void {
    const token = this.task(taskId).token;
    if (token) this.tokens.delete(token);
  }

  /** Heartbeats are recorded but not answered until `release()` is called. */
  holdHeartbeats(): { release: () => void } {
    let release!: () => void;
    this.heartbeatGate = new Promise<void>((resolve) => (release = resolve));
    return {
      release: () => {
        this.heartbeatGate = undefined;
        release();
      },
    };
  }

  /** Heartbeats are recorded and answered 503 (changing nothing) until `restore()` is called. */
  failHeartbeats(): { restore: () => void } {
    this.heartbeatsDown = true;
    return { restore: () => (this.heartbeatsDown = false) };
  }

  get activeLeases(): number {
    return this.tokens.size;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    if (req.method === 'POST' && req.url === '/api/v1/workers/reports' && this.batchReports) return this.onReports(body, res);
    const match = /^\/api\/v1\/workers\/leases(?:\/([^/]+)\/(heartbeat|complete|fail|release))?$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return send(res, 404, { statusCode: 404, error: 'Not Found', code: 'NotFound', message: req.url });
    if (!match[1]) return this.onLease(body, res);
    const token = decodeURIComponent(match[1]);
    const action = match[2] as RecordedCall['action'];
    const call: RecordedCall = { action, token, taskId: this.taskIdOf(token), body, at: Date.now() };
    if (action !== 'heartbeat') Object.assign(call, { via: 'single', batchSize: 1 });
    this.calls.push(call);
    if (action === 'heartbeat') await this.heartbeatGate;
    if (action === 'heartbeat' && this.heartbeatsDown)
      return this.answer(res, call, 503, { statusCode: 503, code: 'Unavailable', message: 'Herald is down' });
    const taskId = this.tokens.get(token);
    if (!taskId) return this.answer(res, call, 409, { statusCode: 409, code: 'LeaseLost', message: 'the lease is no longer valid' });
    this.answer(res, call, 200, this.apply(action, this.task(taskId), body));
  }

  /** Each report is recorded as the single call it stands for, its body without token and outcome. */
  private onReports(body: Record<string, any>, res: ServerResponse): void {
    const reports = body.reports as Record<string, any>[];
    if (reports.length > this.refuseBatchesOver) return send(res, 413, { statusCode: 413, error: 'Payload Too Large', message: 'body too large' });
    const results = reports.map(({ token, outcome, ...fields }) => {
      const call: RecordedCall = {
        action: outcome,
        token,
        taskId: this.taskIdOf(token),
        body: fields,
        at: Date.now(),
        via: 'batch',
        batchSize: reports.length,
      };
      this.calls.push(call);
      const taskId = this.tokens.get(token);
      call.status = taskId ? 200 : 409;
      if (!taskId) return { token, ok: false, statusCode: 409, code: 'LeaseLost', message: 'the lease is no longer valid' };
      this.apply(outcome, this.task(taskId), fields);
      return { token, ok: true, taskId, status: this.task(taskId).status };
    });
    send(res, 200, { results });
  }

  private onLease(body: Record<string, any>, res: ServerResponse): void {
    this.calls.push({ action: 'lease', body, activeLeases: this.activeLeases, at: Date.now() });
    const poll: PendingPoll = { body, res, timer: setTimeout(() => this.finishPoll(poll, []), body.waitMs ?? 0) };
    this.polls.add(poll);
    // A worker that gives up on its long poll must not be handed tasks it will never see.
    res.on('close', () => this.dropPoll(poll));
    this.servePolls();
  }

  private servePolls(): void {
    for (const poll of this.polls) {
      const queued = [...this.tasks.values()].filter((t) => t.status === 'queued' && poll.body.types.includes(t.type));
      if (queued.length > 0)
        this.finishPoll(
          poll,
          queued.slice(0, poll.body.max ?? 1).map((t) => this.grant(t)),
        );
    }
  }

  private finishPoll(poll: PendingPoll, leases: unknown[]): void {
    this.dropPoll(poll);
    send(poll.res, 200, { leases });
  }

  private dropPoll(poll: PendingPoll): void {
    clearTimeout(poll.timer);
    this.polls.delete(poll);
  }

  private grant(task: FakeTask): unknown {
    task.status = 'leased';
    task.attempt += 1;
    task.token = randomUUID();
    this.tokens.set(task.token, task.taskId);
    const { token, taskId, type, params, checkpoint, attempt } = task;
    return { token, taskId, type, params, checkpoint, attempt, heartbeatTimeoutMs: this.heartbeatTimeoutMs, expiresAt: this.expiresAt() };
  }

  private apply(action: RecordedCall['action'], task: FakeTask, body: Record<string, any>): unknown {
    if (action === 'heartbeat') return this.heartbeat(task, body);
    this.tokens.delete(task.token!);
    if (action === 'complete') Object.assign(task, { status: 'completed', result: body.result });
    if (action === 'fail') task.status = 'failed';
    if (action === 'release') Object.assign(task, { status: 'released', checkpoint: body.checkpoint ?? task.checkpoint });
    return {};
  }

  private heartbeat(task: FakeTask, body: Record<string, any>): unknown {
    if ('progress' in body) task.progress = body.progress;
    if ('checkpoint' in body) task.checkpoint = body.checkpoint;
    return { expiresAt: this.expiresAt(), pauseRequested: task.pauseRequested, cancelRequested: task.cancelRequested };
  }

  private answer(res: ServerResponse, call: RecordedCall, status: number, body: unknown): void {
    call.status = status;
    send(res, status, body);
  }

  private taskIdOf(token: string): string | undefined {
    return [...this.tasks.values()].find((t) => t.token === token)?.taskId;
  }

  private expiresAt(): string {
    return new Date(Date.now() + this.heartbeatTimeoutMs).toISOString();
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startFakeHerald(heartbeatTimeoutMs?: number): Promise<FakeHerald> {
  return new FakeHerald(heartbeatTimeoutMs).start();
}

/** Resolves when `signal` aborts: handlers in these specs wait on it instead of sleeping. */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

import { ChildProcess, spawn } from 'node:child_process';
import { eventually } from '@herald/testing';
import { builtApp, freePort } from './herald-process';

/**
 * The example app (apps/example-reports) as its own OS process, in either
 * mode: `api` serves /reports and enqueues in Herald; `worker` runs the
 * report handlers through the worker SDK.
 */
export class ExampleApp {
  private child: ChildProcess | null = null;
  readonly output: string[] = [];
  port = 0;

  constructor(
    readonly mode: 'api' | 'worker',
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<this> {
    this.port = await freePort();
    this.child = spawn(process.execPath, [builtApp('example-reports')], {
      env: { ...process.env, APP_ENV: this.mode, PORT: String(this.port), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d) => this.output.push(String(d)));
    this.child.stderr!.on('data', (d) => this.output.push(String(d)));
    const ready =
      this.mode === 'worker' ? () => this.output.join('').includes('worker started') : () => fetch(`${this.url}/reports/x`).then(() => true);
    await eventually(ready, Boolean, { timeoutMs: 20_000, intervalMs: 50, what: `example ${this.mode} ready` });
    return this;
  }

  /** SIGKILL: no release, no goodbye — the lease can only lapse. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  /** SIGTERM: the SDK aborts handlers with 'shutdown' and releases their leases. */
  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await gone;
    this.child = null;
  }
}

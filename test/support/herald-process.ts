import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually } from '@herald/testing';

const ROOT = join(__dirname, '..', '..');

/** The built entry point of an app: what `npm start` runs. `npm test` builds first. */
export function builtApp(app: string): string {
  const main = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
  return main;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Herald service as its own OS process, so a test can SIGKILL it. */
export class HeraldProcess {
  private child: ChildProcess | null = null;
  readonly output: string[] = [];

  constructor(
    readonly app: string,
    readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [builtApp(this.app)], {
      env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_REQUESTS: 'false', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d) => this.output.push(String(d)));
    this.child.stderr!.on('data', (d) => this.output.push(String(d)));
    const exited = new Promise((_, reject) =>
      this.child!.once('exit', (code) => reject(new Error(`${this.app} exited with ${code}:\n${this.output.join('')}`))),
    );
    await Promise.race([
      eventually(
        () => fetch(`${this.url}/health`).then((r) => r.status),
        (s) => s === 200,
        { timeoutMs: 20_000, intervalMs: 50, what: `${this.app} healthy` },
      ),
      exited,
    ]);
  }

  /** SIGKILL: no shutdown hooks, no flushing, the way a crash or an OOM kill ends a process. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
    this.child = null;
  }
}

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * A lib of this repository as another Node project gets it: packed with `npm pack`, installed
 * from the tarball into a project of its own outside the repository, used from plain Node.
 *
 * Nothing is fetched: its dependencies are the repository's own installed copies (the versions
 * package-lock.json pins), packed too and installed `--offline` from those tarballs. Not from the
 * npm cache: npm 11 resolves a version range from the full registry document of a package, and
 * the cache `npm ci` leaves holds the abbreviated ones, so an offline install of a range fails there.
 */

export const ROOT = resolve(__dirname, '../..');
export const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command (in the repository unless `cwd`), its stdin `input`; resolves with its exit code and output.
 * With `timeoutMs`, a command still running then is killed and the promise rejects with what it wrote.
 */
export function run(
  command: string,
  args: string[],
  input = '',
  cwd = ROOT,
  env: Record<string, string> = {},
  timeoutMs?: number,
): Promise<RunOutcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${command} ${args.join(' ')} still running after ${timeoutMs} ms, killed:\n${stdout}${stderr}`));
          }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** `run`, failing with the command's output unless it exits with 0. */
export async function runOrThrow(what: string, command: string, args: string[], cwd = ROOT, env: Record<string, string> = {}, timeoutMs?: number) {
  const outcome = await run(command, args, '', cwd, env, timeoutMs);
  if (outcome.code !== 0) throw new Error(`${what} failed (exit code ${outcome.code}):\n${outcome.stdout}${outcome.stderr}`);
  return outcome;
}

export interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

export interface Tarball {
  /** Absolute path of the .tgz. */
  path: string;
  /** The paths inside the package, as `npm pack` lists them. */
  files: string[];
  /** Its package.json. */
  manifest: Manifest;
}

/** `npm pack <dir>` into `destination`. */
export async function npmPack(dir: string, destination: string): Promise<Tarball> {
  const packed = await runOrThrow('npm pack', NPM, ['pack', dir, '--pack-destination', destination, '--json']);
  const [tarball] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  return { path: join(destination, tarball.filename), files: tarball.files.map((f) => f.path), manifest: manifest(resolve(ROOT, dir)) };
}

/** The packed paths that are neither under dist/ nor the manifest and the README: what a package should not ship. */
export function strayFiles(tarball: Tarball): string[] {
  return tarball.files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md'].includes(f));
}

/** Where Node would load `name` from, required in `from` (a folder in the repository): the nearest node_modules up to ROOT. */
function installedCopy(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT || dir === dirname(dir)) return undefined;
  }
}

/**
 * The folders of the repository's installed copies of `names` and of everything they depend on (optional
 * dependencies when installed). One version per name: a consumer installs them side by side at its top level.
 */
export function installedClosure(names: string[]): string[] {
  const found = new Map<string, { dir: string; version: string }>();
  const visit = (name: string, from: string, optional: boolean) => {
    const dir = installedCopy(name, from);
    if (!dir) {
      if (optional) return;
      throw new Error(`${name} (needed from ${from}) is not installed in the repository: run npm ci`);
    }
    const { version, dependencies = {}, optionalDependencies = {} } = manifest(dir);
    const seen = found.get(name);
    if (seen) {
      if (seen.version !== version) throw new Error(`${name} is installed in two versions (${seen.dir}, ${dir}): cannot install both at a top level`);
      return;
    }
    found.set(name, { dir, version });
    for (const dependency of Object.keys({ ...dependencies, ...optionalDependencies })) visit(dependency, dir, dependency in optionalDependencies);
  };
  for (const name of names) visit(name, ROOT, false);
  return [...found.values()].map((copy) => copy.dir);
}

/**
 * A plain Node project at `dir` (created) with `tarballs` installed, offline, and the dependencies they declare
 * plus `extra` packages (the repository's installed copies, e.g. peers): those packed into `dir`/.tarballs first.
 */
export async function installedProject(dir: string, tarballs: Tarball[], extra: string[] = []): Promise<string> {
  const packed = join(dir, '.tarballs');
  mkdirSync(packed, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const declared = tarballs.flatMap((tarball) => Object.keys(tarball.manifest.dependencies ?? {}));
  const copies = installedClosure([...new Set([...declared, ...extra])]);
  const dependencies = copies.length === 0 ? [] : await npmPackAll(copies, packed);
  await runOrThrow(
    'npm install --offline',
    NPM,
    ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', ...tarballs.map((t) => t.path), ...dependencies],
    dir,
  );
  return dir;
}

/** `npm pack` of several folders in one go (scripts ignored: these are installed packages, not sources); the tarballs' paths. */
async function npmPackAll(dirs: string[], destination: string): Promise<string[]> {
  const packed = await runOrThrow('npm pack', NPM, ['pack', '--ignore-scripts', '--pack-destination', destination, '--json', ...dirs]);
  return (JSON.parse(packed.stdout) as { filename: string }[]).map((t) => join(destination, t.filename));
}

// The processes a bench run starts: xacthuc itself (`node src/main.ts`, as an operator runs
// it), the bare oidc-provider, the load generator and the argon2 ceiling. Each one is a
// process of its own so that its CPU and memory stay apart from the others'.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadResult } from './load.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export interface Memory {
  rssMb: number;
  peakMb: number;
}

/** Resident memory of a process now, and its peak, from the kernel's accounting. */
export async function memoryOf(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kib('VmRSS') / 1024, peakMb: kib('VmHWM') / 1024 };
}

export interface CpuTime {
  /** The main thread: the event loop, where everything but argon2 and V8's helpers runs. */
  mainMs: number;
  totalMs: number;
}

// USER_HZ: 100 on every Linux architecture Node runs on.
const TICK_MS = 10;

/** utime + stime of a /proc stat line, and with `reaped` the children's (cutime + cstime). */
function ticksOf(stat: string, reaped = false): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  return (reaped ? own + Number(fields[13]) + Number(fields[14]) : own) * TICK_MS;
}

/** CPU a process has used so far, from the kernel's accounting. */
export async function cpuOf(pid: number): Promise<CpuTime> {
  const [main, total] = await Promise.all([readFile(`/proc/${pid}/task/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/stat`, 'utf8')]);
  return { mainMs: ticksOf(main), totalMs: ticksOf(total) };
}

/**
 * CPU of every PostgreSQL process on this machine so far (its backends, WAL writer and
 * the rest), or NaN when none is visible: a database elsewhere, or the embedded one,
 * whose work is counted in xacthuc's own process.
 */
export async function databaseCpuMs(): Promise<number> {
  let total = 0;
  let seen = false;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!(await readFile(`/proc/${pid}/comm`, 'utf8')).startsWith('postgres')) continue;
      // Its own time and that of the children it reaped: a backend whose connection the
      // pool closed takes its CPU with it, except into the postmaster's account.
      total += ticksOf(await readFile(`/proc/${pid}/stat`, 'utf8'), true);
      seen = true;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return seen ? total : Number.NaN;
}

/** xacthuc as deployed: `node src/main.ts` with its settings in the environment. */
export class ServerProcess {
  readonly url: string;
  readonly #child: ChildProcess;
  /** Log lines at level error or fatal, and anything it wrote that is not a log line. */
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  #stopping = false;

  private constructor(child: ChildProcess, url: string) {
    this.#child = child;
    this.url = url;
    const read = (stream: NodeJS.ReadableStream) => {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) if (line.trim()) this.#classify(line);
      });
    };
    read(child.stdout!);
    read(child.stderr!);
    child.once('exit', (code, signal) => {
      if (!this.#stopping) this.errors.push(`xacthuc exited by itself (${signal ?? `code ${code}`})`);
    });
  }

  #classify(line: string): void {
    let level: number | undefined;
    try {
      level = (JSON.parse(line) as { level?: number }).level;
    } catch {
      level = undefined;
    }
    if (level === undefined || level >= 50) this.errors.push(line);
    else this.warnings.push(line);
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** Its exit code once stopped (null: killed by a signal; undefined: still running). */
  get exitCode(): number | null | undefined {
    if (this.#child.exitCode !== null) return this.#child.exitCode;
    return this.#child.signalCode !== null ? null : undefined;
  }

  static async start(env: Record<string, string>, options: { cpuProfileDir?: string } = {}): Promise<ServerProcess> {
    const flags = [...await startFlags(), ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [])];
    const child = spawn(process.execPath, [...flags, 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new ServerProcess(child, env.ISSUER);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (server.exitCode !== undefined) throw new Error(`xacthuc exited at start-up:\n${server.errors.join('\n')}`);
      try {
        const response = await fetch(`${server.url}/readyz`);
        if (response.status === 200) return server;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await server.stop();
    throw new Error('xacthuc did not become ready within 60 s');
  }

  memory(): Promise<Memory> {
    return memoryOf(this.pid);
  }

  /** Statements it has sent to the database so far (its /metrics counter). */
  async statements(): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    return Number(/^xacthuc_database_statements_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
  }

  /** SIGTERM, as an orchestrator stops it; resolves with its exit code. */
  async stop(): Promise<number | null> {
    if (this.exitCode === undefined) {
      this.#stopping = true;
      this.#child.kill('SIGTERM');
    }
    return exited(this.#child);
  }
}

/** A forked helper answering one request at a time over IPC. */
class Helper {
  readonly child: ChildProcess;
  #next = 0;
  readonly #waiting = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();

  constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.#waiting.get(message.id);
      if (!waiter) return;
      this.#waiting.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
    child.once('exit', (code) => {
      for (const waiter of this.#waiting.values()) waiter.reject(new Error(`helper exited with ${code}`));
      this.#waiting.clear();
    });
  }

  ask<T>(job: unknown): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.child.send({ id, job });
    });
  }

  async stop(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    await exited(this.child);
  }
}

export class LoadGenerator {
  readonly #helper = new Helper(fork(here('./load.ts'), { env: helperEnv(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));

  run(job: LoadJob): Promise<LoadResult> {
    return this.#helper.ask<LoadResult>(job);
  }

  stop(): Promise<void> {
    return this.#helper.stop();
  }
}

function firstMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited with ${code} before it was ready`)));
  });
}

export class BareProvider {
  readonly origin: string;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.origin = `http://localhost:${port}`;
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** `passwordHash`: what its sign-in page checks, hashed with xacthuc's argon2id parameters. */
  static async start(client: Record<string, unknown>, passwordHash: string): Promise<BareProvider> {
    const child = fork(here('./bare-provider.ts'), {
      env: helperEnv({
        NODE_ENV: 'production',
        BENCH_CLIENT: JSON.stringify(client),
        BENCH_PASSWORD_HASH: passwordHash,
        UV_THREADPOOL_SIZE: String(threadPoolSize(process.env)),
      }),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    // Its start-up warnings (in-memory adapter, development keys) are what a baseline is.
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      const other = chunk.split('\n').filter((line) => line.trim() && !line.startsWith('oidc-provider WARNING'));
      if (other.length) process.stderr.write(`bare oidc-provider: ${other.join('\n')}\n`);
    });
    const { port } = await firstMessage<{ port: number }>(child);
    return new BareProvider(child, port);
  }

  async stop(): Promise<void> {
    if (this.#child.connected) this.#child.disconnect();
    await exited(this.#child);
  }
}

/**
 * libuv's pool runs argon2: a thread per core uses them all, and each thread keeps its own
 * argon2 memory (m KiB) in its malloc arena. Node's default is 4 threads.
 */
export function threadPoolSize(env: Record<string, string | undefined>): number {
  return Number(env.UV_THREADPOOL_SIZE || availableParallelism());
}

/** The Node options `npm start` gives the server (package.json: "node [flags] src/main.ts"). */
export async function startFlags(): Promise<string[]> {
  const { scripts } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'src/main.ts') throw new Error(`package.json "start" is not "node [flags] src/main.ts": ${scripts.start}`);
  return words.slice(1, -1);
}

/** The bench's own helpers run with Node's defaults, whatever options the server is given. */
function helperEnv(extra: Record<string, string> = {}): Record<string, string> {
  const { NODE_OPTIONS: _serverOptions, ...env } = process.env as Record<string, string>;
  return { ...env, ...extra };
}

export class Argon2Ceiling {
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /** With the server's settings: the same argon2 parameters, thread pool and Node options. */
  static async start(env: Record<string, string>): Promise<Argon2Ceiling> {
    const child = fork(here('./argon2-ceiling.ts'), {
      env,
      execArgv: await startFlags(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await firstMessage(child);
    return new Argon2Ceiling(child);
  }

  measure(warmupMs: number, durationMs: number): Promise<{ perSecond: number; cpuMsPerVerify: number; wrong: number }> {
    const answer = new Promise<{ perSecond: number; cpuMsPerVerify: number; wrong: number }>((resolve) => this.#child.once('message', resolve));
    this.#child.send({ warmupMs, durationMs });
    return answer;
  }

  async stop(): Promise<void> {
    if (this.#child.connected) this.#child.disconnect();
    await exited(this.#child);
  }
}

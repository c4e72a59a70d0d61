// How operator commands reach a server running on the embedded database, where only one
// process may open DATA_DIR (src/db/embedded-lock.ts): the server listens on a Unix domain
// socket in DATA_DIR that only the user running it can connect to (mode 0600, like the
// database files), and runs there what `npm run cli` sends, with the command code of
// src/cli-commands.ts and its own open services.
//
// One request, one answer per connection, each one line of JSON:
//   → {"argv": ["account:unlock", "--identifier", "…"], "stdin": "…"}   at most 64 KiB
//   ← {"code": 0, "stdout": "…", "stderr": ""}
// `stdin` is sent only for a command that reads it (`--password -`). The settings are the
// server's own: nothing of the CLI's environment is sent.
import { unlink } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { COMMANDS, runCommand, UsageError, type CommandIo } from './cli-commands.ts';
import { DatabaseInUseError } from './db/index.ts';
import type { Services } from './server.ts';

export const MAX_REQUEST_BYTES = 64 * 1024;
// A connection that has not sent its request by then is closed: nothing waits on it forever.
const REQUEST_TIMEOUT_MS = 10_000;

export function commandSocketPath(dataDir: string): string {
  return join(dataDir, 'cli.sock');
}

export interface CommandRequest {
  argv: string[];
  stdin?: string;
}

export interface CommandAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

/** The request one line holds, or why it is refused. */
export function readCommandRequest(line: string): CommandRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'the request is not a line of JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the request is not a JSON object';
  const { argv, stdin, ...others } = value as Record<string, unknown>;
  if (Object.keys(others).length) return 'the request has fields other than argv and stdin';
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === 'string')) return 'argv is not a list of strings';
  if (stdin !== undefined && typeof stdin !== 'string') return 'stdin is not a string';
  return stdin === undefined ? { argv } : { argv, stdin };
}

const refusal = (reason: string): CommandAnswer => ({ code: 64, stdout: '', stderr: `xacthuc: command socket: ${reason}\n` });

async function answer(services: Services, request: CommandRequest): Promise<CommandAnswer> {
  const result: CommandAnswer = { code: 0, stdout: '', stderr: '' };
  const io: CommandIo = {
    stdin: Readable.from(request.stdin === undefined ? [] : [Buffer.from(request.stdin)]),
    stdout: { write: (text: string) => (result.stdout += text) },
    stderr: { write: (text: string) => (result.stderr += text) },
  };
  // Named in the log only when it is one: the other arguments may hold a password.
  const command = request.argv.find((arg) => COMMANDS.includes(arg));
  try {
    result.code = await runCommand(services, request.argv, io);
  } catch (error) {
    // What would have ended the CLI's own process with 1.
    services.logger.error({ err: error, command }, 'operator command failed');
    result.stderr += `xacthuc: ${(error as Error).message} (the server's log has the details)\n`;
    result.code = 1;
  }
  services.logger.info({ command, code: result.code }, 'operator command run');
  return result;
}

/** The answer, then the connection closed (a client that does not close it holds nothing). */
function reply(socket: Socket, result: CommandAnswer): void {
  socket.end(`${JSON.stringify(result)}\n`, () => socket.destroy());
}

export interface CommandSocket {
  path: string;
  /** Stops accepting, waits for the commands running, and removes the socket file. */
  close(): Promise<void>;
}

/** Listens for operator commands in DATA_DIR; the caller holds DATA_DIR's lock. */
export async function listenForCommands(services: Services): Promise<CommandSocket> {
  const path = commandSocketPath(services.config.dataDir);
  // This process holds DATA_DIR: a socket file there was left by one that died.
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  const waiting = new Set<Socket>();
  const running = new Set<Promise<void>>();

  const server = createServer((socket) => {
    waiting.add(socket);
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => {}); // a client gone away: its 'close' follows
    socket.on('close', () => waiting.delete(socket));
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf(0x0a);
      if (end === -1 && received.length <= MAX_REQUEST_BYTES) return;
      // One request per connection: what follows it is not read.
      socket.off('data', onData);
      waiting.delete(socket);
      const request = end === -1 || end > MAX_REQUEST_BYTES ? `the request is larger than ${MAX_REQUEST_BYTES / 1024} KiB` : readCommandRequest(received.subarray(0, end).toString('utf8'));
      if (typeof request === 'string') {
        services.logger.warn({ reason: request }, 'operator command refused');
        reply(socket, refusal(request));
        return;
      }
      socket.setTimeout(0);
      const work = answer(services, request).then((result) => reply(socket, result));
      running.add(work);
      void work.finally(() => running.delete(work));
    };
    socket.on('data', onData);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Connecting needs write permission on the socket: created 0600, only the user running
    // the server can. The umask is the process's, changed only while listen() binds (it does
    // so before returning), so the file never exists with wider permissions.
    const umask = process.umask(0o177);
    try {
      server.listen(path, () => resolve());
    } finally {
      process.umask(umask);
    }
  });

  return {
    path,
    async close() {
      // Node removes the socket file once the server is closed.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of waiting) socket.destroy();
      await Promise.allSettled([...running]);
      await closed;
    },
  };
}

/** Nothing answers on the socket: the refusal of the database in use, which names it. */
export class CommandSocketUnreachableError extends DatabaseInUseError {
  constructor(inUse: DatabaseInUseError, path: string, cause: NodeJS.ErrnoException) {
    super(inUse.dataDir, inUse.pid);
    this.message += ` Operator commands go to a running server through its socket ${path}, which does not answer (${cause.code ?? cause.message}): a server of an earlier version has none, and only the user running the server may connect.`;
    this.name = 'CommandSocketUnreachableError';
  }
}

async function readInput(stdin: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stdin) {
    length += chunk.length;
    if (length > MAX_REQUEST_BYTES) throw new UsageError(`standard input is larger than the ${MAX_REQUEST_BYTES / 1024} KiB a running server accepts`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The server holding DATA_DIR (`inUse`) runs the command: its output is written to `io` and
 * its exit code answered, as if this process had run it. `stdin` only when the command reads it.
 */
export async function runInServer(inUse: DatabaseInUseError, argv: string[], stdin: AsyncIterable<Buffer> | undefined, io: CommandIo): Promise<number> {
  const path = commandSocketPath(inUse.dataDir);
  const request: CommandRequest = stdin === undefined ? { argv } : { argv, stdin: await readInput(stdin) };
  const line = `${JSON.stringify(request)}\n`;
  if (Buffer.byteLength(line) > MAX_REQUEST_BYTES) throw new UsageError(`the command is larger than the ${MAX_REQUEST_BYTES / 1024} KiB a running server accepts`);

  const text = await new Promise<string>((resolve, reject) => {
    const socket = createConnection(path);
    let connected = false;
    let received = '';
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      connected = true;
      socket.write(line);
    });
    socket.on('data', (chunk: string) => (received += chunk));
    // Once connected, an error (the server ended the connection) still leaves what it answered.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected) reject(new CommandSocketUnreachableError(inUse, path, error));
    });
    socket.once('close', () => resolve(received));
  });

  const result = answerOf(text);
  if (!result) {
    io.stderr.write(`xacthuc: the server (pid ${inUse.pid}) closed ${path} without an answer: whether the command ran is unknown, check before running it again\n`);
    return 1;
  }
  io.stdout.write(result.stdout);
  io.stderr.write(result.stderr);
  return result.code;
}

/** The server's answer, or undefined when what came back is not one. */
function answerOf(text: string): CommandAnswer | undefined {
  let result: Partial<CommandAnswer> | null;
  try {
    result = JSON.parse(text) as Partial<CommandAnswer> | null;
  } catch {
    return undefined;
  }
  const complete = result !== null && Number.isInteger(result.code) && typeof result.stdout === 'string' && typeof result.stderr === 'string';
  return complete ? (result as CommandAnswer) : undefined;
}

// The operator CLI as a test drives it: commands run in this process through `main`, as
// `npm run cli -- …` runs them, with their own settings, input and output (starting a process
// for each takes seconds), or as a process of their own where the process itself matters.
import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { main } from '../../src/cli.ts';
import { openDatabase, type Knex } from '../../src/db/index.ts';

export interface CliAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

export function operatorCli(env: () => Record<string, string>) {
  async function withInput(input: string | undefined, ...args: string[]): Promise<CliAnswer> {
    const answer = { code: 0, stdout: '', stderr: '' };
    answer.code = await main(args, {
      env: env(),
      stdin: Readable.from(input === undefined ? [] : [Buffer.from(input)]),
      stdout: { write: (text: string) => (answer.stdout += text) },
      stderr: { write: (text: string) => (answer.stderr += text) },
    });
    return answer;
  }
  return {
    run: (...args: string[]) => withInput(undefined, ...args),
    withInput,
    /** `node src/cli.ts …`, which `npm run cli -- …` runs. */
    async process(...args: string[]): Promise<CliAnswer> {
      try {
        const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env: env() });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    },
    /** The CLI's database, opened for a look (the server is not running: one process at a time on PGlite). */
    async withDatabase<T>(work: (knex: Knex) => Promise<T>): Promise<T> {
      const settings = env();
      const db = await openDatabase({ databaseUrl: settings.DATABASE_URL || undefined, dataDir: settings.DATA_DIR ?? 'var' });
      try {
        return await work(db.knex);
      } finally {
        await db.close();
      }
    },
  };
}

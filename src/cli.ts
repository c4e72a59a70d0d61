// Operator command line: `npm run cli -- <command> [options]`. The command runs in this
// process on its own connection to the database; on the embedded database while a server
// holds DATA_DIR, in that server, sent through its command socket (src/cli-socket.ts).
import { loadConfig } from './config.ts';
import { DatabaseInUseError, migrateToLatest } from './db/index.ts';
import { createLogger } from './logger.ts';
import { openServices, type Services } from './server.ts';
import { parseInvocation, printHelp, readsStandardInput, reportFailure, runCommand, type CommandIo } from './cli-commands.ts';
import { runInServer } from './cli-socket.ts';

/** Where a command reads its settings and input and writes its answer: the process's own, or a test's. */
export interface CliIo extends CommandIo {
  /** The settings; the process environment when absent. */
  env?: Record<string, string | undefined>;
}

/**
 * Runs one command and answers its exit code (sysexits.h: 64 usage, 65 data, 75 try
 * again later); an error nobody foresaw is thrown, as from the process it ends with 1.
 */
export async function main(argv: string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    const invocation = parseInvocation(argv);
    if (invocation.help) return printHelp(invocation, io);
    const config = loadConfig(io.env);
    const logger = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
    let services: Services;
    try {
      services = await openServices(config, { logger, migrate: false });
    } catch (error) {
      if (error instanceof DatabaseInUseError) return await runInServer(error, argv, readsStandardInput(invocation) ? io.stdin : undefined, io);
      throw error;
    }
    try {
      if (invocation.command !== 'migrate') await migrateToLatest(services.db.knex);
      return await runCommand(services, argv, io);
    } finally {
      await services.db.close();
    }
  } catch (error) {
    return reportFailure(error, io.stderr);
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));

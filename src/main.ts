// Start-up: configuration, then the server; SIGTERM/SIGINT close it gracefully.
import { ConfigError, loadConfig } from './config.ts';
import { DatabaseInUseError } from './db/index.ts';
import { createLogger } from './logger.ts';
import { setupBanner } from './setup/index.ts';
import { startServer } from './server.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`xacthuc: invalid configuration: ${error.message}\n`);
    process.exit(78);
  }
  throw error;
}

const logger = createLogger(config);
try {
  const running = await startServer(config, { logger });
  // On a developer's terminal the link stands out; in production it is in the server's log only.
  if (running.setupLink && config.env !== 'production') process.stderr.write(setupBanner(running.setupLink));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 25_000);
      force.unref();
      running.close().then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  if (error instanceof DatabaseInUseError) {
    process.stderr.write(`xacthuc: ${error.message}\n`);
    process.exit(75);
  }
  logger.fatal({ err: error }, 'start-up failed');
  process.exit(1);
}

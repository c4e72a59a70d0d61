import { pino } from 'pino';
import type { Config } from './config.ts';

export type Logger = pino.Logger;

// Structured JSON logs. Secrets never reach a log line: request bodies are not logged,
// and these paths are redacted in case an object carrying them is logged by mistake.
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'xacthuc' },
    redact: ['password', 'code', 'token', 'secret', 'client_secret', '*.password', '*.token', 'req.headers.authorization', 'req.headers.cookie'],
  });
}

// `npm run bench -- [flags]`: what to measure and for how long.
import { parseArgs } from 'node:util';
import { MAX_ACCOUNTS } from './identities.ts';

export interface BenchOptions {
  quick: boolean;
  /** Rounds of every measurement; each figure is given as min/median/max over them. */
  runs: number;
  signInSeconds: number;
  tokenSeconds: number;
  /** Seconds of each latency measurement: at half peak, and at each scale point. */
  latencySeconds: number;
  /** Accounts in the database for the main measurements, then for the scale comparison. */
  accounts: number;
  largeAccounts: number;
  /** Virtual users for sign-in throughput, and for the token endpoints. */
  concurrency: number;
  tokenConcurrency: number;
  /** Instead of the full bench: the request-scope variants side by side (compare-scope.ts). */
  compareScope: boolean;
  cpuProfile: boolean;
  keepDatabase: boolean;
  output: string;
}

export const USAGE = `npm run bench -- [flags]

  --quick                   a smoke run: short measurements, 20,000 accounts for the scale figure
  --runs N                  rounds of every measurement (default 3)
  --duration S              seconds of each sign-in and argon2 measurement (default 10; quick 3)
  --token-duration S        seconds of each token-endpoint measurement (default 5; quick 2)
  --latency-duration S      seconds of each latency and scale measurement (default 10; quick 3)
  --accounts N              accounts for the main run and the small scale point (default 1000)
  --large-accounts N        accounts for the large scale point (default 1000000; quick 20000)
  --concurrency N           virtual users signing in (default 8)
  --token-concurrency N     virtual users calling token endpoints (default 32)
  --compare-scope           instead of the full bench: xacthuc as deployed, with DEFER_WRITES=false
                            and with READ_AHEAD=false, three servers on identically seeded databases
                            measured in turn each round (sign-in, refresh, client credentials; CPU
                            and statements per operation), each figure also as a ratio to the default
  --cpu-prof                write a CPU profile of the server into bench/results/profiles/
  --keep-database           keep the PostgreSQL database the bench created
  --output FILE             where the JSON figures go (default bench/results/latest.json)

Database: embedded PGlite in a fresh temporary directory, or with DATABASE_URL a fresh
database created (and dropped) on that PostgreSQL server.`;

export class UsageError extends Error {}

function whole(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return value;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        runs: { type: 'string' },
        duration: { type: 'string' },
        'token-duration': { type: 'string' },
        'latency-duration': { type: 'string' },
        accounts: { type: 'string' },
        'large-accounts': { type: 'string' },
        concurrency: { type: 'string' },
        'token-concurrency': { type: 'string' },
        'compare-scope': { type: 'boolean', default: false },
        'cpu-prof': { type: 'boolean', default: false },
        'keep-database': { type: 'boolean', default: false },
        output: { type: 'string', default: 'bench/results/latest.json' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) throw new UsageError('');
  const quick = values.quick;
  const accounts = whole(values.accounts, 'accounts', 1000, 100, MAX_ACCOUNTS);
  const options: BenchOptions = {
    quick,
    runs: whole(values.runs, 'runs', 3, 1, 20),
    signInSeconds: whole(values.duration, 'duration', quick ? 3 : 10, 1, 600),
    tokenSeconds: whole(values['token-duration'], 'token-duration', quick ? 2 : 5, 1, 600),
    latencySeconds: whole(values['latency-duration'], 'latency-duration', quick ? 3 : 10, 1, 600),
    accounts,
    largeAccounts: whole(values['large-accounts'], 'large-accounts', quick ? 20_000 : 1_000_000, accounts, MAX_ACCOUNTS),
    concurrency: whole(values.concurrency, 'concurrency', 8, 1, 256),
    tokenConcurrency: whole(values['token-concurrency'], 'token-concurrency', 32, 1, 256),
    compareScope: values['compare-scope'],
    cpuProfile: values['cpu-prof'],
    keepDatabase: values['keep-database'],
    output: values.output,
  };
  return options;
}

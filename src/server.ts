// Assembles a running xacthuc: database, migrations, keys, the app, the HTTP server,
// the periodic work every node does (key reload, sweep of expired rows), and on the
// embedded database the socket operator commands reach it through.
import { createServer, type Server } from 'node:http';
import { hkdfSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { realSleep, systemClock, type Clock, type Sleep } from './clock.ts';
import { migrateToLatest, openDatabase, type Database } from './db/index.ts';
import { resolveSecretKey, Sealer } from './secrets/index.ts';
import { ensureKeys, KEY_RELOAD_SECONDS, loadKeys, removeRetiredKeys, sweepExpiredModels, ClientStore } from './oidc/index.ts';
import { AccountStore, PasswordSignIn, AccountNotifier, PendingRegistrations } from './accounts/index.ts';
import { AuditLog } from './audit/index.ts';
import { createApp } from './app.ts';
import { SmsOtp, sweepOtpRecords, TotpFactors } from './otp/index.ts';
import { SignInLockout } from './passwords/index.ts';
import { TicketSigner } from './interactions/index.ts';
import { ensureConsoleClient, OperatorSessions } from './admin/index.ts';
import { Metrics } from './http/index.ts';
import { createSmsSender } from './sms/index.ts';
import { firstRunLink, SetupTokens, type SetupLink } from './setup/index.ts';
import { t } from './i18n/index.ts';
import { listenForCommands, type CommandSocket } from './cli-socket.ts';

const SWEEP_SECONDS = 10 * 60;

export interface Services {
  config: Config;
  logger: Logger;
  clock: Clock;
  sleep: Sleep;
  db: Database;
  sealer: Sealer;
  secretKey: Buffer;
  accounts: AccountStore;
  clients: ClientStore;
  audit: AuditLog;
  otp: SmsOtp;
  pending: PendingRegistrations;
  totp: TotpFactors;
  lockout: SignInLockout;
  notifier: AccountNotifier;
  operatorSessions: OperatorSessions;
}

/** Database, migrations and domain services: what the server and the CLI share. */
export async function openServices(config: Config, options: { logger?: Logger; clock?: Clock; sleep?: Sleep; migrate?: boolean } = {}): Promise<Services> {
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const secretKey = await resolveSecretKey(config, logger);
  const db = await openDatabase(config, logger);
  try {
    if (options.migrate !== false) {
      const applied = await migrateToLatest(db.knex);
      if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const sealer = new Sealer(secretKey);
  const sms = createSmsSender(config.sms);
  const subkey = (info: string) => Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), info, 32));
  return {
    config,
    logger,
    clock,
    sleep,
    db,
    sealer,
    secretKey,
    accounts: new AccountStore(db.knex, sealer),
    clients: new ClientStore(db.knex, sealer, clock),
    audit: new AuditLog(db.knex),
    otp: new SmsOtp({ knex: db.knex, sealer, sms, clock, settings: config.otp, hashKey: subkey('xacthuc/otp'), logger }),
    pending: new PendingRegistrations(db.knex, sealer, clock, config.registration),
    totp: new TotpFactors({ knex: db.knex, sealer, clock, hashKey: subkey('xacthuc/totp'), issuer: config.province.name ?? t('vi', 'layout.product_name') }),
    lockout: new SignInLockout(db.knex, clock, config.lockout),
    notifier: new AccountNotifier({ sms, logger, knex: db.knex, sealer, clock, maxLockNoticesPerPhonePerDay: config.accountNotices.maxLockNoticesPerPhonePerDay }),
    operatorSessions: new OperatorSessions({ knex: db.knex, clock, hashKey: subkey('xacthuc/operator-session'), settings: config.operatorSessions }),
  };
}

export interface RunningServer {
  url: string;
  server: Server;
  services: Services;
  /** The first-run set-up link, made at this start because no account holds an operator role yet. */
  setupLink: SetupLink | undefined;
  /** Re-reads keys from the database and rebuilds the provider if they changed. */
  reloadKeys(): Promise<boolean>;
  close(): Promise<void>;
}

export async function startServer(config: Config, options: { logger?: Logger; clock?: Clock; sleep?: Sleep } = {}): Promise<RunningServer> {
  const services = await openServices(config, options);
  const { db, sealer, clock, logger } = services;
  const subkey = (info: string) => Buffer.from(hkdfSync('sha256', services.secretKey, Buffer.alloc(0), info, 32));
  const csrfKey = subkey('xacthuc/csrf');
  const tickets = new TicketSigner(subkey('xacthuc/sign-in-ticket'));
  // Kept across provider rebuilds (key rotation), so counters never reset while running.
  const metrics = new Metrics(config.metricsAccess);
  db.knex.on('query', () => metrics.statement());
  const signIn = new PasswordSignIn(services.accounts, config.argon2, sealer);
  const setupTokens = new SetupTokens(db.knex, clock, subkey('xacthuc/setup-token'));

  await ensureKeys(db.knex, sealer, clock);
  await ensureConsoleClient(services.clients, config.issuer);
  let keys = await loadKeys(db.knex, sealer, clock);
  const build = () => createApp({ ...services, knex: db.knex, csrfKey, keys, signIn, tickets, metrics, setupTokens }).callback();
  let handler = build();

  const setupLink = await firstRunLink({ issuer: config.issuer, accounts: services.accounts, audit: services.audit, setupTokens });

  const server = createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 65_000;

  async function reloadKeys(): Promise<boolean> {
    const next = await loadKeys(db.knex, sealer, clock);
    if (next.fingerprint === keys.fingerprint) return false;
    keys = next;
    handler = build();
    logger.info('signing keys changed: provider reloaded');
    return true;
  }

  const timers = [
    setInterval(() => {
      reloadKeys().catch((error) => logger.error({ err: error }, 'key reload failed'));
    }, KEY_RELOAD_SECONDS * 1000),
    setInterval(() => {
      Promise.all([sweepExpiredModels(db.knex), removeRetiredKeys(db.knex, clock), sweepOtpRecords(db.knex, clock), services.pending.sweep(), services.lockout.sweep(), services.operatorSessions.sweep(), setupTokens.sweep()])
        .then(([models, retiredKeys, otpRecords, pendingRegistrations, throttles, operatorSessions, setupLinks]) => logger.info({ models, retiredKeys, otpRecords, pendingRegistrations, throttles, operatorSessions, setupLinks }, 'expired rows swept'))
        .catch((error) => logger.error({ err: error }, 'sweep failed'));
    }, SWEEP_SECONDS * 1000),
  ];
  for (const timer of timers) timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  logger.info({ address, port, issuer: config.issuer, database: db.engine }, 'xacthuc listening');
  // The one line that holds the link (request logs leave its path out: http/logged-path.ts); in
  // production the only place it is written (main.ts also prints it on a development terminal).
  // A warning: a service without an administrator is worth seeing at any level but error.
  if (setupLink) logger.warn({ setupLink: setupLink.url, expiresAt: setupLink.expiresAt.toISOString() }, 'no administrator yet: open the set-up link to create the first one (single use)');

  // Only this process may open the embedded database: `npm run cli` sends its commands here.
  // Without the socket the provider still serves; the CLI then says it cannot reach it.
  let commands: CommandSocket | undefined;
  if (db.engine === 'pglite') {
    commands = await listenForCommands(services).catch((error: unknown) => {
      logger.error({ err: error }, 'operator command socket not opened: commands cannot run while the server runs');
      return undefined;
    });
  }

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    closing ??= (async () => {
      for (const timer of timers) clearInterval(timer);
      // Stop accepting; let in-flight requests and operator commands finish, and the SMS sent
      // after their answer (reset codes, account notices); then release the database.
      await Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
        commands?.close(),
      ]);
      await Promise.all([services.otp.settled(), services.notifier.settled()]);
      await db.close();
    })();
    return closing;
  }

  return { url: `http://localhost:${port}`, server, services, setupLink, reloadKeys, close };
}

// The one place that reads process.env. Every setting is validated once at start-up;
// a bad value stops the process with a one-line message naming the variable.
import { isIP } from 'node:net';
import type { OtpSettings } from './otp/index.ts';
import { parseSmsConfig, type SmsConfig } from './sms/index.ts';
import { parsePasswordPolicy, type Argon2Parameters, type PasswordPolicy, type LockoutSettings } from './passwords/index.ts';
import { parseProvince, type MetricsAccess, type Province } from './http/index.ts';
import type { RequestScopeSettings } from './db/index.ts';
import { ConfigError, flag, integer, text, type Env } from './config-parsers.ts';

export type { Argon2Parameters } from './passwords/index.ts';

export type Environment = 'development' | 'production' | 'test';

export interface Config {
  env: Environment;
  /** The address to listen on; undefined means every interface. */
  host: string | undefined;
  port: number;
  issuer: string;
  /** PostgreSQL connection string; undefined means the embedded PGlite database. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** 32-byte key; undefined in development means "generate one into DATA_DIR". */
  secretKey: Buffer | undefined;
  logLevel: string;
  /** Trust X-Forwarded-* headers from a TLS-terminating load balancer. */
  trustProxy: boolean;
  /** Deferred writes and rows read ahead (db/request-scope.ts): both on; off only to measure what each pays. */
  requestScope: RequestScopeSettings;
  /** Who may read /metrics: METRICS_TOKEN holders; without it, anyone but in production. */
  metricsAccess: MetricsAccess;
  argon2: Argon2Parameters;
  passwordPolicy: PasswordPolicy;
  lockout: LockoutSettings;
  /**
   * Host names the provider may call although they resolve to private or loopback
   * addresses (relying parties on the province's internal network): oidc-provider refuses
   * such addresses otherwise, against server-side request forgery.
   */
  outboundPrivateHosts: string[];
  otp: OtpSettings;
  /** Registrations (valid forms) per IP address per hour, before any hashing or row. */
  registration: { maxPerIpPerHour: number };
  /** "Account locked" SMS per phone per day: a lock is always made, its notice is bounded. */
  accountNotices: { maxLockNoticesPerPhonePerDay: number };
  /** The operator console's sessions: shorter than a citizen's, and ended when idle. */
  operatorSessions: { maxSeconds: number; idleSeconds: number };
  sms: SmsConfig;
  /** Name, colour, logo and help contact shown on every page (SPEC §6). */
  province: Province;
  /**
   * In production, where besides this machine (loopback) the first-run set-up link may be
   * opened from (SETUP_ALLOWED_ADDRESSES): the link is printed to the server's log only.
   */
  setupAllowedAddresses: AddressRange[];
}

/** An IP address, or a network in CIDR notation (`10.0.8.0/24`, `fd00::/8`). */
export interface AddressRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export { ConfigError } from './config-parsers.ts';

function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

function parseHost(env: Env): string | undefined {
  const raw = env.HOST;
  if (raw === undefined || raw === '') return undefined;
  if (isIP(raw) === 0 && !/^[a-zA-Z0-9.-]{1,253}$/.test(raw)) throw new ConfigError('HOST', `"${raw}" is not an IP address or host name`);
  return raw;
}

function parseIssuer(env: Env, production: boolean): string {
  const raw = text(env, 'ISSUER', `http://localhost:${text(env, 'PORT', '3000')}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('ISSUER', `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('ISSUER', 'must be an http(s) URL');
  if (url.search || url.hash || raw.endsWith('?') || raw.endsWith('#')) {
    throw new ConfigError('ISSUER', 'must not have a query or fragment');
  }
  // OpenID Connect Core §3.1.2.1: TLS is required outside development on localhost.
  if (production && url.protocol === 'http:' && !isLocalHost(url.hostname)) {
    throw new ConfigError('ISSUER', 'must use https in production');
  }
  return raw.endsWith('/') ? raw.slice(0, -1) : raw;
}

function parseDatabaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  return raw;
}

function parseSecretKey(env: Env, production: boolean): Buffer | undefined {
  const raw = env.SECRET_KEY;
  if (raw === undefined || raw === '') {
    if (production) throw new ConfigError('SECRET_KEY', 'is required in production (64 hex characters: openssl rand -hex 32)');
    return undefined;
  }
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) throw new ConfigError('SECRET_KEY', 'must be 64 hex characters (32 bytes)');
  return Buffer.from(raw, 'hex');
}

function parseMetricsAccess(env: Env, production: boolean): MetricsAccess {
  const token = env.METRICS_TOKEN;
  if (token === undefined || token === '') return production ? 'closed' : 'open';
  if (!/^[A-Za-z0-9._~+/=-]{32,256}$/.test(token)) throw new ConfigError('METRICS_TOKEN', 'must be 32 to 256 letters, digits or ._~+/=- (openssl rand -hex 32)');
  return { token };
}

function parseSms(env: Env, dataDir: string, production: boolean): SmsConfig {
  const sms = parseSmsConfig(env, dataDir);
  // A console outbox in production would leave every citizen waiting for a code that never comes.
  if (production && sms.provider === 'console') throw new ConfigError('SMS_PROVIDER', 'must be twilio or http in production');
  return sms;
}

function parseHostList(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const hosts = raw.split(',').map((host) => host.trim().toLowerCase());
  for (const host of hosts) {
    if (!/^[a-z0-9.-]{1,253}$|^\[[0-9a-f:]+\]$/.test(host)) throw new ConfigError(name, `"${host}" is not a host name`);
  }
  return hosts;
}

function parseAddressRanges(env: Env, name: string): AddressRange[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const [address, prefixText, extra] = entry.trim().split('/');
    const version = isIP(address ?? '');
    if (version === 0 || extra !== undefined) throw new ConfigError(name, `"${entry.trim()}" is not an IP address or network (10.0.8.0/24)`);
    const bits = version === 4 ? 32 : 128;
    if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) throw new ConfigError(name, `"${entry.trim()}" has no valid prefix length`);
    const prefix = prefixText === undefined ? bits : Number(prefixText);
    if (prefix > bits) throw new ConfigError(name, `"${entry.trim()}": the prefix length is at most ${bits}`);
    return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
  });
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = text(env, 'NODE_ENV', 'development');
  if (nodeEnv !== 'development' && nodeEnv !== 'production' && nodeEnv !== 'test') {
    throw new ConfigError('NODE_ENV', 'must be development, production or test');
  }
  const production = nodeEnv === 'production';
  const dataDir = text(env, 'DATA_DIR', 'var');
  const logLevel = text(env, 'LOG_LEVEL', nodeEnv === 'test' ? 'silent' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', 'must be one of fatal, error, warn, info, debug, trace, silent');
  }
  return {
    env: nodeEnv,
    host: parseHost(env),
    port: integer(env, 'PORT', 3000, 0, 65535),
    issuer: parseIssuer(env, production),
    databaseUrl: parseDatabaseUrl(env),
    dataDir,
    secretKey: parseSecretKey(env, production),
    logLevel,
    trustProxy: flag(env, 'TRUST_PROXY', false),
    requestScope: { deferWrites: flag(env, 'DEFER_WRITES', true), readAhead: flag(env, 'READ_AHEAD', true) },
    metricsAccess: parseMetricsAccess(env, production),
    // OWASP Password Storage Cheat Sheet minimum for argon2id: m=19 MiB, t=2, p=1.
    argon2: {
      memoryCost: integer(env, 'ARGON2_MEMORY_KIB', 19456, 8192, 4194304),
      timeCost: integer(env, 'ARGON2_TIME_COST', 2, 1, 20),
      parallelism: integer(env, 'ARGON2_PARALLELISM', 1, 1, 16),
    },
    passwordPolicy: parsePasswordPolicy(env),
    // Brute-force protection (SPEC R6): 5 failures lock an account for 15 minutes.
    lockout: {
      accountMaxFailures: integer(env, 'LOCKOUT_MAX_FAILURES', 5, 1, 100),
      accountLockSeconds: integer(env, 'LOCKOUT_MINUTES', 15, 1, 1440) * 60,
      windowSeconds: integer(env, 'LOCKOUT_WINDOW_MINUTES', 15, 1, 1440) * 60,
      identifierIpMaxFailures: integer(env, 'LOCKOUT_MAX_FAILURES_PER_IDENTIFIER_IP', 10, 1, 1000),
      ipMaxFailures: integer(env, 'LOCKOUT_MAX_FAILURES_PER_IP', 100, 1, 100000),
      ipLockSeconds: integer(env, 'LOCKOUT_IP_MINUTES', 15, 1, 1440) * 60,
    },
    outboundPrivateHosts: parseHostList(env, 'OUTBOUND_PRIVATE_HOSTS'),
    // SMS OTP limits (issue "registration verified by SMS OTP"): all configurable.
    otp: {
      ttlSeconds: integer(env, 'OTP_TTL_SECONDS', 300, 60, 3600),
      maxAttempts: integer(env, 'OTP_MAX_ATTEMPTS', 5, 1, 20),
      resendAfterSeconds: integer(env, 'OTP_RESEND_SECONDS', 60, 0, 3600),
      maxPerPhonePerHour: integer(env, 'OTP_MAX_PER_PHONE_PER_HOUR', 5, 1, 1000),
      maxPerPhoneAllAddressesPerHour: integer(env, 'OTP_MAX_PER_PHONE_ALL_ADDRESSES_PER_HOUR', 10, 1, 10000),
      maxPerIpPerHour: integer(env, 'OTP_MAX_PER_IP_PER_HOUR', 20, 1, 100000),
    },
    // Unlimited, 200 registrations from one address would make 200 pending rows and argon2 hashes.
    registration: { maxPerIpPerHour: integer(env, 'REGISTRATION_MAX_PER_IP_PER_HOUR', 10, 1, 100000) },
    // Unlimited, a stranger's wrong passwords could send a victim ~96 lock notices a day.
    accountNotices: { maxLockNoticesPerPhonePerDay: integer(env, 'SMS_MAX_LOCK_NOTICES_PER_PHONE_PER_DAY', 3, 1, 100) },
    // An operator can change every account: a working day at most, 15 minutes left alone.
    operatorSessions: {
      maxSeconds: integer(env, 'OPERATOR_SESSION_MINUTES', 480, 5, 1440) * 60,
      idleSeconds: integer(env, 'OPERATOR_IDLE_MINUTES', 15, 1, 240) * 60,
    },
    sms: parseSms(env, dataDir, production),
    province: parseProvince(env),
    setupAllowedAddresses: parseAddressRanges(env, 'SETUP_ALLOWED_ADDRESSES'),
  };
}

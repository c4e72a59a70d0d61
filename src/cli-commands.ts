// The operator commands (`npm run cli -- <command> [options]`), run on open services: by the
// CLI's own process (src/cli.ts), or by the running server for a CLI that reached it through
// its command socket (src/cli-socket.ts). Either way the same code, output and exit codes.
import { parseArgs } from 'node:util';
import { ConfigError } from './config.ts';
import { DatabaseInUseError, migrateToLatest } from './db/index.ts';
import type { Services } from './server.ts';
import { ensureKeys, KEY_RELOAD_SECONDS, rotateKeys, type ClientAuthMethod, type ClientMetadataField, TTL } from './oidc/index.ts';
import { InvalidClientError, registerClient, createCitizenAccount, createOrganizationAccount, AccountInputError, grantAdminFunctions, ServiceClientError } from './admin/index.ts';
import { accountThrottleKeys, AgencyStore, DuplicateAccountError, InvalidAgencyNameError, identifierCandidates, isOperator, maskNationalId, maskPhone, maskTaxCode } from './accounts/index.ts';
import { hasMessage, t } from './i18n/index.ts';

export class UsageError extends Error {}

export const COMMANDS = ['migrate', 'agency:create', 'client:create', 'client:grant-admin', 'account:create', 'admin:create', 'account:unlock', 'account:require-password-change', 'keys:rotate'];

const HELP = `xacthuc operator commands (npm run cli -- <command> [options])

  migrate                       apply database migrations
  agency:create --name <text>   add an agency that operates apps (shown to citizens on the consent page)
  client:create                 register a relying party; prints it as JSON (RFC 7591), secret shown once
      --name <text>             application name shown to people (required; at most 100 characters,
                                no control or invisible characters)
      --redirect-uri <url>      repeatable; required for the authorization_code grant; https, plain http
                                only on localhost, 127.0.0.1 or [::1], a native app's own reversed-domain
                                scheme (vn.gov.hue.hues:/cb); no wildcard, user name, password or fragment
      --post-logout-redirect-uri <url>   repeatable
      --grant-type <type>       repeatable: authorization_code, refresh_token, client_credentials
                                (default: authorization_code and refresh_token)
      --auth-method <method>    client_secret_basic (default), client_secret_post, private_key_jwt, none
      --jwks-uri <url>          for private_key_jwt; https (plain http only on a loopback host)
      --backchannel-logout-uri <url>   https (plain http only on a loopback host)
      --scope <scopes>          space-separated scopes the client may request (default: openid profile,
                                and offline_access with the refresh_token grant); national_id,
                                organization, phone, email and address only when named here
      --application-type <web|native>
      --purpose <text>          why the app processes personal data, shown to citizens on the consent
                                page (required with the authorization_code grant; 1-500 characters)
      --agency <name>           the agency that operates the app, as added by agency:create
      --subject-type <pairwise|public>   pairwise (default): each app sees its own sub for a person;
                                public needs --public-subject-reason
      --public-subject-reason <text>     why this app must see the same sub as every other app
      --sector-identifier-uri <url>      for pairwise with redirect URIs on several hosts: an https
                                URL answering a JSON array of all of them (OpenID Connect Core §8.1)
  client:grant-admin --client-id <id> --function <function>
                                give a service client (client_credentials grant only, with a secret or
                                private_key_jwt) exactly these admin API functions; repeatable:
                                accounts.read, accounts.manage, accounts.reveal, accounts.delete,
                                clients.read, clients.review, clients.manage, operators.manage,
                                audit.read, dashboard.read (none: takes them all away)
  account:create                create an active account (civil servants, tests)
      --type citizen  --national-id <12 digits> --full-name <name> --birthdate <YYYY-MM-DD>
                      --gender <male|female> --phone <phone> --password <password or - for stdin> [--username] [--email]
      --type organization --tax-code <code> --org-name <name> --phone <phone> --password <password>
                      [--username] [--email]
  admin:create                  create a super-administrator (a citizen account with the super_admin role, same options
                                as account:create --type citizen); administrators must enrol a second factor
                                at their first sign-in
  account:unlock --identifier <personal number, tax code, username or phone>
                                lift a lock left by wrong passwords
  account:require-password-change --identifier <…>
                                the person must choose a new password at the next sign-in
  keys:rotate                   introduce new signing and cookie keys; the old ones are retired
                                once what they signed has expired
  --help                        this text

While the server runs on the embedded database, it runs the command, sent through its socket
DATA_DIR/cli.sock (run the command as the user running the server); on PostgreSQL the command
opens its own connection.
`;

const options = {
  help: { type: 'boolean' },
  name: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  'grant-type': { type: 'string', multiple: true },
  'auth-method': { type: 'string' },
  'jwks-uri': { type: 'string' },
  'backchannel-logout-uri': { type: 'string' },
  scope: { type: 'string' },
  'application-type': { type: 'string' },
  purpose: { type: 'string' },
  agency: { type: 'string' },
  'subject-type': { type: 'string' },
  'public-subject-reason': { type: 'string' },
  'sector-identifier-uri': { type: 'string' },
  'client-id': { type: 'string' },
  function: { type: 'string', multiple: true },
  type: { type: 'string' },
  'national-id': { type: 'string' },
  'full-name': { type: 'string' },
  birthdate: { type: 'string' },
  gender: { type: 'string' },
  phone: { type: 'string' },
  password: { type: 'string' },
  username: { type: 'string' },
  email: { type: 'string' },
  'tax-code': { type: 'string' },
  'org-name': { type: 'string' },
  identifier: { type: 'string' },
} as const;

/**
 * One line naming the option, in the words registration shows for the same rule (Vietnamese,
 * the default language): every broken password rule, and the values a choice accepts.
 */
function accountInputLine(error: AccountInputError): string {
  const { code, params, list } = error.error;
  const say = (key: string) => (hasMessage(key) ? t('vi', key, key === code ? params : undefined) : key);
  const words = [say(code), ...(list ?? []).map(say)];
  if (error.accepted !== undefined) words.push(`(${error.accepted.join(', ')})`);
  return `--${error.option}: ${words.join(' ')}`;
}

/** The option an operator typed for each client metadata field, to name it in an error. */
const CLIENT_OPTIONS: Record<ClientMetadataField, string> = {
  client_name: '--name',
  redirect_uris: '--redirect-uri',
  post_logout_redirect_uris: '--post-logout-redirect-uri',
  jwks_uri: '--jwks-uri',
  backchannel_logout_uri: '--backchannel-logout-uri',
  scope: '--scope',
  subject_type: '--subject-type',
  sector_identifier_uri: '--sector-identifier-uri',
  purpose: '--purpose',
  agency: '--agency',
  public_subject_reason: '--public-subject-reason',
};

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function required(values: Values, name: keyof Values): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

async function clientCreate(services: Services, values: Values) {
  const authMethod = (values['auth-method'] ?? 'client_secret_basic') as ClientAuthMethod;
  if (!['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'].includes(authMethod)) {
    throw new UsageError('--auth-method must be client_secret_basic, client_secret_post, private_key_jwt or none');
  }
  const applicationType = values['application-type'];
  if (applicationType !== undefined && applicationType !== 'web' && applicationType !== 'native') {
    throw new UsageError('--application-type must be web or native');
  }
  const subjectType = values['subject-type'];
  if (subjectType !== undefined && subjectType !== 'pairwise' && subjectType !== 'public') {
    throw new UsageError('--subject-type must be pairwise or public');
  }
  return registerClient(services, {
    name: required(values, 'name'),
    redirectUris: values['redirect-uri'] ?? [],
    postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
    grantTypes: values['grant-type'] ?? [],
    authMethod,
    jwksUri: values['jwks-uri'],
    backchannelLogoutUri: values['backchannel-logout-uri'],
    scope: values.scope,
    applicationType,
    purpose: values.purpose,
    agency: values.agency,
    subjectType,
    publicSubjectReason: values['public-subject-reason'],
    sectorIdentifierUri: values['sector-identifier-uri'],
  }, 'cli');
}

async function agencyCreate(services: Services, values: Values) {
  return new AgencyStore(services.db.knex).add(required(values, 'name'));
}

/**
 * `--password -` reads the password from standard input, so it stays out of the process
 * list and the shell history (`printf '%s' "$PW" | npm run cli -- account:create … --password -`).
 */
async function passwordOption(values: Values, stdin: CommandIo['stdin']): Promise<string> {
  const given = required(values, 'password');
  if (given !== '-') return given;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) throw new UsageError('--password -: nothing was read from standard input');
  return password;
}

async function accountCreate(services: Services, values: Values, stdin: CommandIo['stdin'], roles: string[] = []) {
  const type = isOperator(roles) ? 'citizen' : required(values, 'type');
  const common = { phone: required(values, 'phone'), password: await passwordOption(values, stdin), username: values.username, email: values.email };
  const account =
    type === 'citizen'
      ? await createCitizenAccount(services, {
          ...common,
          nationalId: required(values, 'national-id'),
          fullName: required(values, 'full-name'),
          birthdate: required(values, 'birthdate'),
          gender: required(values, 'gender'),
          roles,
        })
      : type === 'organization'
        ? await createOrganizationAccount(services, { ...common, taxCode: required(values, 'tax-code'), orgName: required(values, 'org-name') })
        : undefined;
  if (!account) throw new UsageError('--type must be citizen or organization');
  await services.audit.record({ type: 'account.created', accountId: account.id, details: { via: 'cli', type: account.type, roles: roles.join(' ') } });
  return {
    id: account.id,
    roles: account.roles,
    type: account.type,
    status: account.status,
    username: account.username,
    full_name: account.fullName,
    national_id: account.nationalId ? maskNationalId(account.nationalId) : undefined,
    tax_code: account.taxCode ? maskTaxCode(account.taxCode) : undefined,
    phone: account.phone ? maskPhone(account.phone) : undefined,
  };
}

/** The one active account an operator names by personal number, tax code, username or phone. */
async function namedAccount(services: Services, values: Values) {
  const identifier = required(values, 'identifier');
  const matches = await services.accounts.findActiveByIdentifier(identifierCandidates(identifier.normalize('NFC').trim()));
  if (matches.length !== 1) throw new UsageError(matches.length ? 'the identifier names several accounts: use the personal number or tax code' : 'no active account has this identifier');
  return matches[0];
}

async function accountUnlock(services: Services, values: Values) {
  const account = await namedAccount(services, values);
  const unlocked = await services.lockout.unlock(account.id, accountThrottleKeys(services.sealer, account));
  await services.audit.record({ type: 'account.unlocked', accountId: account.id, details: { via: 'cli' } });
  return { id: account.id, unlocked };
}

async function accountRequirePasswordChange(services: Services, values: Values) {
  const account = await namedAccount(services, values);
  await services.accounts.requirePasswordChange(account.id);
  await services.audit.record({ type: 'password.change_required', accountId: account.id, details: { via: 'cli' } });
  return { id: account.id, password_change_required: true };
}

async function clientGrantAdmin(services: Services, values: Values) {
  const clientId = required(values, 'client-id');
  try {
    const functions = await grantAdminFunctions(services, clientId, values.function ?? [], { operator: null, via: 'cli' });
    return { client_id: clientId, functions, scope: functions.map((permission) => `admin:${permission}`).join(' ') };
  } catch (error) {
    if (error instanceof ServiceClientError) throw new UsageError(`--client-id ${clientId}: ${error.message}`);
    throw error;
  }
}

async function keysRotate(services: Services) {
  await ensureKeys(services.db.knex, services.sealer, services.clock);
  const result = await rotateKeys(services.db.knex, services.sealer, services.clock, {
    activationDelaySeconds: 2 * KEY_RELOAD_SECONDS + 30,
    signingOverlapSeconds: TTL.idToken + 15 * 60,
    cookieOverlapSeconds: TTL.session,
  }, (trx, rotation) => services.audit.recordIn(trx, { type: 'keys.rotated', details: { introduced: rotation.introduced.join(' '), removed: rotation.removed.join(' ') } }));
  return {
    introduced: result.introduced,
    signs_from: result.signsFrom.toISOString(),
    previous_keys_retire_at: result.previousRetiresAt.toISOString(),
    removed: result.removed,
  };
}

/** Where a command reads its input and writes its answer. */
export interface CommandIo {
  stdin: AsyncIterable<Buffer>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export type Invocation = { help: true; code: number } | { help: false; command: string; values: Values };

/** What argv asks for; a usage error is thrown. */
export function parseInvocation(argv: string[]): Invocation {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const command = positionals[0];
  if (values.help || !command) return { help: true, code: command || values.help ? 0 : 64 };
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command "${command}" (see --help)`);
  return { help: false, command, values };
}

/** Whether the command reads standard input: only a password given as `--password -`. */
export function readsStandardInput(invocation: Invocation): boolean {
  return !invocation.help && invocation.values.password === '-';
}

/** Prints the help text; answers the exit code. */
export function printHelp(invocation: Invocation & { help: true }, io: CommandIo): number {
  io.stdout.write(HELP);
  return invocation.code;
}

/**
 * Runs one command on `services`, whose database is migrated (`migrate` excepted: it
 * migrates), and answers its exit code (sysexits.h: 64 usage, 65 data); an error nobody
 * foresaw is thrown.
 */
export async function runCommand(services: Services, argv: string[], io: CommandIo): Promise<number> {
  try {
    const invocation = parseInvocation(argv);
    if (invocation.help) return printHelp(invocation, io);
    const { command, values } = invocation;
    let output: unknown;
    if (command === 'migrate') output = { applied: await migrateToLatest(services.db.knex) };
    else if (command === 'client:create') output = await clientCreate(services, values);
    else if (command === 'agency:create') output = await agencyCreate(services, values);
    else if (command === 'client:grant-admin') output = await clientGrantAdmin(services, values);
    else if (command === 'account:create') output = await accountCreate(services, values, io.stdin);
    else if (command === 'admin:create') output = await accountCreate(services, values, io.stdin, ['super_admin']);
    else if (command === 'account:unlock') output = await accountUnlock(services, values);
    else if (command === 'account:require-password-change') output = await accountRequirePasswordChange(services, values);
    else output = await keysRotate(services);
    io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  } catch (error) {
    return reportFailure(error, io.stderr);
  }
}

/**
 * Writes the one line that explains a refusal and answers its exit code (sysexits.h: 64
 * usage, 65 data, 75 try again later); an error nobody foresaw is thrown again.
 */
export function reportFailure(error: unknown, stderr: CommandIo['stderr']): number {
  if (error instanceof InvalidClientError && error.field !== undefined) {
    stderr.write(`xacthuc: ${CLIENT_OPTIONS[error.field]} ${error.detail}\n`);
    return 64;
  }
  if (error instanceof InvalidAgencyNameError) {
    stderr.write(`xacthuc: --name ${error.message}\n`);
    return error.duplicate ? 65 : 64;
  }
  if (error instanceof AccountInputError) {
    stderr.write(`xacthuc: ${accountInputLine(error)}\n`);
    return 64;
  }
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof DatabaseInUseError || error instanceof InvalidClientError) {
    stderr.write(`xacthuc: ${error.message}\n`);
    return error instanceof DatabaseInUseError ? 75 : 64;
  }
  if (error instanceof DuplicateAccountError) {
    stderr.write(`xacthuc: an account with this ${error.field.replace('_', ' ')} already exists\n`);
    return 65;
  }
  if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    stderr.write(`xacthuc: ${(error as Error).message} (see --help)\n`);
    return 64;
  }
  throw error;
}

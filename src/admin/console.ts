// The operator console (SPEC R10; Hue-S Art. 13, 15): a relying party of xacthuc itself. An
// operator signs in through the provider like anyone (authorization code with PKCE), always with
// a password and a second factor and always afresh (prompt=login), and gets a console session of
// its own: shorter than a citizen's, ended when idle (operator-sessions.ts). Dangerous actions
// ask for a sign-in again when the last one is older than REAUTH_SECONDS.
//
// The code is exchanged inside the process, through the provider's own AuthorizationCode model
// (found, checked against the client, redirect URI and PKCE verifier, consumed atomically like
// the token endpoint does), not over HTTP to ISSUER: a node need not reach the load balancer's
// public address, and no token is minted that nobody would use.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { ClientMetadata, Provider } from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Clock } from '../clock.ts';
import { type AccountStore, isOperator, operatorRoles } from '../accounts/index.ts';
import type { AuditEvent, AuditLog } from '../audit/index.ts';
import type { Knex } from '../db/index.ts';
import { type Csrf, formErrors, readForm, requestFacts, showError } from '../http/index.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { ACR, type ClientStore } from '../oidc/index.ts';
import { consoleHomePage, consoleLayout, consoleReauthPage, localeOf, noticePage, pageShell, type ConsoleFrame, type ConsoleNavItem, type SafeHtml } from '../../views/index.ts';
import { allows, type Operator, type Permission } from './permissions.ts';
import type { OperatorSessions } from './operator-sessions.ts';
import type { AccountAdminDeps } from './account-admin.ts';

export const CONSOLE_CLIENT_ID = 'xacthuc-console';
export const CONSOLE_PATH = '/admin';
const SESSION_COOKIE = 'xt_console';
const LOGIN_COOKIE = 'xt_console_login';
const LOGIN_SECONDS = 10 * 60;
/** How recent a sign-in a dangerous action needs (deleting an account, rotating a secret). */
export const REAUTH_SECONDS = 5 * 60;

/** The console as a client of the provider: public, PKCE, code flow, its pages on ISSUER. */
export function consoleClientMetadata(issuer: string): ClientMetadata & { client_id: string } {
  return {
    client_id: CONSOLE_CLIENT_ID,
    client_name: t('vi', 'console.title'),
    application_type: 'web',
    redirect_uris: [`${issuer}${CONSOLE_PATH}/callback`],
    post_logout_redirect_uris: [`${issuer}${CONSOLE_PATH}/signed-out`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: 'openid',
  };
}

/** Registers (or brings up to date) the console's client; every node does it at start. */
export async function ensureConsoleClient(clients: ClientStore, issuer: string): Promise<void> {
  await clients.putFirstParty(consoleClientMetadata(issuer));
}

export interface ConsoleDeps extends AccountAdminDeps {
  config: Config;
  provider: Provider;
  knex: Knex;
  accounts: AccountStore;
  audit: AuditLog;
  csrf: Csrf;
  clock: Clock;
  operatorSessions: OperatorSessions;
}

/** The operator signed in to the console, as every console page sees them. */
export interface ConsoleOperator extends Operator {
  accountId: string;
  name: string;
  authenticatedAt: Date;
}

/** The sections of the console, each shown to the operators whose roles open it. */
const SECTIONS: readonly (ConsoleNavItem & { permission?: Permission })[] = [
  { href: CONSOLE_PATH, label: 'console.nav.home' },
  { href: `${CONSOLE_PATH}/dashboard`, label: 'console.nav.dashboard', about: 'console.area.dashboard', permission: 'dashboard.read' },
  { href: `${CONSOLE_PATH}/accounts`, label: 'console.nav.accounts', about: 'console.area.accounts', permission: 'accounts.read' },
  { href: `${CONSOLE_PATH}/clients`, label: 'console.nav.clients', about: 'console.area.clients', permission: 'clients.read' },
  { href: `${CONSOLE_PATH}/audit`, label: 'console.nav.audit', about: 'console.area.audit', permission: 'audit.read' },
  { href: `${CONSOLE_PATH}/operators`, label: 'console_operators.nav', about: 'console_operators.area', permission: 'operators.manage' },
];

/** What every console page shares: who is signed in, the frame, the checks, the audit. */
export interface ConsoleKit {
  deps: ConsoleDeps;
  operator(ctx: Context): ConsoleOperator;
  /** The page frame with `current` (a section's href) marked. */
  frame(ctx: Context, current: string): ConsoleFrame;
  shell(ctx: Context, title: MessageKey): ReturnType<typeof pageShell>;
  /** Renders `body` in the console's frame. */
  render(ctx: Context, status: number, title: MessageKey, current: string, body: SafeHtml): void;
  /** Whether the operator may; when not, the answer is already a 403 page. */
  permits(ctx: Context, permission: Permission, target?: { agencyId: string | null }): boolean;
  /**
   * Whether the operator proved who they are in the last REAUTH_SECONDS; when not, the answer is
   * already a page whose button signs in again and comes back to `returnTo` (a GET of the console).
   */
  recentlySignedIn(ctx: Context, returnTo: string): boolean;
  /** The operator's action on `target`, for the audit log; in `trx` when the action is a transaction. */
  record(ctx: Context, action: string, target: { accountId?: string | null; clientId?: string | null }, details?: AuditEvent['details'], trx?: Knex.Transaction): Promise<void>;
}

/** A path of the console to return to after a sign-in: nothing else, never another host. */
function consolePath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return CONSOLE_PATH;
  if (!/^\/admin(?:[/?]|$)/.test(value) || /[\\\u0000-\u001f]/.test(value) || value.startsWith('//')) return CONSOLE_PATH;
  return value;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

interface LoginState {
  state: string;
  verifier: string;
  returnTo: string;
  reauth: boolean;
}

function readLoginState(raw: string | undefined): LoginState | undefined {
  if (!raw || raw.length > 4096) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<LoginState>;
    if (typeof value.state !== 'string' || typeof value.verifier !== 'string' || typeof value.returnTo !== 'string') return undefined;
    return { state: value.state, verifier: value.verifier, returnTo: consolePath(value.returnTo), reauth: value.reauth === true };
  } catch {
    return undefined;
  }
}

export function consoleKit(deps: ConsoleDeps): ConsoleKit {
  const { config, audit } = deps;
  const kit: ConsoleKit = {
    deps,
    operator: (ctx) => ctx.state.operator as ConsoleOperator,
    frame(ctx, current) {
      const operator = kit.operator(ctx);
      return {
        operatorName: operator.name,
        nav: SECTIONS.filter((section) => !section.permission || allows(operator, section.permission)),
        current,
        csrfToken: deps.csrf.issue(ctx, 'console:sign-out'),
      };
    },
    shell: (ctx, title) => pageShell(ctx, config, title),
    render(ctx, status, title, current, body) {
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = consoleLayout(kit.shell(ctx, title), kit.frame(ctx, current), body);
    },
    permits(ctx, permission, target) {
      if (allows(kit.operator(ctx), permission, target)) return true;
      showError(ctx, config, 403, 'console.forbidden');
      return false;
    },
    recentlySignedIn(ctx, returnTo) {
      const operator = kit.operator(ctx);
      if (deps.clock.now().getTime() - operator.authenticatedAt.getTime() <= REAUTH_SECONDS * 1000) return true;
      const shell = kit.shell(ctx, 'console.reauth_heading');
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = consoleReauthPage(shell, kit.frame(ctx, ''), {
        minutes: REAUTH_SECONDS / 60,
        href: `${CONSOLE_PATH}/login?${new URLSearchParams({ return: consolePath(returnTo), reauth: '1' })}`,
      });
      return false;
    },
    async record(ctx, action, target, details = {}, trx) {
      const operator = kit.operator(ctx);
      const event: AuditEvent = {
        type: `admin.${action}`,
        accountId: target.accountId ?? null,
        clientId: target.clientId ?? null,
        ...requestFacts(ctx),
        details: { ...details, operator: operator.accountId },
      };
      await (trx ? audit.recordIn(trx, event) : audit.record(event));
    },
  };
  return kit;
}

/**
 * The console's routes: sign-in and sign-out, the session every other page needs, and the
 * overview. `areas` add the sections' own routes to the signed-in router.
 */
export function consoleRoutes(deps: ConsoleDeps, areas: readonly ((router: Router, kit: ConsoleKit) => void)[] = []): Router {
  const { config, provider, accounts, audit, csrf, clock, operatorSessions } = deps;
  const kit = consoleKit(deps);
  const router = new Router();
  router.use(CONSOLE_PATH, formErrors(config));

  const redirectUri = `${config.issuer}${CONSOLE_PATH}/callback`;
  const cookieOptions = (ctx: Context) => ({ httpOnly: true, secure: ctx.secure, path: CONSOLE_PATH, overwrite: true });
  const notice = (ctx: Context, status: number, title: MessageKey, message: MessageKey, link?: { href: string; label: string }) => {
    const shell = pageShell(ctx, config, title);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = noticePage(shell, { title: t(shell.locale, title), message: t(shell.locale, message), link });
  };
  const signInLink = (ctx: Context, returnTo = CONSOLE_PATH) => ({
    href: `${CONSOLE_PATH}/login?${new URLSearchParams({ return: returnTo })}`,
    label: t(pageShell(ctx, config, 'console.title').locale, 'console.sign_in'),
  });

  // Starts a sign-in at the provider: always with the password and a second factor (acr loa:2),
  // never from an earlier session (prompt=login).
  router.get(`${CONSOLE_PATH}/login`, async (ctx) => {
    const login: LoginState = {
      state: randomBytes(16).toString('base64url'),
      verifier: randomBytes(32).toString('base64url'),
      returnTo: consolePath(ctx.query.return),
      reauth: ctx.query.reauth === '1',
    };
    ctx.cookies.set(LOGIN_COOKIE, Buffer.from(JSON.stringify(login)).toString('base64url'), {
      ...cookieOptions(ctx), sameSite: 'lax', signed: true, maxAge: LOGIN_SECONDS * 1000,
    });
    const params = new URLSearchParams({
      client_id: CONSOLE_CLIENT_ID,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: redirectUri,
      state: login.state,
      code_challenge: createHash('sha256').update(login.verifier).digest('base64url'),
      code_challenge_method: 'S256',
      prompt: 'login',
      acr_values: ACR.secondFactor,
      ui_locales: pageShell(ctx, config, 'console.title').locale,
    });
    ctx.status = 303;
    ctx.redirect(`/auth?${params}`);
  });

  router.get(`${CONSOLE_PATH}/callback`, async (ctx) => {
    const login = readLoginState(ctx.cookies.get(LOGIN_COOKIE, { signed: true }));
    ctx.cookies.set(LOGIN_COOKIE, null, cookieOptions(ctx));
    const { state, code: value, error } = ctx.query;
    if (!login || typeof state !== 'string' || !sameText(state, login.state)) return notice(ctx, 400, 'console.title', 'console.sign_in_failed', signInLink(ctx));
    if (error !== undefined || typeof value !== 'string' || value.length > 512) return notice(ctx, 400, 'console.title', 'console.sign_in_failed', signInLink(ctx, login.returnTo));
    const code = await provider.AuthorizationCode.find(value);
    const challenge = createHash('sha256').update(login.verifier).digest('base64url');
    if (!code || code.isExpired || code.clientId !== CONSOLE_CLIENT_ID || code.redirectUri !== redirectUri || typeof code.codeChallenge !== 'string' || !sameText(code.codeChallenge, challenge)) {
      return notice(ctx, 400, 'console.title', 'console.sign_in_failed', signInLink(ctx, login.returnTo));
    }
    try {
      // Single use on every node (oidc/adapter.ts consume): a code replayed is refused.
      await code.consume();
    } catch {
      return notice(ctx, 400, 'console.title', 'console.sign_in_failed', signInLink(ctx, login.returnTo));
    }
    const account = code.accountId ? await accounts.findById(code.accountId) : undefined;
    if (!account || account.status !== 'active' || !isOperator(account.roles)) {
      await audit.record({ type: 'admin.console.refused', accountId: account?.id ?? null, clientId: CONSOLE_CLIENT_ID, ...requestFacts(ctx), details: { reason: 'not_operator' } });
      return showError(ctx, config, 403, 'console.not_operator');
    }
    if (code.acr !== ACR.secondFactor) return showError(ctx, config, 403, 'console.second_factor_required');
    // prompt=login: the person proved who they are for this very code, at most its 60 s ago, with
    // the password the account has now (changed during this sign-in perhaps, on a node whose clock
    // runs ahead): the session starts after that change, or the check below would end it at once.
    const now = clock.now();
    const authenticatedAt = account.passwordChangedAt && account.passwordChangedAt > now ? account.passwordChangedAt : now;
    const current = ctx.cookies.get(SESSION_COOKIE);
    if (login.reauth && current && (await operatorSessions.reauthenticated(current, account.id, authenticatedAt))) {
      await audit.record({ type: 'admin.operator.reauthenticated', accountId: account.id, clientId: CONSOLE_CLIENT_ID, ...requestFacts(ctx), details: { operator: account.id } });
    } else {
      await operatorSessions.end(current);
      const cookie = await operatorSessions.start(account.id, authenticatedAt);
      // Strict: no other site can make the browser send it, so no request from elsewhere acts as the operator.
      ctx.cookies.set(SESSION_COOKIE, cookie, { ...cookieOptions(ctx), sameSite: 'strict' });
      await audit.record({ type: 'admin.operator.signed_in', accountId: account.id, clientId: CONSOLE_CLIENT_ID, ...requestFacts(ctx), details: { operator: account.id } });
    }
    ctx.status = 303;
    ctx.redirect(login.returnTo);
  });

  router.get(`${CONSOLE_PATH}/signed-out`, async (ctx) => {
    notice(ctx, 200, 'console.signed_out_heading', 'console.signed_out', signInLink(ctx));
  });

  // Every other page of the console needs a live console session of an active operator.
  const signedIn = async (ctx: Context, next: Next) => {
    const session = await operatorSessions.use(ctx.cookies.get(SESSION_COOKIE));
    const account = session ? await accounts.findById(session.accountId) : undefined;
    // A password changed or reset since the operator signed in ends the session, as it ends every
    // session at the provider: whoever had the old password keeps no way into the console.
    const passwordChanged = Boolean(session && account?.passwordChangedAt && account.passwordChangedAt > session.authenticatedAt);
    if (!session || !account || account.status !== 'active' || !isOperator(account.roles) || passwordChanged) {
      if (ctx.method === 'GET' || ctx.method === 'HEAD') {
        // A language chosen on the address (`/admin?lang=en`) is kept for the sign-in pages.
        localeOf(ctx);
        ctx.status = 303;
        ctx.redirect(`${CONSOLE_PATH}/login?${new URLSearchParams({ return: consolePath(ctx.url) })}`);
        return;
      }
      return notice(ctx, 401, 'console.title', 'console.session_ended', signInLink(ctx));
    }
    ctx.state.operator = {
      accountId: account.id,
      roles: operatorRoles(account.roles),
      agencyId: account.agencyId,
      name: account.fullName,
      authenticatedAt: session.authenticatedAt,
    } satisfies ConsoleOperator;
    await next();
  };

  const area = new Router({ prefix: CONSOLE_PATH });
  area.use(signedIn);

  area.get('/', async (ctx) => {
    ctx.type = 'html';
    ctx.body = consoleHomePage(kit.shell(ctx, 'console.title'), kit.frame(ctx, CONSOLE_PATH), {
      roles: operatorRoles(kit.operator(ctx).roles).map((role) => `console.role.${role}` as const),
    });
  });

  area.post('/logout', async (ctx) => {
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, 'console:sign-out', form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    await operatorSessions.end(ctx.cookies.get(SESSION_COOKIE));
    ctx.cookies.set(SESSION_COOKIE, null, cookieOptions(ctx));
    await kit.record(ctx, 'operator.signed_out', { accountId: kit.operator(ctx).accountId, clientId: CONSOLE_CLIENT_ID });
    ctx.status = 303;
    ctx.redirect(`${CONSOLE_PATH}/signed-out`);
  });

  for (const addArea of areas) addArea(area, kit);
  router.use(area.routes(), area.allowedMethods());
  return router;
}

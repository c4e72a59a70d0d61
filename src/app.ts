// The HTTP application: oidc-provider is the Koa app; our middleware runs in front of
// its routes (Provider#use inserts before them), our routers beside them.
import type { Provider } from 'oidc-provider';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { isDatabaseUnavailable, requestScope, type Knex } from './db/index.ts';
import type { AccountStore, PasswordSignIn, AccountNotifier, PendingRegistrations } from './accounts/index.ts';
import type { AuditLog } from './audit/index.ts';
import type { Sealer } from './secrets/index.ts';
import { type KeySet, accountOfRevokedGrant, createProvider, ConsentStore, libraryLogoutForms, type ClientStore } from './oidc/index.ts';
import { interactionRoutes, standaloneRoutes, type TicketSigner } from './interactions/index.ts';
import { accountConsoleRoutes } from './account-console/index.ts';
import { adminRoutes, type OperatorSessions } from './admin/index.ts';
import { demoClient, demoRoutes } from './demo/index.ts';
import { setupRoutes, type SetupTokens } from './setup/index.ts';
import { IntegrationRequests, onboardingRoutes, recordRegistrations } from './onboarding/index.ts';
import type { Clock, Sleep } from './clock.ts';
import type { SmsOtp, TotpFactors } from './otp/index.ts';
import type { SignInLockout } from './passwords/index.ts';
import { Csrf, healthRoutes, requestLog, errorAnswers, markDatabaseUnavailable, securityHeaders, issuerOrigin, serveAssets, sitePages, type Metrics } from './http/index.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  knex: Knex;
  sealer: Sealer;
  csrfKey: Buffer;
  keys: KeySet;
  accounts: AccountStore;
  clients: ClientStore;
  signIn: PasswordSignIn;
  audit: AuditLog;
  clock: Clock;
  sleep: Sleep;
  otp: SmsOtp;
  pending: PendingRegistrations;
  totp: TotpFactors;
  lockout: SignInLockout;
  notifier: AccountNotifier;
  tickets: TicketSigner;
  metrics: Metrics;
  operatorSessions: OperatorSessions;
  setupTokens: SetupTokens;
}

export function createApp(deps: AppDeps): Provider {
  const { config, logger, audit } = deps;
  const consents = new ConsentStore(deps.knex, deps.clock);
  // The demo application exists outside production only: its client and its pages alike.
  const demo = config.env !== 'production';
  const provider = createProvider({ ...deps, staticClients: demo ? [demoClient(config.issuer)] : [] }, consents);
  const csrf = new Csrf(deps.csrfKey);

  provider.use(requestLog(logger));
  provider.use(deps.metrics.middleware());
  // Inside the log and the metrics: what they record is the answer this gives a failure.
  provider.use(errorAnswers(config, logger));
  provider.use(issuerOrigin(config.issuer));
  // Around everything that reads or writes the database: what a request deferred is
  // written before its answer leaves, and a failure to write it is logged as the request's.
  provider.use(requestScope(config.requestScope));
  provider.use(securityHeaders());
  // Inside the security headers: their policy is set when these draw their pages.
  provider.use(sitePages(config));
  provider.use(libraryLogoutForms(config));
  provider.use(healthRoutes(deps.knex));
  provider.use(serveAssets(config.province.logo));
  const requests = new IntegrationRequests(deps.knex, deps.sealer, deps.clock);
  provider.use(recordRegistrations({ requests, audit }));
  const routeDeps = { ...deps, provider, csrf, consents, requests };
  const routers = [interactionRoutes(routeDeps), standaloneRoutes(routeDeps), accountConsoleRoutes(routeDeps), setupRoutes(routeDeps), onboardingRoutes(routeDeps), ...adminRoutes(routeDeps)];
  if (demo) routers.push(demoRoutes(routeDeps));
  for (const router of routers) {
    provider.use(router.routes());
    provider.use(router.allowedMethods());
  }

  // Discovery changes with a deployment only. A rotated key signs 150 s after it is published
  // (cli keys:rotate) and every node serves it within KEY_RELOAD_SECONDS (60 s): a copy of the
  // JWKS kept for 60 s has the new key before anything is signed with it.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status !== 200) return;
    if (ctx.oidc?.route === 'discovery') ctx.set('Cache-Control', 'public, max-age=300');
    if (ctx.oidc?.route === 'jwks') ctx.set('Cache-Control', 'public, max-age=60');
  });

  // RFC 7009 answers 200 for any token; only a token that existed is a revocation.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'revocation' || ctx.status !== 200) return;
    const token = ctx.oidc.entities.AccessToken ?? ctx.oidc.entities.RefreshToken ?? ctx.oidc.entities.ClientCredentials;
    if (token) record({ type: 'token.revoked', accountId: token.accountId ?? null, clientId: ctx.oidc.client?.clientId ?? null, ...facts(ctx), details: { token: token.kind } });
  });
  const facts = (ctx: { ip: string; get(name: string): string }) => ({ ip: ctx.ip, userAgent: ctx.get('user-agent') || null });
  const record = (event: Parameters<AuditLog['record']>[0]) => {
    audit.record(event).catch((error) => logger.error({ err: error, type: event.type }, 'audit event not recorded'));
  };
  provider.on('end_session.success', (ctx) => {
    // Also fired when the person chose to stay signed in: the detail tells the two apart.
    record({ type: 'logout', accountId: ctx.oidc.session?.accountId ?? null, clientId: ctx.oidc.client?.clientId ?? null, ...facts(ctx), details: { sessionEnded: Boolean(ctx.oidc.params?.logout) } });
  });
  provider.on('grant.revoked', (ctx, grantId) => {
    // A reused code is refused before its Grant is read: the account is the one whose
    // tokens were revoked.
    const accountId = ctx.oidc.entities.Grant?.accountId ?? accountOfRevokedGrant(ctx, grantId) ?? ctx.oidc.session?.accountId;
    record({ type: 'token.revoked', accountId: accountId ?? null, clientId: ctx.oidc.client?.clientId ?? null, ...facts(ctx), details: { grant: grantId, route: ctx.oidc.route } });
  });
  provider.on('backchannel.error', (_ctx, error, client) => {
    const cause = (error as Error & { cause?: Error }).cause?.message;
    logger.warn({ clientId: client.clientId, error: error.message, cause }, 'back-channel logout delivery failed');
  });
  provider.on('server_error', (ctx, error) => {
    // oidc-provider answered a failure itself (500, server_error): when the database could
    // not be reached, errorAnswers turns that answer into a 503 with Retry-After.
    if (isDatabaseUnavailable(error)) markDatabaseUnavailable(ctx);
    logger.error({ requestId: ctx.state.requestId, err: error }, isDatabaseUnavailable(error) ? 'database unavailable' : 'oidc-provider server error');
  });
  return provider;
}

// Sign-in and consent pages inside the OpenID Connect interaction (oidc-provider's
// interaction contract: details → our page → interactionResult).
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { errors, type Provider } from 'oidc-provider';
import type { Sleep } from '../clock.ts';
import type { Config } from '../config.ts';
import { MAX_IDENTIFIER_LENGTH, MAX_PASSWORD_LENGTH, type PasswordSignIn } from '../accounts/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Csrf } from '../http/csrf.ts';
import { FormError, readForm } from '../http/form.ts';
import { localeOf, pageShell } from '../http/page-shell.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { ConsentStore } from '../oidc/consents.ts';
import { PROTOCOL_CLAIMS } from '../oidc/claims.ts';
import { loginPage } from '../../views/login.ts';
import { consentPage } from '../../views/consent.ts';
import { finish, requestFacts, showError, type Interaction } from './respond.ts';
import { addRegistrationRoutes, type RegistrationDeps } from './registration.ts';
import { addPasswordResetRoutes, type PasswordResetDeps } from './password-reset.ts';
import { signInSteps, type SignInStepDeps } from './sign-in/index.ts';
import { asksUnreachableAcr } from './sign-in/requested-acr.ts';
import { addTwoFactorRoutes } from './two-factor-enrolment.ts';

export interface InteractionDeps extends RegistrationDeps, PasswordResetDeps, SignInStepDeps {
  config: Config;
  provider: Provider;
  signIn: PasswordSignIn;
  audit: AuditLog;
  csrf: Csrf;
  consents: ConsentStore;
  sleep: Sleep;
}

function formErrors(config: Config): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof FormError) return showError(ctx, config, error.status, error.code);
      throw error;
    }
  };
}

/** Registration and password reset on their own (`/register`, `/forgot`), outside any sign-in. */
export function standaloneRoutes(deps: InteractionDeps): Router {
  const router = new Router();
  router.use(['/register', '/forgot', '/account'], formErrors(deps.config));
  addRegistrationRoutes(router, deps);
  addPasswordResetRoutes(router, deps);
  addTwoFactorRoutes(router, deps);
  return router;
}

export function interactionRoutes(deps: InteractionDeps): Router {
  const { config, clock, knex, sleep, provider, signIn, audit, csrf, lockout, notifier, consents } = deps;
  const router = new Router({ prefix: '/interaction/:uid' });
  const steps = signInSteps(deps);

  async function clientOf(interaction: Interaction) {
    const client = await provider.Client.find(String(interaction.params.client_id));
    return { name: client?.clientName ?? String(interaction.params.client_id), logoUri: client?.logoUri };
  }

  function minutesUntil(until: Date): number {
    return Math.max(1, Math.ceil((until.getTime() - clock.now().getTime()) / 60_000));
  }

  async function renderLogin(ctx: Context, interaction: Interaction, status: number, identifier?: string, error?: MessageKey, errorParams?: Record<string, number>) {
    const shell = pageShell(ctx, config, 'login.title', localeOf(ctx, interaction.params.ui_locales));
    const client = await clientOf(interaction);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = loginPage(shell, {
      csrfToken: csrf.issue(ctx, `login:${interaction.uid}`),
      action: `/interaction/${interaction.uid}/login${shell.locale === 'en' ? '?lang=en' : ''}`,
      clientName: client.name,
      clientLogoUri: client.logoUri,
      identifier,
      error,
      errorParams,
      forgotPasswordHref: `/interaction/${interaction.uid}/forgot`,
      registerHref: `/interaction/${interaction.uid}/register`,
    });
  }

  async function renderConsent(ctx: Context, interaction: Interaction) {
    const shell = pageShell(ctx, config, 'consent.title', localeOf(ctx, interaction.params.ui_locales));
    const client = await clientOf(interaction);
    const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    ctx.type = 'html';
    ctx.body = consentPage(shell, {
      csrfToken: csrf.issue(ctx, `consent:${interaction.uid}`),
      action: `/interaction/${interaction.uid}/confirm${shell.locale === 'en' ? '?lang=en' : ''}`,
      clientName: client.name,
      clientLogoUri: client.logoUri,
      scopes: details.missingOIDCScope ?? [],
      claims: (details.missingOIDCClaims ?? []).filter((claim) => !PROTOCOL_CLAIMS.includes(claim)),
    });
  }

  // Loads the interaction this browser is in; a missing or expired one is a page, not a 500.
  router.use(async (ctx, next) => {
    try {
      ctx.state.interaction = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) return showError(ctx, config, 400, 'interaction.expired');
      throw error;
    }
    if (ctx.state.interaction.uid !== ctx.params.uid) return showError(ctx, config, 400, 'interaction.expired');
    await next();
  });
  router.use(formErrors(config));

  router.get('/', async (ctx) => {
    const interaction: Interaction = ctx.state.interaction;
    if (interaction.prompt.name === 'login') {
      // OpenID Connect Core §5.5.1.1: an essential acr that sign-in cannot reach is a failed
      // authentication, said to the app at once rather than a sign-in that never satisfies.
      if (asksUnreachableAcr(interaction)) {
        return finish(ctx, provider, { error: 'unmet_authentication_requirements', error_description: 'the requested authentication level is not available' });
      }
      const hint = typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint.slice(0, MAX_IDENTIFIER_LENGTH) : undefined;
      return renderLogin(ctx, interaction, 200, hint);
    }
    if (interaction.prompt.name === 'consent') return renderConsent(ctx, interaction);
    return showError(ctx, config, 400, 'request.invalid');
  });

  router.post('/login', async (ctx) => {
    const interaction: Interaction = ctx.state.interaction;
    const form = await readForm(ctx);
    if (interaction.prompt.name !== 'login') return showError(ctx, config, 400, 'request.invalid');
    if (!csrf.verify(ctx, `login:${interaction.uid}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const identifier = (form.identifier ?? '').trim();
    const password = form.password ?? '';
    if (identifier.length > MAX_IDENTIFIER_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      return renderLogin(ctx, interaction, 400, undefined, 'signin.input_too_long');
    }
    if (!identifier) return renderLogin(ctx, interaction, 400, identifier, 'signin.identifier_required');
    if (!password) return renderLogin(ctx, interaction, 400, identifier, 'signin.password_required');

    // The attempt is counted before the password is checked, in the statement that finds the
    // account (SPEC R6): under each identifier the typed text can be, each of those from this
    // address, and the address. Only an attempt within every limit is checked, so no more
    // guesses than the limit are ever verified, whatever the concurrency, on any node. The
    // keys come from the text alone, every spelling of an identifier under one key, so an
    // account and no account slow down and lock alike (SPEC §6).
    const attemptKeys = signIn.attemptKeys(identifier, ctx.ip);
    const { account, counted } = await signIn.findCounting(identifier, attemptKeys, lockout.counting());
    const attempt = lockout.judge(counted);
    const clientId = String(interaction.params.client_id);
    if (!attempt.allowed) {
      await audit.record({ type: 'signin.throttled', accountId: account?.id ?? null, clientId, ...requestFacts(ctx) });
      return renderLogin(ctx, interaction, 429, identifier, 'signin.locked', { minutes: minutesUntil(attempt.lockedUntil ?? clock.now()) });
    }

    const result = await signIn.check(account, password);
    if (!result.ok) {
      await audit.record({ type: 'signin.failed', accountId: account?.id ?? null, clientId, ...requestFacts(ctx), details: { reason: result.reason } });
      if (attempt.locksIfWrong && account) {
        await audit.record({ type: 'account.locked', accountId: account.id, clientId, ...requestFacts(ctx) });
        // Not awaited: the answer must not take longer for an account than for no account.
        void notifier.notify(account.phone, 'account_locked');
      }
      await sleep(lockout.delayAfter(attempt.failures) * 1000);
      if (attempt.locksIfWrong) return renderLogin(ctx, interaction, 429, identifier, 'signin.locked', { minutes: minutesUntil(attempt.lockedUntil!) });
      return renderLogin(ctx, interaction, 401, identifier, 'signin.failed');
    }
    // The right password clears what it proves (the account's and the identifier's counts)
    // and gives the address back its attempt. Not the second factor's count: only a right
    // second factor clears that.
    await lockout.clear({ cleared: [...attemptKeys.identifiers, ...attemptKeys.pairs], refunded: attemptKeys.ip });
    await steps.proceed(ctx, interaction, result.account, { accountId: result.account.id, uid: interaction.uid, amr: ['pwd'], secondFactor: false, warned: false });
  });

  router.post('/confirm', async (ctx) => {
    const interaction: Interaction = ctx.state.interaction;
    const form = await readForm(ctx);
    if (interaction.prompt.name !== 'consent') return showError(ctx, config, 400, 'request.invalid');
    if (!csrf.verify(ctx, `consent:${interaction.uid}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const accountId = interaction.session?.accountId;
    const clientId = String(interaction.params.client_id);
    if (!accountId) return showError(ctx, config, 400, 'interaction.expired');
    if (form.decision !== 'allow') {
      await audit.record({ type: 'consent.denied', accountId, clientId, ...requestFacts(ctx) });
      return finish(ctx, provider, { error: 'access_denied', error_description: 'the person declined the request' });
    }
    const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    // The session's Grant, unless it was revoked meanwhile (with its tokens) or is another
    // person's: then a Grant of its own, holding what the person agreed to before as well.
    const found = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
    let grant = found?.accountId === accountId && found.clientId === clientId ? found : undefined;
    if (!grant) {
      grant = new provider.Grant({ accountId, clientId });
      const earlier = await consents.find(accountId, clientId);
      if (earlier?.scopes.length) grant.addOIDCScope(earlier.scopes.join(' '));
      if (earlier?.claims.length) grant.addOIDCClaims(earlier.claims);
    }
    if (details.missingOIDCScope?.length) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
    const grantId = await grant.save();
    // The person's decision, kept apart from the Grant (revoking tokens does not undo it), and
    // its audit event, in one transaction: no consent without its event, nor the other way.
    await knex.transaction(async (trx) => {
      await consents.give(accountId, clientId, { scopes: details.missingOIDCScope ?? [], claims: details.missingOIDCClaims ?? [] }, trx);
      await audit.recordIn(trx, { type: 'consent.given', accountId, clientId, ...requestFacts(ctx), details: { scope: (details.missingOIDCScope ?? []).join(' ') } });
    });
    await finish(ctx, provider, { consent: { grantId } }, true);
  });

  steps.addRoutes(router);
  addRegistrationRoutes(router, deps);
  addPasswordResetRoutes(router, deps);
  return router;
}

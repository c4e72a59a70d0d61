// Sign-in and consent pages inside the OpenID Connect interaction (oidc-provider's
// interaction contract: details → our page → interactionResult).
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { errors, type Provider } from 'oidc-provider';
import type { Config } from '../config.ts';
import type { AuditLog } from '../audit/index.ts';
import { type Csrf, FormError, readForm, formErrors, requestFacts, showError } from '../http/index.ts';
import { localeOf, pageShell, consentPage } from '../../views/index.ts';
import { type ConsentStore, PROTOCOL_CLAIMS } from '../oidc/index.ts';
import { clientShown, finish, type Interaction } from './respond.ts';
import { addRegistrationRoutes, type RegistrationDeps } from './registration/index.ts';
import { addPasswordResetRoutes, type PasswordResetDeps } from './password-reset/index.ts';
import { signInSteps, passwordStep, type PasswordStepDeps } from './sign-in/index.ts';

// The order the consent page lists what an app already has (consents are stored sorted by
// name): who you are, your details, then staying signed in; any other scope after them.
const SCOPE_ORDER = ['openid', 'profile', 'email', 'phone', 'address', 'national_id', 'offline_access'];

function inScopeOrder(scopes: string[]): string[] {
  const rank = (scope: string) => (SCOPE_ORDER.includes(scope) ? SCOPE_ORDER.indexOf(scope) : SCOPE_ORDER.length);
  return [...scopes].sort((a, b) => rank(a) - rank(b));
}

export interface InteractionDeps extends RegistrationDeps, PasswordResetDeps, PasswordStepDeps {
  config: Config;
  provider: Provider;
  audit: AuditLog;
  csrf: Csrf;
  consents: ConsentStore;
}

/** Registration and password reset on their own (`/register`, `/forgot`), outside any sign-in. */
export function standaloneRoutes(deps: InteractionDeps): Router {
  const router = new Router();
  router.use(['/register', '/forgot'], formErrors(deps.config));
  addRegistrationRoutes(router, deps);
  addPasswordResetRoutes(router, deps);
  return router;
}

export function interactionRoutes(deps: InteractionDeps): Router {
  const { config, knex, provider, audit, csrf, consents } = deps;
  const router = new Router({ prefix: '/interaction/:uid' });
  const steps = signInSteps(deps);
  const password = passwordStep(deps, steps.proceed);

  async function renderConsent(ctx: Context, interaction: Interaction) {
    const shell = pageShell(ctx, config, 'consent.title', localeOf(ctx, interaction.params.ui_locales));
    const client = await clientShown(provider, interaction, shell.locale);
    const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    const scopes = details.missingOIDCScope ?? [];
    const claims = (details.missingOIDCClaims ?? []).filter((claim) => !PROTOCOL_CLAIMS.includes(claim));
    // What the person allowed this app before, on any device: the page tells a wider request
    // from a first one.
    const accountId = interaction.session?.accountId;
    const earlier = accountId ? await consents.find(accountId, String(interaction.params.client_id)) : undefined;
    ctx.type = 'html';
    ctx.body = consentPage(shell, {
      csrfToken: csrf.issue(ctx, `consent:${interaction.uid}`),
      action: `/interaction/${interaction.uid}/confirm${shell.locale === 'en' ? '?lang=en' : ''}`,
      clientName: client.name,
      clientLogoUri: client.logoUri,
      scopes,
      claims,
      granted: {
        scopes: inScopeOrder((earlier?.scopes ?? []).filter((scope) => !scopes.includes(scope))),
        claims: (earlier?.claims ?? []).filter((claim) => !claims.includes(claim) && !PROTOCOL_CLAIMS.includes(claim)),
      },
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
    if (interaction.prompt.name === 'login') return password.show(ctx, interaction);
    if (interaction.prompt.name === 'consent') return renderConsent(ctx, interaction);
    return showError(ctx, config, 400, 'request.invalid');
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

  password.addRoutes(router);
  steps.addRoutes(router);
  addRegistrationRoutes(router, deps);
  addPasswordResetRoutes(router, deps);
  return router;
}

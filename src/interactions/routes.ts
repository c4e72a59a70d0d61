// Sign-in and consent pages inside the OpenID Connect interaction (oidc-provider's
// interaction contract: details → our page → interactionResult).
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { errors, type Provider } from 'oidc-provider';
import type { Config } from '../config.ts';
import type { AuditLog } from '../audit/index.ts';
import { type Csrf, FormError, readForm, formErrors, requestFacts, showError } from '../http/index.ts';
import type { Locale } from '../i18n/index.ts';
import { AgencyStore } from '../accounts/index.ts';
import { choiceField, localeOf, pageShell, consentPage } from '../../views/index.ts';
import { applyConsent, consentDecision, consentOffer, type ConsentShown, type ConsentStore, PROTOCOL_CLAIMS } from '../oidc/index.ts';
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

/** What the request asks for: its scopes, and the claims its claims parameter names. */
function requestedItems(params: Interaction['params']): { scopes: string[]; claims: string[] } {
  const scopes = String(params.scope ?? '').split(' ').filter(Boolean);
  let claims: string[] = [];
  try {
    const parsed = typeof params.claims === 'string' ? (JSON.parse(params.claims) as { userinfo?: object; id_token?: object }) : {};
    claims = [...Object.keys(parsed.userinfo ?? {}), ...Object.keys(parsed.id_token ?? {})];
  } catch {
    // oidc-provider refused a malformed claims parameter before any page: nothing is asked by name.
  }
  return { scopes, claims };
}

/** What oidc-provider's consent prompt found undecided. */
function missingItems(interaction: Interaction): { scopes: string[]; claims: string[] } {
  const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  return { scopes: details.missingOIDCScope ?? [], claims: details.missingOIDCClaims ?? [] };
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

  const agencies = new AgencyStore(knex);

  /**
   * The app as the consent page names it (SPEC §6; Decree 13/2023 Art. 11.2): its registered
   * name, logo, operating agency and purpose. The consent record keeps the same words.
   */
  async function appShown(interaction: Interaction, locale: Locale): Promise<ConsentShown & { logoUri?: string }> {
    const shown = await clientShown(provider, interaction, locale);
    const client = await provider.Client.find(String(interaction.params.client_id));
    // oidc-provider keeps extra metadata under its registered (snake_case) name.
    const { purpose, agency_id: agencyId } = (client ?? {}) as { purpose?: string; agency_id?: string };
    const agency = agencyId ? await agencies.find(agencyId) : undefined;
    return { clientName: shown.name, logoUri: shown.logoUri, ...(agency ? { agency: agency.name } : {}), ...(purpose ? { purpose } : {}) };
  }

  async function renderConsent(ctx: Context, interaction: Interaction) {
    const shell = pageShell(ctx, config, 'consent.title', localeOf(ctx, interaction.params.ui_locales));
    const app = await appShown(interaction, shell.locale);
    // What the person decided for this app before, on any device: the page tells a wider request
    // from a first one, and offers again what they refused.
    const accountId = interaction.session?.accountId;
    const earlier = accountId ? await consents.find(accountId, String(interaction.params.client_id)) : undefined;
    const offer = consentOffer(missingItems(interaction), requestedItems(interaction.params), earlier);
    const offered = { scopes: offer.scopes.map((scope) => scope.name), claims: offer.claims.map((claim) => claim.name) };
    ctx.type = 'html';
    ctx.body = consentPage(shell, {
      csrfToken: csrf.issue(ctx, `consent:${interaction.uid}`),
      action: `/interaction/${interaction.uid}/confirm${shell.locale === 'en' ? '?lang=en' : ''}`,
      clientName: app.clientName,
      clientLogoUri: app.logoUri,
      agency: app.agency,
      purpose: app.purpose,
      offer,
      granted: {
        scopes: inScopeOrder((earlier?.scopes ?? []).filter((scope) => !offered.scopes.includes(scope))),
        claims: (earlier?.claims ?? []).filter((claim) => !offered.claims.includes(claim) && !PROTOCOL_CLAIMS.includes(claim)),
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
    // Only what the page offered can be granted: the same offer, made again from the same
    // request and the consent in force, whatever else the form carries.
    const earlier = await consents.find(accountId, clientId);
    const { granted, refused } = consentDecision(consentOffer(missingItems(interaction), requestedItems(interaction.params), earlier), (kind, name) => form[choiceField(kind, name)] === 'yes');
    const { logoUri: _logo, ...shown } = await appShown(interaction, localeOf(ctx, interaction.params.ui_locales));
    // The person's decision, kept apart from the Grant (revoking tokens does not undo it), with
    // what the page showed and its audit event, in one transaction: no consent without its
    // event, nor the other way.
    await knex.transaction(async (trx) => {
      await consents.give(accountId, clientId, { granted, refused, shown }, trx);
      await audit.recordIn(trx, {
        type: 'consent.given',
        accountId,
        clientId,
        ...requestFacts(ctx),
        details: { scope: granted.scopes.join(' '), refused: [...refused.scopes, ...refused.claims].join(' ') },
      });
    });
    // The session's Grant, unless it was revoked meanwhile (with its tokens) or is another
    // person's: then a Grant of its own. Either holds the consent now in force, what the
    // person agreed to before included.
    const found = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
    const grant = found?.accountId === accountId && found.clientId === clientId ? found : new provider.Grant({ accountId, clientId });
    const consent = await consents.find(accountId, clientId);
    if (consent) applyConsent(grant, consent);
    const grantId = await grant.save();
    await finish(ctx, provider, { consent: { grantId } }, true);
  });

  password.addRoutes(router);
  steps.addRoutes(router);
  addRegistrationRoutes(router, deps);
  addPasswordResetRoutes(router, deps);
  return router;
}

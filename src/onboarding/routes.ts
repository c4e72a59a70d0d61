// What an organization does to propose an app (Hue-S Art. 15.2): `/integrations/new`, the
// request form, for an organization account signed in at xacthuc (the provider's session, as
// /account/two-factor reads it), and `/integrations`, its requests and how each was decided.
// Also `/assets/client-logo/<name>`, the logos uploaded with requests, served by xacthuc itself.
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Account, AccountStore } from '../accounts/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { type Csrf, formErrors, readMultipartForm, requestFacts, type UploadedFile } from '../http/index.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { integrationRequestPage, noticePage, ownRequestsPage, pageShell } from '../../views/index.ts';
import { checkLogo, LOGO_NAME, type CheckedLogo } from './logo.ts';
import { readRequestForm, type AppKind, type IntegrationRequestFields, type RequestFormErrors } from './request-form.ts';
import { CLIENT_LOGO_PATH, type IntegrationRequests } from './requests.ts';

export interface OnboardingRouteDeps {
  config: Config;
  provider: Provider;
  accounts: AccountStore;
  audit: AuditLog;
  csrf: Csrf;
  requests: IntegrationRequests;
}

const FORM_PATH = '/integrations/new';
const LIST_PATH = '/integrations';

/**
 * The request a form describes, its logo checked by its bytes: what both the organization's
 * page and the console read from a posted form. `agencies` are the choices the form offered.
 */
export function readRequestSubmission(fields: Record<string, string>, files: Record<string, UploadedFile>, agencies: readonly { id: string }[]): { ok: true; fields: IntegrationRequestFields; logo?: CheckedLogo; agencyId: string | null } | { ok: false; errors: RequestFormErrors } {
  const read = readRequestForm(fields);
  const errors: RequestFormErrors = read.ok ? {} : { ...read.errors };
  let logo: CheckedLogo | undefined;
  if (files.logo !== undefined) {
    const checked = checkLogo(files.logo.body);
    if (checked.ok) logo = checked.logo;
    else errors.logo = checked.problem;
  }
  const agency = fields.agency ?? '';
  if (agency !== '' && !agencies.some((candidate) => candidate.id === agency)) errors.agency = 'onboarding.error.agency';
  if (!read.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, fields: read.fields, logo, agencyId: agency === '' ? null : agency };
}

/** The form's own fields as they were posted, to show them again beside their errors (never a file). */
export function postedValues(fields: Record<string, string>): Record<string, string> {
  const { _csrf: _token, ...values } = fields;
  return values;
}

export function onboardingRoutes(deps: OnboardingRouteDeps): Router {
  const { config, provider, accounts, csrf, requests, audit } = deps;
  const router = new Router();
  router.use([FORM_PATH, LIST_PATH], formErrors(config));

  function notice(ctx: Context, status: number, message: MessageKey) {
    const shell = pageShell(ctx, config, 'onboarding.title');
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = noticePage(shell, { title: t(shell.locale, 'onboarding.title'), message: t(shell.locale, message) });
  }

  /** The organization account this browser is signed in as at xacthuc, or why there is none (the page is then drawn). */
  async function organization(ctx: Context): Promise<Account | undefined> {
    const session = await provider.Session.get(ctx as unknown as KoaContextWithOIDC);
    const account = session.accountId ? await accounts.findById(session.accountId) : undefined;
    if (account?.status !== 'active') return void notice(ctx, 401, 'onboarding.sign_in_first');
    if (account.type !== 'organization') return void notice(ctx, 403, 'onboarding.organizations_only');
    return account;
  }

  async function renderForm(ctx: Context, account: Account, status: number, values: Record<string, string>, errors: RequestFormErrors) {
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = integrationRequestPage(pageShell(ctx, config, 'onboarding.title'), {
      action: FORM_PATH,
      csrfToken: csrf.issue(ctx, `integration:${account.id}`),
      agencies: await requests.agencies(),
      values,
      errors,
    });
  }

  router.get(FORM_PATH, async (ctx) => {
    const account = await organization(ctx);
    if (account) await renderForm(ctx, account, 200, { kind: 'web' }, {});
  });

  router.post(FORM_PATH, async (ctx) => {
    const { fields, files } = await readMultipartForm(ctx);
    const account = await organization(ctx);
    if (!account) return;
    if (!csrf.verify(ctx, `integration:${account.id}`, fields._csrf)) return notice(ctx, 403, 'csrf.invalid');
    const submission = readRequestSubmission(fields, files, await requests.agencies());
    if (!submission.ok) return renderForm(ctx, account, 400, postedValues(fields), submission.errors);
    const id = await requests.submit({ source: 'page', requesterAccountId: account.id, agencyId: submission.agencyId, fields: submission.fields, logo: submission.logo });
    await audit.record({ type: 'client.integration_requested', accountId: account.id, clientId: null, ...requestFacts(ctx), details: { request: id, name: submission.fields.name } });
    ctx.status = 303;
    ctx.redirect(`${LIST_PATH}?submitted=1`);
  });

  router.get(LIST_PATH, async (ctx) => {
    const account = await organization(ctx);
    if (!account) return;
    const own = await requests.list({ requesterAccountId: account.id });
    ctx.type = 'html';
    ctx.body = ownRequestsPage(pageShell(ctx, config, 'onboarding.mine_heading'), {
      submitted: ctx.query.submitted === '1',
      requests: own.map((request) => ({ name: request.fields.name, status: request.status, createdAt: request.createdAt, rejectionReason: request.rejectionReason, clientId: request.clientId })),
    });
  });

  // Named by its content: cached for a year, and as closed as the province's logo (http/assets.ts).
  router.get(`${CLIENT_LOGO_PATH}:name`, async (ctx) => {
    const name = ctx.params.name ?? '';
    const logo = LOGO_NAME.test(name) ? await requests.logo(name) : undefined;
    if (!logo) {
      ctx.status = 404;
      return;
    }
    ctx.type = logo.contentType;
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.body = logo.body;
  });

  return router;
}

function kindOf(metadata: Record<string, unknown>): AppKind {
  const grants = Array.isArray(metadata.grant_types) ? metadata.grant_types : [];
  if (grants.length > 0 && !grants.includes('authorization_code')) return 'service';
  return metadata.application_type === 'native' ? 'native' : 'web';
}

function shortText(value: unknown): string {
  return typeof value === 'string' && [...value].length <= 500 ? value.normalize('NFC').trim() : '';
}

/**
 * A dynamic registration (RFC 7591) is an integration request too: once oidc-provider stored
 * the client (pending), its request is recorded for the reviewers, under the agency the initial
 * access token was issued for, and the token is used up (one token, one registration).
 */
export function recordRegistrations(deps: { requests: IntegrationRequests; audit: AuditLog }): Middleware {
  return async (ctx, next) => {
    await next();
    const { oidc } = ctx as Partial<KoaContextWithOIDC>;
    if (oidc?.route === 'client_delete' && ctx.status === 204 && typeof ctx.params?.clientId === 'string') return deps.requests.withdraw(ctx.params.clientId);
    if (oidc?.route !== 'registration' || ctx.status !== 201) return;
    const client = oidc.entities.Client;
    const token = oidc.entities.InitialAccessToken;
    if (!client || !token?.jti) return;
    const issued = await deps.requests.initialAccessToken(token.jti);
    const metadata = client.metadata() as Record<string, unknown>;
    const body = (oidc.body ?? {}) as Record<string, unknown>;
    const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
    const fields: IntegrationRequestFields = {
      name: String(metadata.client_name ?? client.clientId),
      description: shortText(body.description),
      purpose: shortText(body.purpose),
      kind: kindOf(metadata),
      redirectUris: strings(metadata.redirect_uris),
      postLogoutRedirectUris: strings(metadata.post_logout_redirect_uris),
      ...(typeof metadata.backchannel_logout_uri === 'string' ? { backchannelLogoutUri: metadata.backchannel_logout_uri } : {}),
      ...(typeof metadata.jwks_uri === 'string' ? { jwksUri: metadata.jwks_uri } : {}),
      scopes: String(metadata.scope ?? '').split(' ').filter((scope) => scope !== '' && scope !== 'openid'),
      reasons: {},
      contacts: strings(metadata.contacts).slice(0, 5),
    };
    const id = await deps.requests.submit({ source: 'registration', requesterAccountId: issued?.issuedBy ?? null, agencyId: issued?.agencyId ?? null, fields, clientId: client.clientId });
    await token.destroy();
    await deps.audit.record({ type: 'client.registration_requested', accountId: null, clientId: client.clientId, ...requestFacts(ctx as Context), details: { request: id, name: fields.name } });
  };
}

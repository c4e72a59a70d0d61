// The console's "connected apps" section (SPEC R9, R10; Hue-S Art. 15.2): pending integration
// requests and registered clients, each operator seeing what their reach allows; a reviewer
// approves (the client's credentials shown once) or rejects with a reason the requester reads;
// an operator managing clients sends a request for their agency, rotates a secret with an
// overlap, disables a client, and issues initial access tokens for dynamic registration.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import { maskPhone, maskTaxCode } from '../accounts/index.ts';
import { readForm, readMultipartForm } from '../http/index.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { ClientSummary } from '../oidc/index.ts';
import { IntegrationRequests, postedValues, readRequestSubmission, type IntegrationRequest, type RequestFormErrors } from '../onboarding/index.ts';
import { clientDetail, clientsOverview, confirmAction, consoleMessage as pageMessage, credentialsShown, integrationRequestForm, registrationTokenShown, requestDetail, shownTime, type SafeHtml } from '../../views/index.ts';
import {
  approveRequest, DEFAULT_OVERLAP_HOURS, DEFAULT_TOKEN_DAYS, disableClient, issueInitialAccessToken, overlapHours, rejectionReason, rejectRequest, rotateClientSecret, tokenDays,
  type OnboardingDeps, type RecordAction,
} from './client-onboarding.ts';
import { reachOf } from './permissions.ts';
import type { ConsoleKit } from './console.ts';

const SECTION = '/admin/clients';
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,200}$/;

/**
 * The services this area uses beyond the console's own. The console is given every service of
 * the app (app.ts routeDeps); this checks at start-up that those it needs are there.
 */
export function onboardingDepsOf(deps: object): OnboardingDeps & { provider: Provider } {
  const given = deps as Partial<OnboardingDeps & { provider: Provider }>;
  for (const name of ['config', 'db', 'sealer', 'accounts', 'clients', 'clock', 'audit', 'notifier', 'provider'] as const) {
    if (given[name] === undefined) throw new Error(`the connected apps area needs ${name}`);
  }
  const full = given as OnboardingDeps & { provider: Provider };
  return { ...full, requests: full.requests ?? new IntegrationRequests(full.db.knex, full.sealer, full.clock) };
}

/** How a requester is shown to a reviewer: name and masked identifier (SPEC: identifiers shown masked). */
export async function requesterOf(deps: OnboardingDeps, request: IntegrationRequest): Promise<string | null> {
  if (!request.requesterAccountId) return null;
  const account = await deps.accounts.findById(request.requesterAccountId);
  if (!account) return null;
  const identifier = account.taxCode ? maskTaxCode(account.taxCode) : account.phone ? maskPhone(account.phone) : '';
  return identifier ? `${account.fullName} (${identifier})` : account.fullName;
}

export function clientsConsoleArea(router: Router, kit: ConsoleKit): void {
  const deps = onboardingDepsOf(kit.deps);
  const { requests, clients, config } = deps;
  const recorder = (ctx: Context): RecordAction => (action, target, details, trx) => kit.record(ctx, action, target, details, trx);
  const locale = (ctx: Context) => kit.shell(ctx, 'clients.heading').locale;
  const page = (ctx: Context, status: number, body: SafeHtml) => kit.render(ctx, status, 'clients.heading', SECTION, body);
  const notFound = (ctx: Context) => kit.render(ctx, 404, 'clients.heading', SECTION, pageMessage(locale(ctx), 'clients.not_found'));
  const agencyNames = async () => new Map((await requests.agencies()).map((agency) => [agency.id, agency.name]));

  /** The request by id, when it exists and the operator may `permission` it; otherwise a page was drawn. */
  async function reachableRequest(ctx: Context, permission: 'clients.read' | 'clients.review'): Promise<IntegrationRequest | undefined> {
    const request = await requests.find(ctx.params.id ?? '');
    if (!request) return void notFound(ctx);
    return kit.permits(ctx, permission, { agencyId: request.agencyId }) ? request : undefined;
  }

  async function reachableClient(ctx: Context, permission: 'clients.read' | 'clients.manage'): Promise<ClientSummary & { metadata: Record<string, unknown> } | undefined> {
    const clientId = ctx.params.clientId ?? '';
    const client = CLIENT_ID.test(clientId) ? await clients.summary(clientId) : undefined;
    if (!client) return void notFound(ctx);
    return kit.permits(ctx, permission, { agencyId: client.agencyId }) ? client : undefined;
  }

  router.get('/clients', async (ctx) => {
    if (!kit.permits(ctx, 'clients.read')) return;
    const operator = kit.operator(ctx);
    const ownAgency = reachOf(operator, 'clients.read') === 'own_agency' ? operator.agencyId ?? undefined : undefined;
    const names = await agencyNames();
    const all = await requests.list({ agencyId: ownAgency });
    const row = (request: IntegrationRequest) => ({ id: request.id, name: request.fields.name, source: request.source, status: request.status, agency: request.agencyId ? names.get(request.agencyId) ?? null : null, createdAt: request.createdAt });
    const registered = await clients.list({ agencyId: ownAgency });
    page(ctx, 200, clientsOverview(locale(ctx), {
      pending: all.filter((request) => request.status === 'pending').map(row),
      decided: all.filter((request) => request.status !== 'pending').slice(0, 50).map(row),
      clients: registered.map((client) => ({ clientId: client.clientId, name: client.name, status: client.status, agency: client.agencyId ? names.get(client.agencyId) ?? null : null })),
      mayRequest: reachOf(operator, 'clients.manage') !== undefined,
      mayIssueToken: reachOf(operator, 'clients.manage') !== undefined,
    }));
  });

  // An agency's operator proposes an app for their agency; a super-administrator for any.
  async function renderRequestForm(ctx: Context, status: number, values: Record<string, string>, errors: RequestFormErrors) {
    const operator = kit.operator(ctx);
    const agencies = reachOf(operator, 'clients.manage') === 'all' ? await requests.agencies() : [];
    page(ctx, status, integrationRequestForm(locale(ctx), { action: `${SECTION}/new`, csrfToken: kit.deps.csrf.issue(ctx, 'console:integration-request'), agencies, values, errors }));
  }

  router.get('/clients/new', async (ctx) => {
    if (!kit.permits(ctx, 'clients.manage')) return;
    await renderRequestForm(ctx, 200, { kind: 'web' }, {});
  });

  router.post('/clients/new', async (ctx) => {
    const { fields, files } = await readMultipartForm(ctx);
    if (!kit.permits(ctx, 'clients.manage')) return;
    if (!kit.deps.csrf.verify(ctx, 'console:integration-request', fields._csrf)) return forbiddenCsrf(ctx);
    const operator = kit.operator(ctx);
    const everyAgency = reachOf(operator, 'clients.manage') === 'all';
    // An agency's own operator proposes for their agency: whatever the form says.
    const submission = readRequestSubmission(everyAgency ? fields : { ...fields, agency: '' }, files, everyAgency ? await requests.agencies() : []);
    if (!submission.ok) return renderRequestForm(ctx, 400, postedValues(fields), submission.errors);
    const agencyId = everyAgency ? submission.agencyId : operator.agencyId;
    const id = await requests.submit({ source: 'page', requesterAccountId: operator.accountId, agencyId, fields: submission.fields, logo: submission.logo });
    await kit.record(ctx, 'client.integration_requested', {}, { request: id, name: submission.fields.name });
    ctx.status = 303;
    ctx.redirect(`${SECTION}/requests/${id}`);
  });

  function forbiddenCsrf(ctx: Context): void {
    kit.render(ctx, 403, 'clients.heading', SECTION, pageMessage(locale(ctx), 'csrf.invalid'));
  }

  async function renderRequest(ctx: Context, request: IntegrationRequest, status: number, error?: { key: MessageKey; params?: Record<string, string> }) {
    const names = await agencyNames();
    const { fields } = request;
    const mayDecide = reachOf(kit.operator(ctx), 'clients.review') !== undefined;
    page(ctx, status, requestDetail(locale(ctx), {
      id: request.id,
      name: fields.name,
      description: fields.description,
      purpose: fields.purpose,
      kind: fields.kind,
      source: request.source,
      status: request.status,
      agency: request.agencyId ? names.get(request.agencyId) ?? null : null,
      requester: await requesterOf(deps, request),
      redirectUris: fields.redirectUris,
      postLogoutRedirectUris: fields.postLogoutRedirectUris,
      backchannelLogoutUri: fields.backchannelLogoutUri,
      jwksUri: fields.jwksUri,
      scopes: fields.scopes,
      reasons: fields.reasons,
      contacts: fields.contacts,
      logoPath: request.logoPath,
      rejectionReason: request.rejectionReason,
      clientId: request.clientId,
    }, mayDecide ? { csrfToken: kit.deps.csrf.issue(ctx, `console:decide:${request.id}`), error: error?.key, errorParams: error?.params } : undefined));
  }

  router.get('/clients/requests/:id', async (ctx) => {
    const request = await reachableRequest(ctx, 'clients.read');
    if (request) await renderRequest(ctx, request, 200);
  });

  router.post('/clients/requests/:id/approve', async (ctx) => {
    const form = await readForm(ctx);
    const request = await reachableRequest(ctx, 'clients.review');
    if (!request) return;
    if (!kit.deps.csrf.verify(ctx, `console:decide:${request.id}`, form._csrf)) return forbiddenCsrf(ctx);
    const outcome = await approveRequest(deps, request, kit.operator(ctx).accountId, recorder(ctx));
    if (!outcome.ok) {
      const error = outcome.problem === 'already_decided' ? { key: 'clients.already_decided' as const } : { key: 'clients.cannot_register' as const, params: { detail: outcome.detail } };
      return renderRequest(ctx, (await requests.find(request.id)) ?? request, 409, error);
    }
    const secret = 'client_secret' in outcome.client ? outcome.client.client_secret : undefined;
    page(ctx, 200, credentialsShown(locale(ctx), { clientId: outcome.client.client_id, secret, registrantHasThem: outcome.registrantHasCredentials }));
  });

  router.post('/clients/requests/:id/reject', async (ctx) => {
    const form = await readForm(ctx);
    const request = await reachableRequest(ctx, 'clients.review');
    if (!request) return;
    if (!kit.deps.csrf.verify(ctx, `console:decide:${request.id}`, form._csrf)) return forbiddenCsrf(ctx);
    const reason = rejectionReason(form.reason);
    if (reason === undefined) return renderRequest(ctx, request, 400, { key: 'clients.reason_required' });
    if (!(await rejectRequest(deps, request, kit.operator(ctx).accountId, reason, recorder(ctx)))) return renderRequest(ctx, (await requests.find(request.id)) ?? request, 409, { key: 'clients.already_decided' });
    ctx.status = 303;
    ctx.redirect(`${SECTION}/requests/${request.id}`);
  });

  router.get('/clients/registration-tokens', async (ctx) => {
    if (!kit.permits(ctx, 'clients.manage') || !kit.recentlySignedIn(ctx, `${SECTION}/registration-tokens`)) return;
    const l = locale(ctx);
    const everyAgency = reachOf(kit.operator(ctx), 'clients.manage') === 'all';
    page(ctx, 200, confirmAction(l, {
      heading: t(l, 'clients.token_heading'),
      explanation: t(l, 'clients.token_explanation'),
      action: `${SECTION}/registration-tokens`,
      csrfToken: kit.deps.csrf.issue(ctx, 'console:registration-token'),
      button: 'clients.token_issue',
      choice: { name: 'days', label: 'clients.token_days', options: [DEFAULT_TOKEN_DAYS, 1, 30].map((days) => ({ value: String(days), label: t(l, 'clients.days', { days }) })) },
      agencies: everyAgency ? await requests.agencies() : undefined,
    }));
  });

  router.post('/clients/registration-tokens', async (ctx) => {
    const form = await readForm(ctx);
    if (!kit.permits(ctx, 'clients.manage') || !kit.recentlySignedIn(ctx, `${SECTION}/registration-tokens`)) return;
    if (!kit.deps.csrf.verify(ctx, 'console:registration-token', form._csrf)) return forbiddenCsrf(ctx);
    const operator = kit.operator(ctx);
    const days = tokenDays(form.days);
    const everyAgency = reachOf(operator, 'clients.manage') === 'all';
    const agency = everyAgency && form.agency ? await requests.agency(form.agency) : undefined;
    if (days === undefined || (everyAgency && form.agency && !agency)) return kit.render(ctx, 400, 'clients.heading', SECTION, pageMessage(locale(ctx), 'request.invalid'));
    const issued = await issueInitialAccessToken(deps, { days, agencyId: everyAgency ? agency?.id ?? null : operator.agencyId, byAccountId: operator.accountId, byClientId: null }, recorder(ctx));
    page(ctx, 200, registrationTokenShown(locale(ctx), { token: issued.token, expiresAt: issued.expiresAt, endpoint: `${config.issuer}/reg` }));
  });

  router.get('/clients/:clientId', async (ctx) => {
    const client = await reachableClient(ctx, 'clients.read');
    if (!client) return;
    const operator = kit.operator(ctx);
    const names = await agencyNames();
    const manage = reachOf(operator, 'clients.manage') !== undefined && client.status === 'active';
    const method = String(client.metadata.token_endpoint_auth_method ?? 'client_secret_basic');
    page(ctx, 200, clientDetail(locale(ctx), {
      clientId: client.clientId,
      name: client.name,
      status: client.status,
      agency: client.agencyId ? names.get(client.agencyId) ?? null : null,
      authMethod: method,
      redirectUris: Array.isArray(client.metadata.redirect_uris) ? client.metadata.redirect_uris as string[] : [],
      scope: String(client.metadata.scope ?? ''),
      previousSecretUntil: client.previousSecretExpiresAt && client.previousSecretExpiresAt > deps.clock.now() ? client.previousSecretExpiresAt : null,
    }, { rotate: manage && method.startsWith('client_secret'), disable: manage }));
  });

  router.get('/clients/:clientId/rotate', async (ctx) => {
    const client = await reachableClient(ctx, 'clients.manage');
    if (!client || !kit.recentlySignedIn(ctx, `${SECTION}/${client.clientId}/rotate`)) return;
    const l = locale(ctx);
    page(ctx, 200, confirmAction(l, {
      heading: t(l, 'clients.rotate_heading', { name: client.name }),
      explanation: t(l, 'clients.rotate_explanation'),
      action: `${SECTION}/${client.clientId}/rotate`,
      csrfToken: kit.deps.csrf.issue(ctx, `console:rotate:${client.clientId}`),
      button: 'clients.rotate_confirm',
      choice: { name: 'overlap_hours', label: 'clients.overlap', options: [DEFAULT_OVERLAP_HOURS, 1, 72, 168].map((hours) => ({ value: String(hours), label: t(l, 'clients.hours', { hours }) })) },
    }));
  });

  router.post('/clients/:clientId/rotate', async (ctx) => {
    const form = await readForm(ctx);
    const client = await reachableClient(ctx, 'clients.manage');
    if (!client || !kit.recentlySignedIn(ctx, `${SECTION}/${client.clientId}/rotate`)) return;
    if (!kit.deps.csrf.verify(ctx, `console:rotate:${client.clientId}`, form._csrf)) return forbiddenCsrf(ctx);
    const hours = overlapHours(form.overlap_hours);
    if (hours === undefined) return kit.render(ctx, 400, 'clients.heading', SECTION, pageMessage(locale(ctx), 'request.invalid'));
    if (client.status !== 'active') return kit.render(ctx, 409, 'clients.heading', SECTION, pageMessage(locale(ctx), 'clients.not_active'));
    const rotated = await rotateClientSecret(deps, client.clientId, hours, recorder(ctx));
    if (!rotated) return kit.render(ctx, 409, 'clients.heading', SECTION, pageMessage(locale(ctx), 'clients.no_secret_to_rotate'));
    const l = locale(ctx);
    page(ctx, 200, credentialsShown(l, { clientId: client.clientId, secret: rotated.secret, message: t(l, 'clients.rotated', { time: shownTime(l, rotated.previousExpiresAt) }) }));
  });

  router.get('/clients/:clientId/disable', async (ctx) => {
    const client = await reachableClient(ctx, 'clients.manage');
    if (!client || !kit.recentlySignedIn(ctx, `${SECTION}/${client.clientId}/disable`)) return;
    const l = locale(ctx);
    page(ctx, 200, confirmAction(l, {
      heading: t(l, 'clients.disable_heading', { name: client.name }),
      explanation: t(l, 'clients.disable_explanation'),
      action: `${SECTION}/${client.clientId}/disable`,
      csrfToken: kit.deps.csrf.issue(ctx, `console:disable:${client.clientId}`),
      button: 'clients.disable_confirm',
    }));
  });

  router.post('/clients/:clientId/disable', async (ctx) => {
    const form = await readForm(ctx);
    const client = await reachableClient(ctx, 'clients.manage');
    if (!client || !kit.recentlySignedIn(ctx, `${SECTION}/${client.clientId}/disable`)) return;
    if (!kit.deps.csrf.verify(ctx, `console:disable:${client.clientId}`, form._csrf)) return forbiddenCsrf(ctx);
    const revoked = await disableClient(deps, client.clientId, recorder(ctx));
    if (revoked === undefined) return kit.render(ctx, 409, 'clients.heading', SECTION, pageMessage(locale(ctx), 'clients.not_active'));
    const l = locale(ctx);
    page(ctx, 200, pageMessage(l, 'clients.disabled_done', { name: client.name, tokens: revoked }));
  });
}

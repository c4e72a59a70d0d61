// The connected apps through the admin API (`/admin/api/clients…`): the console's section as
// JSON, with the same rights (clients.read to see, clients.review to decide, clients.manage to
// rotate, disable and issue registration tokens). A secret or token is in the answer that made
// it, once, and never in the audit log.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { IntegrationRequest } from '../onboarding/index.ts';
import type { ApiArea, ApiKit, OpenApiPaths } from './api.ts';
import {
  approveRequest, disableClient, issueInitialAccessToken, MAX_OVERLAP_HOURS, MAX_TOKEN_DAYS, overlapHours, rejectionReason, rejectRequest, rotateClientSecret, tokenDays,
  type RecordAction,
} from './client-onboarding.ts';
import { onboardingDepsOf } from './clients-area.ts';
import { reachOf } from './permissions.ts';

const CLIENT_ID = /^[A-Za-z0-9._~-]{1,200}$/;

function requestJson(request: IntegrationRequest) {
  return {
    id: request.id,
    status: request.status,
    source: request.source,
    agency_id: request.agencyId,
    requester_account_id: request.requesterAccountId,
    client_id: request.clientId,
    created_at: request.createdAt.toISOString(),
    decided_at: request.decidedAt?.toISOString() ?? null,
    rejection_reason: request.rejectionReason,
    logo_uri: request.logoPath,
    ...request.fields,
  };
}

const error = { description: 'an error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const refused = { 401: { description: 'no valid token' }, 403: { description: 'the token lacks the function, or the target is outside its reach' } };
const requestId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const clientId = { name: 'client_id', in: 'path', required: true, schema: { type: 'string' } };

const paths: OpenApiPaths = {
  '/clients': { get: { summary: 'Integration requests and registered clients (admin:clients.read)', responses: { 200: { description: '{ requests: [...], clients: [...] }' }, ...refused } } },
  '/clients/requests/{id}': { get: { summary: 'One integration request (admin:clients.read)', parameters: [requestId], responses: { 200: { description: 'the request' }, 404: error, ...refused } } },
  '/clients/requests/{id}/approve': { post: { summary: 'Approves a pending request: its client is active; a request from the page gets its client_secret in this answer only (admin:clients.review)', parameters: [requestId], responses: { 200: { description: 'the client, RFC 7591 names' }, 409: error, 404: error, ...refused } } },
  '/clients/requests/{id}/reject': { post: { summary: 'Rejects a pending request with the reason its requester reads (admin:clients.review)', parameters: [requestId], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { reason: { type: 'string', maxLength: 500 } }, required: ['reason'] } } } }, responses: { 200: { description: 'the request' }, 400: error, 409: error, 404: error, ...refused } } },
  '/clients/{client_id}': { get: { summary: 'One client: metadata without secrets, status (admin:clients.read)', parameters: [clientId], responses: { 200: { description: 'the client' }, 404: error, ...refused } } },
  '/clients/{client_id}/rotate-secret': { post: { summary: `A new client_secret, in this answer only; the current one keeps working overlap_hours more (1–${MAX_OVERLAP_HOURS}, default 24) (admin:clients.manage)`, parameters: [clientId], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { overlap_hours: { type: 'integer', minimum: 1, maximum: MAX_OVERLAP_HOURS } } } } } }, responses: { 200: { description: '{ client_id, client_secret, previous_secret_expires_at }' }, 400: error, 404: error, 409: error, ...refused } } },
  '/clients/{client_id}/disable': { post: { summary: 'Disables an active client at once and revokes its tokens (admin:clients.manage)', parameters: [clientId], responses: { 200: { description: '{ client_id, status, tokens_revoked }' }, 404: error, 409: error, ...refused } } },
  '/clients/initial-access-tokens': { post: { summary: `An initial access token for one RFC 7591 registration, in this answer only (admin:clients.manage); expires_in_days 1–${MAX_TOKEN_DAYS}, default 7`, requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { expires_in_days: { type: 'integer' }, agency_id: { type: 'string', format: 'uuid' } } } } } }, responses: { 201: { description: '{ initial_access_token, expires_at, registration_endpoint }' }, 400: error, ...refused } } },
};

export const clientsApiArea: ApiArea = {
  paths,
  addRoutes(router: Router, kit: ApiKit) {
    let resolved: ReturnType<typeof onboardingDepsOf> | undefined;
    // The services are checked on first use: the API's own deps are typed narrower than what the app gives it.
    const deps = () => (resolved ??= onboardingDepsOf(kit.deps));
    const recorder = (ctx: Context): RecordAction => (action, target, details, trx) => kit.record(ctx, action, target, details, trx);
    const findRequest = async (ctx: Context, permission: 'clients.read' | 'clients.review') => {
      const request = await deps().requests.find(ctx.params.id ?? '');
      if (!request) return void kit.fail(ctx, 404, 'not_found', 'no such integration request');
      return kit.permits(ctx, permission, { agencyId: request.agencyId }) ? request : undefined;
    };
    const findClient = async (ctx: Context, permission: 'clients.read' | 'clients.manage') => {
      const id = ctx.params.client_id ?? '';
      const client = CLIENT_ID.test(id) ? await deps().clients.summary(id) : undefined;
      if (!client) return void kit.fail(ctx, 404, 'not_found', 'no such client');
      return kit.permits(ctx, permission, { agencyId: client.agencyId }) ? client : undefined;
    };

    router.get('/clients', async (ctx) => {
      if (!kit.permits(ctx, 'clients.read')) return;
      const operator = kit.operator(ctx);
      const agencyId = reachOf(operator, 'clients.read') === 'own_agency' ? operator.agencyId ?? undefined : undefined;
      const [requests, clients] = await Promise.all([deps().requests.list({ agencyId }), deps().clients.list({ agencyId })]);
      ctx.body = {
        requests: requests.map(requestJson),
        clients: clients.map((client) => ({ client_id: client.clientId, client_name: client.name, status: client.status, agency_id: client.agencyId, created_at: client.createdAt.toISOString() })),
      };
    });

    // Before /clients/{client_id}: the paths under /clients/requests are not client ids.
    router.get('/clients/requests/:id', async (ctx) => {
      const request = await findRequest(ctx, 'clients.read');
      if (request) ctx.body = requestJson(request);
    });

    router.post('/clients/requests/:id/approve', async (ctx) => {
      const request = await findRequest(ctx, 'clients.review');
      if (!request) return;
      const outcome = await approveRequest(deps(), request, null, recorder(ctx));
      if (!outcome.ok) return kit.fail(ctx, 409, outcome.problem, outcome.problem === 'already_decided' ? 'the request was already decided' : outcome.detail);
      ctx.body = outcome.client;
    });

    router.post('/clients/requests/:id/reject', async (ctx) => {
      const given = await kit.body(ctx);
      if (!given) return;
      const request = await findRequest(ctx, 'clients.review');
      if (!request) return;
      const reason = rejectionReason(given.reason);
      if (reason === undefined) return kit.fail(ctx, 400, 'invalid_request', 'reason: 1 to 500 characters, no invisible or control characters');
      if (!(await rejectRequest(deps(), request, null, reason, recorder(ctx)))) return kit.fail(ctx, 409, 'already_decided', 'the request was already decided');
      ctx.body = requestJson((await deps().requests.find(request.id))!);
    });

    router.post('/clients/initial-access-tokens', async (ctx) => {
      const given = await kit.body(ctx);
      if (!given || !kit.permits(ctx, 'clients.manage')) return;
      const operator = kit.operator(ctx);
      const days = tokenDays(given.expires_in_days);
      if (days === undefined) return kit.fail(ctx, 400, 'invalid_request', `expires_in_days: a whole number from 1 to ${MAX_TOKEN_DAYS}`);
      const everyAgency = reachOf(operator, 'clients.manage') === 'all';
      let agencyId = everyAgency ? null : operator.agencyId;
      if (everyAgency && given.agency_id !== undefined && given.agency_id !== null) {
        const agency = typeof given.agency_id === 'string' ? await deps().requests.agency(given.agency_id) : undefined;
        if (!agency) return kit.fail(ctx, 400, 'invalid_request', 'agency_id: no such agency');
        agencyId = agency.id;
      }
      const issued = await issueInitialAccessToken(deps(), { days, agencyId, byAccountId: operator.accountId, byClientId: operator.clientId ?? null }, recorder(ctx));
      ctx.status = 201;
      ctx.body = { initial_access_token: issued.token, expires_at: issued.expiresAt.toISOString(), registration_endpoint: `${deps().config.issuer}/reg` };
    });

    router.get('/clients/:client_id', async (ctx) => {
      const client = await findClient(ctx, 'clients.read');
      if (!client) return;
      ctx.body = { ...client.metadata, client_id: client.clientId, status: client.status, previous_secret_expires_at: client.previousSecretExpiresAt?.toISOString() ?? null };
    });

    router.post('/clients/:client_id/rotate-secret', async (ctx) => {
      const given = await kit.body(ctx);
      if (!given) return;
      const client = await findClient(ctx, 'clients.manage');
      if (!client) return;
      const hours = overlapHours(given.overlap_hours);
      if (hours === undefined) return kit.fail(ctx, 400, 'invalid_request', `overlap_hours: a whole number from 1 to ${MAX_OVERLAP_HOURS}`);
      if (client.status !== 'active') return kit.fail(ctx, 409, 'not_active', 'only an active client’s secret is rotated');
      const rotated = await rotateClientSecret(deps(), client.clientId, hours, recorder(ctx));
      if (!rotated) return kit.fail(ctx, 409, 'no_secret', 'this client authenticates without a secret');
      ctx.body = { client_id: client.clientId, client_secret: rotated.secret, previous_secret_expires_at: rotated.previousExpiresAt.toISOString() };
    });

    router.post('/clients/:client_id/disable', async (ctx) => {
      const client = await findClient(ctx, 'clients.manage');
      if (!client) return;
      const revoked = await disableClient(deps(), client.clientId, recorder(ctx));
      if (revoked === undefined) return kit.fail(ctx, 409, 'not_active', 'only an active client is disabled');
      ctx.body = { client_id: client.clientId, status: 'disabled', tokens_revoked: revoked };
    });
  },
};

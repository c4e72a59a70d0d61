// The admin API (`/admin/api`): the console's functions as JSON for automation, with the same
// rights (permissions.ts). A caller is a service client holding an access token from the client
// credentials grant whose scopes name admin functions (service-clients.ts). Errors are JSON in the
// RFC 6750 manner: 401 with WWW-Authenticate for a missing or dead token, 403
// `insufficient_scope` for a function the token does not carry. Its OpenAPI document is served at
// `/admin/api/openapi.json`, assembled from what each area declares.
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { Provider } from 'oidc-provider';
import type { AccountStore } from '../accounts/index.ts';
import type { AuditEvent, AuditLog } from '../audit/index.ts';
import type { Clock } from '../clock.ts';
import type { Knex } from '../db/index.ts';
import { FormError, readJsonBody, requestFacts } from '../http/index.ts';
import { allows, type Operator, type Permission } from './permissions.ts';
import { functionsOfScope } from './service-clients.ts';
import type { AccountAdminDeps } from './account-admin.ts';

export const API_PATH = '/admin/api';

export interface ApiDeps extends AccountAdminDeps {
  provider: Provider;
  audit: AuditLog;
  knex: Knex;
  accounts: AccountStore;
  clock: Clock;
}

/** An OpenAPI 3.1 paths object: what an area of the API adds to the document. */
export type OpenApiPaths = Record<string, Record<string, unknown>>;

export interface ApiKit {
  deps: ApiDeps;
  operator(ctx: Context): Operator;
  /** Whether the caller may; when not, the answer is already a 403 JSON error naming the scope. */
  permits(ctx: Context, permission: Permission, target?: { agencyId: string | null }): boolean;
  /** Answers a JSON error. */
  fail(ctx: Context, status: number, error: string, description: string): void;
  /** The request's body as a JSON object (empty: `{}`); undefined when it is not one, the 400, 413 or 415 already answered. */
  body(ctx: Context): Promise<Record<string, unknown> | undefined>;
  record(ctx: Context, action: string, target: { accountId?: string | null; clientId?: string | null }, details?: AuditEvent['details'], trx?: Knex.Transaction): Promise<void>;
}

export interface ApiArea {
  addRoutes(router: Router, kit: ApiKit): void;
  paths: OpenApiPaths;
}

function fail(ctx: Context, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.type = 'json';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]{1,512}=*)$/;

export function apiRoutes(deps: ApiDeps, areas: readonly ApiArea[] = []): Router {
  const { provider, audit } = deps;
  const router = new Router({ prefix: API_PATH });

  const kit: ApiKit = {
    deps,
    operator: (ctx) => ctx.state.operator as Operator,
    permits(ctx, permission, target) {
      if (allows(kit.operator(ctx), permission, target)) return true;
      ctx.set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="admin:${permission}"`);
      fail(ctx, 403, 'insufficient_scope', `this needs the scope admin:${permission}`);
      return false;
    },
    fail,
    async body(ctx) {
      try {
        return await readJsonBody(ctx);
      } catch (problem) {
        if (!(problem instanceof FormError)) throw problem;
        const why = problem.status === 413 ? 'the body may have at most 64 KiB' : problem.status === 415 ? 'the body must be application/json' : 'the body must be a JSON object';
        fail(ctx, problem.status, 'invalid_request', why);
        return undefined;
      }
    },
    async record(ctx, action, target, details = {}, trx) {
      const event: AuditEvent = {
        type: `admin.${action}`,
        accountId: target.accountId ?? null,
        clientId: target.clientId ?? null,
        ...requestFacts(ctx),
        details: { ...details, operator: null, serviceClient: kit.operator(ctx).clientId ?? null },
      };
      await (trx ? audit.recordIn(trx, event) : audit.record(event));
    },
  };

  const document = {
    openapi: '3.1.0',
    info: { title: 'xacthuc admin API', version: '1', description: 'The operator console’s functions for automation. Every call needs an access token of the client credentials grant whose scopes name the admin functions it uses (admin:<function>).' },
    servers: [{ url: API_PATH }],
    components: {
      securitySchemes: { clientCredentials: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/token', scopes: {} } } } },
      schemas: { Error: { type: 'object', properties: { error: { type: 'string' }, error_description: { type: 'string' } }, required: ['error'] } },
    },
    security: [{ clientCredentials: [] }],
    paths: {
      '/me': { get: { summary: 'Who is calling and which admin functions its token carries', responses: { 200: { description: 'the caller' }, 401: { description: 'no valid token' } } } },
      ...Object.assign({}, ...areas.map((area) => area.paths)),
    } as OpenApiPaths,
  };

  router.get('/openapi.json', async (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = document;
  });

  // Every other call: a live access token of the client credentials grant, from a client that
  // still exists, carrying at least one admin function.
  router.use(async (ctx: Context, next: Next) => {
    if (ctx.path === `${API_PATH}/openapi.json`) return next();
    const header = ctx.get('authorization');
    const value = BEARER.exec(header)?.[1];
    const token = value ? await provider.ClientCredentials.find(value) : undefined;
    const client = token && !token.isExpired && token.clientId ? await provider.Client.find(token.clientId) : undefined;
    const granted = token ? functionsOfScope(token.scope) : [];
    if (!token || token.isExpired || !client || granted.length === 0) {
      ctx.set('WWW-Authenticate', header ? 'Bearer error="invalid_token"' : 'Bearer');
      return fail(ctx, 401, 'invalid_token', 'an access token of the client credentials grant with admin scopes is needed');
    }
    ctx.state.operator = { accountId: null, roles: [], agencyId: null, granted, clientId: client.clientId } satisfies Operator;
    ctx.set('Cache-Control', 'no-store');
    await next();
  });

  router.get('/me', async (ctx) => {
    const operator = kit.operator(ctx);
    ctx.body = { client_id: operator.clientId, functions: operator.granted };
  });

  for (const area of areas) area.addRoutes(router, kit);
  // A path the API does not have is a JSON 404, not the site's page.
  router.all('/{*rest}', async (ctx) => fail(ctx, 404, 'not_found', 'no such admin API path'));
  return router;
}

// The operators area of the admin API, `/admin/api/operators…` and `/admin/api/agencies`: the
// console's operators functions as JSON (operators-console.ts). A service client granted
// operators.manage reaches every agency, as a super-administrator does.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Account } from '../accounts/index.ts';
import type { ApiArea, ApiKit, OpenApiPaths } from './api.ts';
import { accountJson } from './accounts-api.ts';
import { OperatorAdmin, parseRoles, type RoleChangeOutcome } from './operator-admin.ts';
import { reachesOperator } from './operator-roles.ts';
import { reachOf } from './permissions.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ERROR = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const AGENCY = { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } } };

const paths: OpenApiPaths = {
  '/operators': {
    get: {
      summary: 'The accounts holding an operator role (an agency administrator’s own agency only), identifiers masked',
      description: 'Needs admin:operators.manage.',
      responses: { 200: { description: 'the operators', content: { 'application/json': { schema: { type: 'object', properties: { operators: { type: 'array', items: { type: 'object' } } } } } } } },
    },
  },
  '/operators/{id}/roles': {
    post: {
      summary: 'Gives the account exactly these operator roles and this agency (null: none); its console sessions end',
      description: 'Needs admin:operators.manage. Refused with 409 last_super_admin when it would leave no active super-administrator. Recorded as admin.operator.roles_changed.',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', properties: { roles: { type: 'array', items: { type: 'string', enum: ['super_admin', 'account_operator', 'integration_reviewer', 'auditor', 'agency_admin'] } }, agency_id: { type: ['string', 'null'], format: 'uuid' } }, required: ['roles', 'agency_id'] } } },
      },
      responses: {
        200: { description: 'done, or nothing to change', content: { 'application/json': { schema: { type: 'object', properties: { outcome: { type: 'string', enum: ['done', 'unchanged'] } } } } } },
        400: { description: 'an unknown role or agency, or a malformed body', ...ERROR },
        403: { description: 'the token lacks admin:operators.manage', ...ERROR },
        404: { description: 'no such account', ...ERROR },
        409: { description: 'last_super_admin', ...ERROR },
      },
    },
  },
  '/agencies': {
    get: { summary: 'The agencies operators belong to', description: 'Needs admin:operators.manage.', responses: { 200: { description: 'the agencies', content: { 'application/json': { schema: { type: 'object', properties: { agencies: { type: 'array', items: AGENCY } } } } } } } },
    post: {
      summary: 'A new agency',
      description: 'Needs admin:operators.manage. Name: 1–200 characters, stored in NFC, no control or invisible characters; unique. Recorded as admin.agency.created.',
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string', maxLength: 200 } }, required: ['name'] } } } },
      responses: { 201: { description: 'the agency', content: { 'application/json': { schema: AGENCY } } }, 400: { description: 'the name is refused (error names why)', ...ERROR }, 409: { description: 'an agency has this name (agency.name_taken)', ...ERROR } },
    },
  },
};

export const operatorsApi: ApiArea = {
  paths,
  addRoutes(router: Router, kit: ApiKit) {
    const admin = new OperatorAdmin(kit.deps);

    router.get('/operators', async (ctx) => {
      if (!kit.permits(ctx, 'operators.manage')) return;
      const operator = kit.operator(ctx);
      const operators = await admin.list(operator, reachOf(operator, 'operators.manage') === 'all' ? 'all' : 'own_agency');
      ctx.body = { operators: operators.map(accountJson) };
    });

    router.post('/operators/:id/roles', async (ctx) => {
      const id = String(ctx.params.id);
      if (!UUID.test(id)) return kit.fail(ctx, 404, 'not_found', 'no such account');
      if (!kit.permits(ctx, 'operators.manage')) return;
      const account: Account | undefined = await kit.deps.accounts.findById(id);
      if (!account || account.status === 'deleted') return kit.fail(ctx, 404, 'not_found', 'no such account');
      const operator = kit.operator(ctx);
      if (!reachesOperator(operator, account)) return kit.fail(ctx, 403, 'operators.out_of_reach', 'this account is outside what the caller manages');
      const input = await kit.body(ctx);
      if (!input) return;
      const roles = Array.isArray(input.roles) && input.roles.length <= 10 ? parseRoles(input.roles) : undefined;
      if (!roles) return kit.fail(ctx, 400, 'invalid_request', 'roles must be an array of operator roles');
      const agencyId = input.agency_id;
      if (agencyId !== null && (typeof agencyId !== 'string' || !UUID.test(agencyId))) return kit.fail(ctx, 400, 'invalid_request', 'agency_id must be an agency’s id or null');
      const outcome: RoleChangeOutcome = await admin.setRoles(operator, account, { roles, agencyId }, (action, target, details, trx) => kit.record(ctx, action, target, details, trx));
      if (outcome === 'done' || outcome === 'unchanged') {
        ctx.body = { outcome };
        return;
      }
      if (outcome === 'last_super_admin') return kit.fail(ctx, 409, outcome, 'this would leave no active super-administrator');
      if (outcome === 'no_agency') return kit.fail(ctx, 400, 'invalid_request', 'no agency has this id');
      kit.fail(ctx, 403, outcome, 'the caller may not give these roles or this agency');
    });

    router.get('/agencies', async (ctx) => {
      if (!kit.permits(ctx, 'operators.manage')) return;
      const operator = kit.operator(ctx);
      const agencies = await admin.agencies.list();
      ctx.body = { agencies: reachOf(operator, 'operators.manage') === 'all' ? agencies : agencies.filter((agency) => agency.id === operator.agencyId) };
    });

    router.post('/agencies', async (ctx) => {
      if (!kit.permits(ctx, 'operators.manage')) return;
      if (reachOf(kit.operator(ctx), 'operators.manage') !== 'all') return kit.fail(ctx, 403, 'insufficient_scope', 'making agencies needs operators.manage over every agency');
      const input = await kit.body(ctx);
      if (!input) return;
      if (typeof input.name !== 'string') return kit.fail(ctx, 400, 'invalid_request', 'name must be a string');
      const created = await admin.createAgency(input.name, (agency, trx) => kit.record(ctx, 'agency.created', {}, { agency: agency.id, name: agency.name }, trx));
      if ('error' in created) return kit.fail(ctx, created.error === 'agency.name_taken' ? 409 : 400, created.error, 'the name is refused');
      ctx.status = 201;
      ctx.body = created;
    });
  },
};

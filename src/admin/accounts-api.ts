// The accounts area of the admin API, `/admin/api/accounts…`: the console's accounts functions
// as JSON (accounts-console.ts), with the same rights and the same audit events. Identifiers
// are masked in every answer; `reveal` answers one in full to a caller granted accounts.reveal.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { isOperator, maskNationalId, maskPhone, maskTaxCode, operatorRoles, type Account } from '../accounts/index.ts';
import { AccountAdmin, isRevealable, REVEALABLE, SEARCH_LIMIT, type Outcome, type RecordAction } from './account-admin.ts';
import type { ApiArea, ApiKit, OpenApiPaths } from './api.ts';
import { reachesOperator } from './operator-roles.ts';
import type { Permission } from './permissions.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An account as the API answers it: identifiers masked. */
export function accountJson(account: Account) {
  return {
    id: account.id,
    type: account.type,
    status: account.status,
    name: account.status === 'deleted' ? null : account.fullName,
    national_id_kind: account.nationalIdKind,
    national_id: account.nationalId ? maskNationalId(account.nationalId) : null,
    tax_code: account.taxCode ? maskTaxCode(account.taxCode) : null,
    phone: account.phone ? maskPhone(account.phone) : null,
    username: account.username,
    roles: operatorRoles(account.roles),
    agency_id: account.agencyId,
    updated_at: account.updatedAt.toISOString(),
  };
}

const ACTIONS = {
  'disable': (admin: AccountAdmin, ctx: Context, account: Account, record: RecordAction) => admin.disable(ctx, account, record),
  'enable': (admin: AccountAdmin, _ctx: Context, account: Account, record: RecordAction) => admin.enable(account, record),
  'require-password-change': (admin: AccountAdmin, _ctx: Context, account: Account, record: RecordAction) => admin.requirePasswordChange(account, record),
  'unlock': (admin: AccountAdmin, _ctx: Context, account: Account, record: RecordAction) => admin.unlock(account, record),
  'revoke-sessions': (admin: AccountAdmin, ctx: Context, account: Account, record: RecordAction) => admin.revokeSessions(ctx, account, record),
} satisfies Record<string, (admin: AccountAdmin, ctx: Context, account: Account, record: RecordAction) => Promise<Outcome>>;

const ACTION_SUMMARIES: Record<keyof typeof ACTIONS, string> = {
  'disable': 'Disables the account: it can no longer sign in, and every session, token and console session of it ends (apps told by back-channel logout)',
  'enable': 'Enables a disabled account again',
  'require-password-change': 'The person must choose a new password at the next sign-in',
  'unlock': 'Lifts the lock left by wrong passwords or second-factor codes on the account’s identifiers and second factor',
  'revoke-sessions': 'Ends every session, refresh and access token and console session of the account (apps told by back-channel logout)',
};

const ID_PARAMETER = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const ERROR = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const OUTCOME = { type: 'object', properties: { outcome: { type: 'string', enum: ['done', 'unchanged'] } }, required: ['outcome'] };
const ACCOUNT_SCHEMA = {
  type: 'object',
  description: 'Identifiers masked (0460******34, 091****678)',
  properties: {
    id: { type: 'string', format: 'uuid' },
    type: { type: 'string', enum: ['citizen', 'organization'] },
    status: { type: 'string', enum: ['active', 'disabled', 'deleted'] },
    name: { type: ['string', 'null'] },
    national_id_kind: { type: ['string', 'null'], enum: ['cccd', 'cmnd', 'passport', null] },
    national_id: { type: ['string', 'null'] },
    tax_code: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    username: { type: ['string', 'null'] },
    roles: { type: 'array', items: { type: 'string' } },
    agency_id: { type: ['string', 'null'], format: 'uuid' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

const actionPath = (summary: string, scope: string, body?: Record<string, unknown>) => ({
  post: {
    summary,
    description: `Needs the scope ${scope}${scope === 'admin:accounts.read' ? '' : '; on an account that holds an operator role, admin:operators.manage as well'}. Recorded in the audit log.`,
    parameters: [ID_PARAMETER],
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses: {
      200: { description: 'done, or nothing to do', content: { 'application/json': { schema: OUTCOME } } },
      403: { description: 'the token lacks the scope', ...ERROR },
      404: { description: 'no such account', ...ERROR },
      409: { description: 'refused: it would leave no active super-administrator (last_super_admin)', ...ERROR },
      410: { description: 'the account was deleted', ...ERROR },
    },
  },
});

const paths: OpenApiPaths = {
  '/accounts': {
    get: {
      summary: 'Finds accounts by an identifier (personal ID number, CMND, passport, tax code, phone in any spelling, username), through the keyed indexes, or by a part of the name (case and diacritics ignored)',
      description: `Needs admin:accounts.read. Exactly one of identifier and name. At most ${SEARCH_LIMIT} accounts; more is true when there were more.`,
      parameters: [
        { name: 'identifier', in: 'query', schema: { type: 'string', maxLength: 256 } },
        { name: 'name', in: 'query', schema: { type: 'string', minLength: 2, maxLength: 100 } },
      ],
      responses: {
        200: { description: 'the accounts found', content: { 'application/json': { schema: { type: 'object', properties: { accounts: { type: 'array', items: ACCOUNT_SCHEMA }, more: { type: 'boolean' } } } } } },
        400: { description: 'neither or both of identifier and name, or one empty or too long', ...ERROR },
        403: { description: 'the token lacks admin:accounts.read', ...ERROR },
      },
    },
  },
  '/accounts/{id}': {
    get: {
      summary: 'One account, identifiers masked, with its lock, second factor and creation time',
      description: 'Needs admin:accounts.read.',
      parameters: [ID_PARAMETER],
      responses: { 200: { description: 'the account', content: { 'application/json': { schema: ACCOUNT_SCHEMA } } }, 404: { description: 'no such account', ...ERROR } },
    },
  },
  ...Object.fromEntries(Object.entries(ACTION_SUMMARIES).map(([action, summary]) => [`/accounts/{id}/${action}`, actionPath(summary, 'admin:accounts.manage')])),
  '/accounts/{id}/reveal': {
    post: {
      summary: 'One identifier of the account in full; recorded in the audit log as admin.account.revealed, naming which',
      description: 'Needs admin:accounts.reveal.',
      parameters: [ID_PARAMETER],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { identifier: { type: 'string', enum: [...REVEALABLE] } }, required: ['identifier'] } } } },
      responses: {
        200: { description: 'the identifier', content: { 'application/json': { schema: { type: 'object', properties: { identifier: { type: 'string' }, value: { type: 'string' } } } } } },
        400: { description: 'identifier missing or unknown', ...ERROR },
        403: { description: 'the token lacks admin:accounts.reveal', ...ERROR },
        404: { description: 'no such account, or it has no such identifier', ...ERROR },
      },
    },
  },
  '/accounts/{id}/delete': actionPath(
    'Erases the account on the person’s request (Decree 13/2023 Art. 16): identifiers, name, contact details, profile, password, second factor, sessions, tokens, consents; the audit trail stays and names only the account’s id. confirm must repeat the id',
    'admin:accounts.delete',
    { type: 'object', properties: { confirm: { type: 'string', format: 'uuid' } }, required: ['confirm'] },
  ),
};

export const accountsApi: ApiArea = {
    paths,
    addRoutes(router: Router, kit: ApiKit) {
      const admin = new AccountAdmin(kit.deps);
      const recorder = (ctx: Context): RecordAction => (action, target, details, trx) => kit.record(ctx, action, target, details, trx);

      /** The account of the path, with the caller's right over it; otherwise the answer is already an error. */
      async function accountFor(ctx: Context, permission: Permission): Promise<Account | undefined> {
        const id = String(ctx.params.id);
        if (!UUID.test(id)) return void kit.fail(ctx, 404, 'not_found', 'no such account');
        if (!kit.permits(ctx, permission)) return undefined;
        const account = await kit.deps.accounts.findById(id);
        if (!account) return void kit.fail(ctx, 404, 'not_found', 'no such account');
        if (permission !== 'accounts.read' && permission !== 'accounts.reveal') {
          if (isOperator(account.roles) && !reachesOperator(kit.operator(ctx), account)) return void kit.permits(ctx, 'operators.manage');
          if (account.status === 'deleted') return void kit.fail(ctx, 410, 'deleted', 'the account was deleted');
        }
        return account;
      }

      const answer = (ctx: Context, outcome: Outcome) => {
        if (outcome === 'last_super_admin') return kit.fail(ctx, 409, 'last_super_admin', 'this would leave no active super-administrator');
        ctx.body = { outcome };
      };

      router.get('/accounts', async (ctx) => {
        if (!kit.permits(ctx, 'accounts.read')) return;
        const { identifier, name } = ctx.query;
        if ((identifier === undefined) === (name === undefined) || Array.isArray(identifier) || Array.isArray(name)) {
          return kit.fail(ctx, 400, 'invalid_request', 'give exactly one of identifier and name, once');
        }
        const found = await admin.search(identifier !== undefined ? { identifier } : { name });
        if ('error' in found) return kit.fail(ctx, 400, 'invalid_request', found.error);
        await kit.record(ctx, 'account.searched', {}, { by: identifier !== undefined ? 'identifier' : 'name', found: found.accounts.length, more: found.more });
        ctx.body = { accounts: found.accounts.map(accountJson), more: found.more };
      });

      router.get('/accounts/:id', async (ctx) => {
        const account = await accountFor(ctx, 'accounts.read');
        if (!account) return;
        const details = (await admin.details(account.id))!;
        await kit.record(ctx, 'account.viewed', { accountId: account.id });
        ctx.body = {
          ...accountJson(account),
          created_at: details.createdAt.toISOString(),
          locked_until: details.lockedUntil?.toISOString() ?? null,
          second_factor: details.secondFactor,
          password_change_required: account.passwordChangeRequired,
        };
      });

      for (const [action, run] of Object.entries(ACTIONS)) {
        router.post(`/accounts/:id/${action}`, async (ctx) => {
          const account = await accountFor(ctx, 'accounts.manage');
          if (!account) return;
          answer(ctx, await run(admin, ctx, account, recorder(ctx)));
        });
      }

      router.post('/accounts/:id/reveal', async (ctx) => {
        const account = await accountFor(ctx, 'accounts.reveal');
        if (!account) return;
        const input = await kit.body(ctx);
        if (!input) return;
        if (!isRevealable(input.identifier)) return kit.fail(ctx, 400, 'invalid_request', `identifier must be one of ${REVEALABLE.join(', ')}`);
        const value = await admin.reveal(account, input.identifier, recorder(ctx));
        if (value === undefined) return kit.fail(ctx, 404, 'not_found', 'the account has no such identifier');
        ctx.body = { identifier: input.identifier, value };
      });

      router.post('/accounts/:id/delete', async (ctx) => {
        const account = await accountFor(ctx, 'accounts.delete');
        if (!account) return;
        const input = await kit.body(ctx);
        if (!input) return;
        if (input.confirm !== account.id) return kit.fail(ctx, 400, 'invalid_request', 'confirm must repeat the account’s id');
        answer(ctx, await admin.erase(ctx, account, recorder(ctx)));
      });
    },
};

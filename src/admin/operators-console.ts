// The console's operators area, `/admin/operators` and `/admin/agencies` (issue "operator
// console" point 3): who holds which role in which agency, an account found by its identifier
// and given roles and an agency, the agencies themselves. Who may give what is
// operator-roles.ts; a role change ends the account's console sessions.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { identifierCandidates, isOperatorRole, maskNationalId, maskTaxCode, OPERATOR_ROLES, operatorRoles, type Account, type Agency } from '../accounts/index.ts';
import { readForm, showError } from '../http/index.ts';
import type { MessageKey } from '../i18n/index.ts';
import { agenciesPage, operatorPage, operatorsPage, type OperatorShown } from '../../views/index.ts';
import { MAX_IDENTIFIER_LENGTH } from '../accounts/index.ts';
import type { RecordAction } from './account-admin.ts';
import type { ConsoleKit } from './console.ts';
import { OperatorAdmin, type RoleChangeOutcome } from './operator-admin.ts';
import { grantableRoles, reachesOperator } from './operator-roles.ts';
import { reachOf } from './permissions.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECTION = '/admin/operators';

export function shownOperator(account: Account, agencies: ReadonlyMap<string, Agency>): OperatorShown {
  const identifier = account.nationalId ? maskNationalId(account.nationalId) : account.taxCode ? maskTaxCode(account.taxCode) : null;
  return {
    id: account.id,
    name: account.fullName,
    identifier,
    roles: operatorRoles(account.roles).map((role) => `console.role.${role}` as const),
    agencyName: account.agencyId ? agencies.get(account.agencyId)?.name ?? null : null,
    disabled: account.status !== 'active',
  };
}

const RESULTS: Record<RoleChangeOutcome, { key: MessageKey; error?: boolean }> = {
  'done': { key: 'console_operators.saved' },
  'unchanged': { key: 'console_accounts.unchanged' },
  'last_super_admin': { key: 'console_accounts.last_super_admin', error: true },
  'no_agency': { key: 'console_operators.no_agency', error: true },
  'operators.forbidden': { key: 'console.forbidden', error: true },
  'operators.out_of_reach': { key: 'operators.out_of_reach', error: true },
  'operators.role_not_grantable': { key: 'operators.role_not_grantable', error: true },
  'operators.agency_not_allowed': { key: 'operators.agency_not_allowed', error: true },
};

export function operatorsConsole(router: Router, kit: ConsoleKit): void {
  const { config, csrf, accounts } = kit.deps;
  const admin = new OperatorAdmin(kit.deps);
  const recorder = (ctx: Context): RecordAction => (action, target, details, trx) => kit.record(ctx, action, target, details, trx);
  const agencyMap = async () => new Map((await admin.agencies.list()).map((agency) => [agency.id, agency]));

  function showList(ctx: Context, status: number, operators: readonly Account[], agencies: ReadonlyMap<string, Agency>, extra: { identifier?: string; error?: MessageKey } = {}) {
    const operator = kit.operator(ctx);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = operatorsPage(kit.shell(ctx, 'console_operators.heading'), kit.frame(ctx, SECTION), {
      operators: operators.map((account) => shownOperator(account, agencies)),
      csrfToken: csrf.issue(ctx, 'console:operators:find'),
      agencies: reachOf(operator, 'operators.manage') === 'all',
      ...extra,
    });
  }

  async function listFor(ctx: Context): Promise<Account[]> {
    const operator = kit.operator(ctx);
    return admin.list(operator, reachOf(operator, 'operators.manage') === 'all' ? 'all' : 'own_agency');
  }

  router.get('/operators', async (ctx) => {
    if (!kit.permits(ctx, 'operators.manage')) return;
    showList(ctx, 200, await listFor(ctx), await agencyMap());
  });

  // Finds the account to give a role by an identifier (as sign-in does: every spelling of it).
  router.post('/operators/find', async (ctx) => {
    if (!kit.permits(ctx, 'operators.manage')) return;
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, 'console:operators:find', form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const typed = (form.identifier ?? '').normalize('NFC').trim();
    const refuse = async (error: MessageKey) => showList(ctx, 400, await listFor(ctx), await agencyMap(), { identifier: typed.slice(0, MAX_IDENTIFIER_LENGTH), error });
    if (typed === '') return refuse('accounts.search_empty');
    if (typed.length > MAX_IDENTIFIER_LENGTH) return refuse('accounts.search_too_long');
    const found = (await accounts.findByIdentifier(identifierCandidates(typed), 2)).filter((account) => account.status !== 'deleted');
    if (found.length !== 1) return refuse(found.length ? 'console_operators.several' : 'console_operators.not_found');
    ctx.status = 303;
    ctx.redirect(`${SECTION}/${found[0]!.id}`);
  });

  /** The account of the path that this operator may manage the roles of; otherwise the page is a 404 or 403. */
  async function target(ctx: Context): Promise<Account | undefined> {
    const id = String(ctx.params.id);
    const account = UUID.test(id) ? await accounts.findById(id) : undefined;
    if (!account || account.status === 'deleted') return void showError(ctx, config, 404, 'console_accounts.not_found');
    if (!reachesOperator(kit.operator(ctx), account)) return void showError(ctx, config, 403, 'operators.out_of_reach');
    return account;
  }

  router.get('/operators/:id', async (ctx) => {
    if (!UUID.test(String(ctx.params.id))) return showError(ctx, config, 404, 'console_accounts.not_found');
    if (!kit.permits(ctx, 'operators.manage')) return;
    const account = await target(ctx);
    if (!account) return;
    const operator = kit.operator(ctx);
    const grantable = grantableRoles(operator, OPERATOR_ROLES);
    const held = operatorRoles(account.roles);
    const agencies = await agencyMap();
    const everywhere = reachOf(operator, 'operators.manage') === 'all';
    const choices = everywhere
      ? [...agencies.values()].map((agency) => ({ ...agency, current: agency.id === account.agencyId }))
      : [agencies.get(operator.agencyId!)].filter((agency): agency is Agency => agency !== undefined).map((agency) => ({ ...agency, current: true }));
    const result = typeof ctx.query.result === 'string' && Object.hasOwn(RESULTS, ctx.query.result) ? RESULTS[ctx.query.result as RoleChangeOutcome] : undefined;
    ctx.type = 'html';
    ctx.body = operatorPage(kit.shell(ctx, 'console_operators.heading'), kit.frame(ctx, SECTION), {
      operator: shownOperator(account, agencies),
      roles: grantable.map((role) => ({ role, label: `console.role.${role}` as const, held: held.includes(role) })),
      fixedRoles: held.filter((role) => !grantable.includes(role)).map((role) => `console.role.${role}` as const),
      agencies: choices,
      agencyChoice: everywhere,
      csrfToken: csrf.issue(ctx, `console:operator:${account.id}`),
      notice: result?.key,
      noticeIsError: result?.error,
    });
  });

  router.post('/operators/:id', async (ctx) => {
    const id = String(ctx.params.id);
    if (!UUID.test(id)) return showError(ctx, config, 404, 'console_accounts.not_found');
    if (!kit.permits(ctx, 'operators.manage')) return;
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, `console:operator:${id}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const account = await target(ctx);
    if (!account) return;
    const operator = kit.operator(ctx);
    const grantable = grantableRoles(operator, OPERATOR_ROLES);
    const kept = operatorRoles(account.roles).filter((role) => !grantable.includes(role));
    const roles = OPERATOR_ROLES.filter((role) => kept.includes(role) || (grantable.includes(role) && form[`role_${role}`] === '1'));
    let agencyId: string | null;
    if (reachOf(operator, 'operators.manage') === 'all') {
      const chosen = form.agency ?? '';
      if (chosen !== '' && !UUID.test(chosen)) return showError(ctx, config, 400, 'request.invalid');
      agencyId = chosen === '' ? null : chosen;
    } else {
      agencyId = roles.length === 0 && account.agencyId === null ? null : operator.agencyId;
    }
    const outcome = await admin.setRoles(operator, account, { roles: roles.filter(isOperatorRole), agencyId }, recorder(ctx));
    ctx.status = 303;
    ctx.redirect(`${SECTION}/${account.id}?result=${outcome}`);
  });

  function showAgencies(ctx: Context, status: number, agencies: readonly Agency[], extra: { name?: string; error?: MessageKey; created?: string } = {}) {
    const operator = kit.operator(ctx);
    const everywhere = reachOf(operator, 'operators.manage') === 'all';
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = agenciesPage(kit.shell(ctx, 'console_operators.agencies_heading'), kit.frame(ctx, SECTION), {
      agencies: everywhere ? agencies : agencies.filter((agency) => agency.id === operator.agencyId),
      csrfToken: everywhere ? csrf.issue(ctx, 'console:agencies') : undefined,
      ...extra,
    });
  }

  router.get('/agencies', async (ctx) => {
    if (!kit.permits(ctx, 'operators.manage')) return;
    const agencies = await admin.agencies.list();
    const created = typeof ctx.query.created === 'string' ? agencies.find((agency) => agency.id === ctx.query.created)?.name : undefined;
    showAgencies(ctx, 200, agencies, { created });
  });

  router.post('/agencies', async (ctx) => {
    if (!kit.permits(ctx, 'operators.manage')) return;
    // Making agencies is for whoever manages operators everywhere.
    if (reachOf(kit.operator(ctx), 'operators.manage') !== 'all') return showError(ctx, config, 403, 'console.forbidden');
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, 'console:agencies', form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const name = form.name ?? '';
    const created = await admin.createAgency(name, (agency, trx) => kit.record(ctx, 'agency.created', {}, { agency: agency.id, name: agency.name }, trx));
    if ('error' in created) return showAgencies(ctx, 400, await admin.agencies.list(), { name: name.slice(0, 200), error: created.error });
    ctx.status = 303;
    ctx.redirect(`/admin/agencies?created=${created.id}`);
  });
}

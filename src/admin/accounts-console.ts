// The console's accounts area, `/admin/accounts` (issue "operator console" point 6): search by an
// identifier or a name, an account's page with its identifiers masked, and the actions of
// account-admin.ts as forms. Every page checks the operator's role on the server; an account that
// holds an operator role is changed only by whoever also manages operators over it, so an
// account operator cannot disable or erase a super-administrator.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { AgencyStore, isOperator, maskNationalId, maskPhone, maskTaxCode, operatorRoles, type Account } from '../accounts/index.ts';
import { readForm, showError } from '../http/index.ts';
import type { MessageKey } from '../i18n/index.ts';
import {
  accountDeletePage, accountPage, accountRevealPage, accountSearchPage,
  type AccountAction, type AccountShown,
} from '../../views/index.ts';
import { AccountAdmin, isRevealable, SEARCH_LIMIT, type Outcome, type RecordAction } from './account-admin.ts';
import type { ConsoleKit } from './console.ts';
import { reachesOperator } from './operator-roles.ts';
import { allows, type Permission } from './permissions.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECTION = '/admin/accounts';

/** An account as the console shows it: every identifier masked (Decree 13/2023). */
export function shownAccount(account: Account): AccountShown {
  return {
    id: account.id,
    name: account.fullName,
    type: account.type,
    status: account.status,
    nationalIdKind: account.nationalIdKind,
    nationalId: account.nationalId ? maskNationalId(account.nationalId) : null,
    taxCode: account.taxCode ? maskTaxCode(account.taxCode) : null,
    phone: account.phone ? maskPhone(account.phone) : null,
    username: account.username,
  };
}

/** What the operator types to confirm an erasure: the start of the account's id, shown on the page. */
export function deletionCode(accountId: string): string {
  return accountId.slice(0, 8);
}

/** The change actions, each with the function of account-admin.ts it runs. */
const ACTIONS: Record<AccountAction, (admin: AccountAdmin, ctx: Context, account: Account, record: RecordAction) => Promise<Outcome>> = {
  'disable': (admin, ctx, account, record) => admin.disable(ctx, account, record),
  'enable': (admin, _ctx, account, record) => admin.enable(account, record),
  'require-password-change': (admin, _ctx, account, record) => admin.requirePasswordChange(account, record),
  'unlock': (admin, _ctx, account, record) => admin.unlock(account, record),
  'revoke-sessions': (admin, ctx, account, record) => admin.revokeSessions(ctx, account, record),
};

/** The notice an action's result shows on the account's page, from its address (`?result=`). */
const RESULTS: Record<string, { key: MessageKey; error?: boolean }> = {
  'disable.done': { key: 'console_accounts.done.disable' },
  'disable.unchanged': { key: 'console_accounts.unchanged' },
  'enable.done': { key: 'console_accounts.done.enable' },
  'enable.unchanged': { key: 'console_accounts.unchanged' },
  'require-password-change.done': { key: 'console_accounts.done.require-password-change' },
  'require-password-change.unchanged': { key: 'console_accounts.unchanged' },
  'unlock.done': { key: 'console_accounts.done.unlock' },
  'unlock.unchanged': { key: 'console_accounts.done.unlock_nothing' },
  'revoke-sessions.done': { key: 'console_accounts.done.revoke-sessions' },
  'delete.done': { key: 'console_accounts.done.delete' },
  'delete.unchanged': { key: 'console_accounts.unchanged' },
  'last_super_admin': { key: 'console_accounts.last_super_admin', error: true },
};

export function accountsConsole(router: Router, kit: ConsoleKit): void {
  const { config, csrf } = kit.deps;
  const admin = new AccountAdmin(kit.deps);
  const agencies = new AgencyStore(kit.deps.knex);
  const recorder = (ctx: Context): RecordAction => (action, target, details, trx) => kit.record(ctx, action, target, details, trx);

  /** The account named by the path, or a 404 page (an id that is no UUID never reaches the database). */
  async function accountOf(ctx: Context): Promise<Account | undefined> {
    const id = String(ctx.params.id);
    const described = UUID.test(id) ? await kit.deps.accounts.findById(id) : undefined;
    if (!described) showError(ctx, config, 404, 'console_accounts.not_found');
    return described;
  }

  /** Whether the operator may change this account: an operator's account needs operators.manage over it too; when not, a 403 page. */
  function permitsChange(ctx: Context, account: Account): boolean {
    if (isOperator(account.roles) && !reachesOperator(kit.operator(ctx), account)) {
      showError(ctx, config, 403, 'console_accounts.operator_account');
      return false;
    }
    return true;
  }

  /** A POST of the console: the operator's permission, then the form and its CSRF token for `scope`. */
  async function posted(ctx: Context, permission: Permission, scope: (id: string) => string): Promise<{ form: Record<string, string>; account: Account } | undefined> {
    const id = String(ctx.params.id);
    if (!UUID.test(id)) return void showError(ctx, config, 404, 'console_accounts.not_found');
    if (!kit.permits(ctx, permission)) return undefined;
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, scope(id), form._csrf)) return void showError(ctx, config, 403, 'csrf.invalid');
    const account = await accountOf(ctx);
    if (!account) return undefined;
    return { form, account };
  }

  const actionScope = (id: string) => `console:account:${id}`;
  const revealScope = (id: string) => `console:account-reveal:${id}`;
  const deleteScope = (id: string) => `console:account-delete:${id}`;

  function showSearch(ctx: Context, status: number, props: Omit<Parameters<typeof accountSearchPage>[2], 'csrfToken'>) {
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = accountSearchPage(kit.shell(ctx, 'console_accounts.search.heading'), kit.frame(ctx, SECTION), { ...props, csrfToken: csrf.issue(ctx, 'console:accounts:search') });
  }

  router.get('/accounts', async (ctx) => {
    if (!kit.permits(ctx, 'accounts.read')) return;
    showSearch(ctx, 200, {});
  });

  router.post('/accounts', async (ctx) => {
    if (!kit.permits(ctx, 'accounts.read')) return;
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, 'console:accounts:search', form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const by = form.by === 'name' ? 'name' : 'identifier';
    const typed = (by === 'name' ? form.name : form.identifier) ?? '';
    const found = await admin.search(by === 'name' ? { name: typed } : { identifier: typed });
    const echo = typed.slice(0, by === 'name' ? 100 : 256);
    const kept = by === 'name' ? { name: echo } : { identifier: echo };
    if ('error' in found) return showSearch(ctx, 400, { ...kept, error: { field: by, code: found.error } });
    // What was typed is personal data: the log keeps how the search was made and how many it found.
    await kit.record(ctx, 'account.searched', {}, { by, found: found.accounts.length, more: found.more });
    showSearch(ctx, 200, { ...kept, results: { accounts: found.accounts.map(shownAccount), more: found.more, limit: SEARCH_LIMIT } });
  });

  router.get('/accounts/:id', async (ctx) => {
    const id = String(ctx.params.id);
    if (!UUID.test(id)) return showError(ctx, config, 404, 'console_accounts.not_found');
    if (!kit.permits(ctx, 'accounts.read')) return;
    const details = await admin.details(id);
    if (!details) return showError(ctx, config, 404, 'console_accounts.not_found');
    const { account } = details;
    await kit.record(ctx, 'account.viewed', { accountId: account.id });
    const operator = kit.operator(ctx);
    const changeable = account.status !== 'deleted' && (!isOperator(account.roles) || reachesOperator(operator, account));
    const may = (permission: Permission) => changeable && allows(operator, permission);
    const actions: AccountAction[] = !may('accounts.manage')
      ? []
      : [account.status === 'disabled' ? 'enable' as const : 'disable' as const, 'require-password-change', 'unlock', 'revoke-sessions'];
    const token = actions.length ? csrf.issue(ctx, actionScope(account.id)) : '';
    const result = typeof ctx.query.result === 'string' ? RESULTS[ctx.query.result] : undefined;
    const agency = account.agencyId ? await agencies.find(account.agencyId) : undefined;
    const shell = kit.shell(ctx, 'console_accounts.account_title');
    ctx.status = 200;
    ctx.type = 'html';
    ctx.body = accountPage(shell, kit.frame(ctx, SECTION), {
      account: shownAccount(account),
      roles: operatorRoles(account.roles).map((role) => `console.role.${role}` as const),
      agencyName: agency?.name ?? null,
      createdAt: details.createdAt,
      updatedAt: account.updatedAt,
      lockedUntil: details.lockedUntil,
      secondFactor: details.secondFactor,
      passwordChangeRequired: account.passwordChangeRequired,
      notice: result?.key,
      noticeIsError: result?.error,
      actions: actions.map((action) => ({ action, csrfToken: token })),
      reveal: account.status !== 'deleted' && allows(operator, 'accounts.reveal') ? { csrfToken: csrf.issue(ctx, revealScope(account.id)) } : undefined,
      canDelete: may('accounts.delete'),
    });
  });

  for (const action of Object.keys(ACTIONS) as AccountAction[]) {
    router.post(`/accounts/:id/${action}`, async (ctx) => {
      const state = await posted(ctx, 'accounts.manage', actionScope);
      if (!state || !permitsChange(ctx, state.account)) return;
      if (state.account.status === 'deleted') return showError(ctx, config, 410, 'console_accounts.deleted');
      const outcome = await ACTIONS[action](admin, ctx, state.account, recorder(ctx));
      ctx.status = 303;
      ctx.redirect(`${SECTION}/${state.account.id}?result=${outcome === 'last_super_admin' ? outcome : `${action}.${outcome}`}`);
    });
  }

  // The language switch of the page a reveal answers links here: back to the account, masked.
  router.get('/accounts/:id/reveal', async (ctx) => {
    const id = String(ctx.params.id);
    if (!UUID.test(id)) return showError(ctx, config, 404, 'console_accounts.not_found');
    ctx.status = 303;
    ctx.redirect(`${SECTION}/${id}${ctx.querystring ? `?${ctx.querystring}` : ''}`);
  });

  router.post('/accounts/:id/reveal', async (ctx) => {
    const state = await posted(ctx, 'accounts.reveal', revealScope);
    if (!state) return;
    const { form, account } = state;
    if (!isRevealable(form.identifier)) return showError(ctx, config, 400, 'request.invalid');
    const value = await admin.reveal(account, form.identifier, recorder(ctx));
    if (value === undefined) return showError(ctx, config, 404, 'console_accounts.no_such_identifier');
    const shell = kit.shell(ctx, 'console_accounts.account_title');
    ctx.status = 200;
    ctx.type = 'html';
    ctx.body = accountRevealPage(shell, kit.frame(ctx, SECTION), { account: shownAccount(account), identifier: form.identifier, value });
  });

  function showDelete(ctx: Context, status: number, account: Account, wrongCode = false) {
    const shell = kit.shell(ctx, 'console_accounts.delete.title');
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = accountDeletePage(shell, kit.frame(ctx, SECTION), {
      account: shownAccount(account), csrfToken: csrf.issue(ctx, deleteScope(account.id)), code: deletionCode(account.id), wrongCode,
    });
  }

  router.get('/accounts/:id/delete', async (ctx) => {
    const id = String(ctx.params.id);
    if (!UUID.test(id)) return showError(ctx, config, 404, 'console_accounts.not_found');
    if (!kit.permits(ctx, 'accounts.delete')) return;
    const account = await accountOf(ctx);
    if (!account || !permitsChange(ctx, account)) return;
    if (account.status === 'deleted') return showError(ctx, config, 410, 'console_accounts.deleted');
    if (!kit.recentlySignedIn(ctx, `${SECTION}/${id}/delete`)) return;
    showDelete(ctx, 200, account);
  });

  router.post('/accounts/:id/delete', async (ctx) => {
    const state = await posted(ctx, 'accounts.delete', deleteScope);
    if (!state || !permitsChange(ctx, state.account)) return;
    const { form, account } = state;
    if (account.status === 'deleted') return showError(ctx, config, 410, 'console_accounts.deleted');
    // A dangerous action: the operator proved who they are within REAUTH_SECONDS, on the POST too.
    if (!kit.recentlySignedIn(ctx, `${SECTION}/${account.id}/delete`)) return;
    if ((form.confirm ?? '').trim().toLowerCase() !== deletionCode(account.id)) return showDelete(ctx, 400, account, true);
    const outcome = await admin.erase(ctx, account, recorder(ctx));
    ctx.status = 303;
    ctx.redirect(`${SECTION}/${account.id}?result=${outcome === 'last_super_admin' ? outcome : `delete.${outcome}`}`);
  });
}

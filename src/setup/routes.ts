// `GET/POST /setup/<token>`: the first super-administrator, made in a browser through the
// single-use link printed at start (first-run.ts), with the fields and rules of `admin:create`
// (admin/operator-create.ts). The link is refused, and nothing made, once it is unknown,
// expired or used, or once any account holds an operator role (made meanwhile by
// `admin:create`, or by another node's link); in production also from an address other than
// this machine's and those of SETUP_ALLOWED_ADDRESSES.
import Router from '@koa/router';
import type { Context } from 'koa';
import { BlockList, isIP } from 'node:net';
import type { Config } from '../config.ts';
import type { Clock } from '../clock.ts';
import { lockQuotaKeys, type Knex } from '../db/index.ts';
import { DuplicateAccountError, type AccountStore } from '../accounts/index.ts';
import { keptValues, validateRegistration, type FieldDefinition, type FieldError } from '../accounts/registration/index.ts';
import { createCitizenAccount, operatorFields } from '../admin/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { ADMIN_PATH, type Csrf, formErrors, readForm, requestFacts, showError } from '../http/index.ts';
import type { MessageKey } from '../i18n/index.ts';
import { pageShell, setupDonePage, setupPage, vietnamTime } from '../../views/index.ts';
import type { SetupTokens, SetupTokenState } from './tokens.ts';

export interface SetupDeps {
  config: Config;
  knex: Knex;
  clock: Clock;
  accounts: AccountStore;
  audit: AuditLog;
  csrf: Csrf;
  setupTokens: SetupTokens;
}

/** The first administrator's role: every management function (admin/permissions.ts). */
const FIRST_ROLES = ['super_admin'];

// What `admin:create` asks, in the order a person has it at hand: the card, the person, the
// phone, then the account. The personal number only (the CLI's --national-id): an operator is
// a civil servant with a citizen identity card.
const NAMES = ['idNumber', 'fullName', 'birthdate', 'gender', 'phone', 'username', 'password', 'passwordConfirmation'];

/** The fields the page shows, and the ones checked: the document's type too, always the personal number. */
function setupFields(): { shown: FieldDefinition[]; checked: FieldDefinition[] } {
  const declared = operatorFields('citizen', ['idType', ...NAMES]);
  const shown = NAMES.map((name) => declared.find((field) => field.name === name)!).map((field): FieldDefinition =>
    field.name === 'idNumber' ? { ...field, label: 'setup.field.national_id', hint: 'setup.field.national_id_hint', inputmode: 'numeric' }
      // No code is sent to it here: the phone is the account's, for its security notices.
      : field.name === 'phone' ? { ...field, hint: 'setup.field.phone_hint' } : field,
  );
  return { shown, checked: [declared.find((field) => field.name === 'idType')!, ...shown] };
}

const REFUSALS: Record<Exclude<SetupTokenState['state'], 'valid'> | 'operator_exists', { status: number; code: MessageKey }> = {
  unknown: { status: 404, code: 'setup.link_unknown' },
  expired: { status: 410, code: 'setup.link_expired' },
  used: { status: 410, code: 'setup.link_used' },
  operator_exists: { status: 410, code: 'setup.admin_exists' },
};

/** The link stopped being usable between the page's check and the transaction that would use it. */
class SetupRefused extends Error {
  readonly reason: keyof typeof REFUSALS;
  constructor(reason: keyof typeof REFUSALS) {
    super(`set-up refused: ${reason}`);
    this.reason = reason;
  }
}

/**
 * Who may open the link: anyone outside production (the link is printed on the developer's
 * screen); in production this machine and SETUP_ALLOWED_ADDRESSES only, by the address the
 * request came from (with TRUST_PROXY, the one the load balancer saw).
 */
function allowedAddresses(config: Pick<Config, 'env' | 'setupAllowedAddresses'>): (ip: string) => boolean {
  if (config.env !== 'production') return () => true;
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  for (const range of config.setupAllowedAddresses) list.addSubnet(range.address, range.prefix, range.family);
  return (ip) => {
    // An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d.
    const address = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1] ?? ip;
    const version = isIP(address);
    return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
}

export function setupRoutes(deps: SetupDeps): Router {
  const { config, knex, clock, accounts, audit, csrf, setupTokens } = deps;
  const router = new Router();
  const fields = setupFields();
  const allowed = allowedAddresses(config);
  router.use('/setup', formErrors(config));

  function refuse(ctx: Context, reason: keyof typeof REFUSALS) {
    const { status, code } = REFUSALS[reason];
    showError(ctx, config, status, code);
  }

  /** When the link of this request stops working, if it may be used now; otherwise the refusal is answered. */
  async function usable(ctx: Context): Promise<Date | undefined> {
    if (!allowed(ctx.ip)) {
      showError(ctx, config, 403, 'setup.address_refused');
      return undefined;
    }
    const found = await setupTokens.state(ctx.params.token);
    if (found.state !== 'valid') {
      refuse(ctx, found.state);
      return undefined;
    }
    if (await accounts.hasOperator()) {
      refuse(ctx, 'operator_exists');
      return undefined;
    }
    return found.expiresAt;
  }

  function showForm(ctx: Context, status: number, expiresAt: Date, values: Record<string, string>, errors: Record<string, FieldError>, formError?: MessageKey) {
    const shell = pageShell(ctx, config, 'setup.title');
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = setupPage(shell, {
      csrfToken: csrf.issue(ctx, 'setup'),
      action: `/setup/${ctx.params.token}${shell.locale === 'en' ? '?lang=en' : ''}`,
      fields: fields.shown,
      values,
      errors,
      formError,
      expiresAt: vietnamTime(expiresAt),
      passwordMinLength: config.passwordPolicy.minLength,
    });
  }

  router.get('/setup/:token', async (ctx) => {
    const expiresAt = await usable(ctx);
    if (expiresAt !== undefined) showForm(ctx, 200, expiresAt, {}, {});
  });

  router.post('/setup/:token', async (ctx) => {
    const expiresAt = await usable(ctx);
    if (expiresAt === undefined) return;
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, 'setup', form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    // Every field checked at once, as registration does; the personal number is the document.
    const checked = validateRegistration('citizen', { ...form, idType: 'cccd' }, { now: clock.now(), passwordPolicy: config.passwordPolicy, fields: fields.checked });
    if (!checked.ok) return showForm(ctx, 400, expiresAt, checked.kept, checked.errors);
    const token = ctx.params.token;
    let fullName: string;
    try {
      // One set-up at a time, whichever node or link: the link is used up, the account made and
      // its event recorded together, after checking again that no operator exists. Two posts at
      // once make one administrator; the other is told the link was used.
      fullName = await knex.transaction(async (trx) => {
        await lockQuotaKeys(trx, ['setup.first_administrator']);
        const now = await setupTokens.state(token, trx);
        if (now.state !== 'valid') throw new SetupRefused(now.state);
        if (await accounts.hasOperator(trx)) throw new SetupRefused('operator_exists');
        const account = await createCitizenAccount(deps, {
          nationalId: form.idNumber ?? '',
          fullName: form.fullName ?? '',
          birthdate: form.birthdate ?? '',
          gender: form.gender ?? '',
          phone: form.phone ?? '',
          username: form.username ?? '',
          password: form.password ?? '',
          roles: FIRST_ROLES,
        }, trx);
        if (!(await setupTokens.use(trx, token, account.id))) throw new SetupRefused('used');
        await audit.recordIn(trx, { type: 'setup.admin_created', accountId: account.id, ...requestFacts(ctx), details: { roles: FIRST_ROLES.join(' ') } });
        return account.fullName;
      });
    } catch (error) {
      if (error instanceof SetupRefused) return refuse(ctx, error.reason);
      if (error instanceof DuplicateAccountError) return showForm(ctx, 409, expiresAt, keptValues('citizen', form), {}, `register.duplicate_${error.field}`);
      throw error;
    }
    ctx.type = 'html';
    ctx.body = setupDonePage(pageShell(ctx, config, 'setup.done_title'), { fullName, adminHref: ADMIN_PATH });
  });

  return router;
}

// A citizen turns on two-step verification for themselves (SPEC §2: optional for citizens,
// required for administrators), from a browser already signed in at xacthuc.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import type { Config } from '../config.ts';
import type { AccountStore, AccountNotifier } from '../accounts/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { type Csrf, readForm, requestFacts } from '../http/index.ts';
import { pageShell, noticePage, recoveryCodesPage, totpEnrolPage } from '../../views/index.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { TotpError, type TotpFactors, confirmAuthenticator } from '../otp/index.ts';

export interface TwoFactorDeps {
  config: Config;
  provider: Provider;
  accounts: AccountStore;
  totp: TotpFactors;
  notifier: AccountNotifier;
  audit: AuditLog;
  csrf: Csrf;
}

const PATH = '/account/two-factor';

export function addTwoFactorRoutes(router: Router, deps: TwoFactorDeps): void {
  const { config, provider, accounts, totp, notifier, audit, csrf } = deps;

  function notice(ctx: Context, status: number, titleKey: MessageKey, messageKey: MessageKey) {
    const shell = pageShell(ctx, config, titleKey);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = noticePage(shell, { title: t(shell.locale, titleKey), message: t(shell.locale, messageKey) });
  }

  /** The account this browser is signed in as at xacthuc (the provider's session cookie). */
  async function signedIn(ctx: Context) {
    const session = await provider.Session.get(ctx);
    const account = session.accountId ? await accounts.findById(session.accountId) : undefined;
    return account?.status === 'active' ? account : undefined;
  }

  async function renderEnrolment(ctx: Context, accountId: string, label: string, status: number, error?: MessageKey) {
    const enrolment = await totp.beginEnrolment(accountId, label);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = totpEnrolPage(pageShell(ctx, config, 'totp.enrol_heading'), {
      csrfToken: csrf.issue(ctx, `two-factor:${accountId}`),
      action: PATH,
      ticket: '',
      ...enrolment,
      required: false,
      error,
    });
  }

  router.get(PATH, async (ctx) => {
    const account = await signedIn(ctx);
    if (!account) return notice(ctx, 401, 'totp.enrol_heading', 'two_factor.sign_in_first');
    if (await totp.isEnrolled(account.id)) return notice(ctx, 200, 'totp.enrol_heading', 'totp.already_enrolled');
    await renderEnrolment(ctx, account.id, account.username ?? account.fullName, 200);
  });

  router.post(PATH, async (ctx) => {
    const form = await readForm(ctx);
    const account = await signedIn(ctx);
    if (!account) return notice(ctx, 401, 'totp.enrol_heading', 'two_factor.sign_in_first');
    if (!csrf.verify(ctx, `two-factor:${account.id}`, form._csrf)) return notice(ctx, 403, 'error.title', 'csrf.invalid');
    let codes: string[];
    try {
      codes = await confirmAuthenticator({ totp, audit }, requestFacts(ctx), account.id, form.code);
    } catch (error) {
      if (!(error instanceof TotpError)) throw error;
      if (error.code === 'totp.already_enrolled') return notice(ctx, 409, 'totp.enrol_heading', 'totp.already_enrolled');
      return renderEnrolment(ctx, account.id, account.username ?? account.fullName, 400, error.code);
    }
    await notifier.notify(account.phone, 'second_factor_added');
    ctx.type = 'html';
    ctx.body = recoveryCodesPage(pageShell(ctx, config, 'totp.codes_heading'), {
      csrfToken: csrf.issue(ctx, `two-factor-done:${account.id}`),
      action: `${PATH}/done`,
      ticket: '',
      codes,
    });
  });

  router.post(`${PATH}/done`, async (ctx) => notice(ctx, 200, 'totp.enrol_heading', 'two_factor.enabled'));
}

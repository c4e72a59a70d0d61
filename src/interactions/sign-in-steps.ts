// What follows a right password, before any token is issued (SPEC §2): a second factor
// when the account has one or the app asks for more than a password; an authenticator
// for administrators, who may not sign in without one; a new password when the old one
// expired (Hue-S Art. 9.1: at least every 90 days) or an operator asked; a warning in the
// 14 days before expiry. Each step's page carries a signed ticket of what is proven so far.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Clock } from '../clock.ts';
import { flushDeferredWrites, type Knex } from '../db/index.ts';
import { revokeAccountSessions } from '../oidc/adapter.ts';
import { sendBackchannelLogouts } from '../oidc/backchannel-logout.ts';
import type { Account, AccountStore } from '../accounts/index.ts';
import { maskPhone } from '../accounts/index.ts';
import type { AccountNotifier } from '../accounts/notifications.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Csrf } from '../http/csrf.ts';
import { readForm } from '../http/form.ts';
import { localeOf, pageShell } from '../http/page-shell.ts';
import type { MessageKey } from '../i18n/index.ts';
import { ACR } from '../oidc/configuration.ts';
import { OtpError, TotpError, type SmsOtp, type TotpFactors } from '../otp/index.ts';
import { hashPassword, passwordStatus } from '../passwords/index.ts';
import type { Attempt, SignInLockout } from '../passwords/lockout.ts';
import { otpPage } from '../../views/otp.ts';
import { passwordChangePage, passwordWarningPage, recoveryCodesPage, totpEnrolPage, totpPage } from '../../views/security.ts';
import { finish, requestFacts, showError, type Interaction } from './respond.ts';
import type { Ticket, TicketSigner } from './sign-in-ticket.ts';
import { nextStep } from './sign-in/next-step.ts';
import { wantsSecondFactor } from './sign-in/requested-acr.ts';
import { newPasswordErrors } from './new-password.ts';
import { sendCode, type CodeFailure } from './send-code.ts';

export interface SignInStepDeps {
  config: Config;
  knex: Knex;
  clock: Clock;
  provider: Provider;
  accounts: AccountStore;
  totp: TotpFactors;
  otp: SmsOtp;
  lockout: SignInLockout;
  notifier: AccountNotifier;
  audit: AuditLog;
  csrf: Csrf;
  tickets: TicketSigner;
}

const SECOND_FACTOR_METHODS = new Set(['otp', 'sms']);

/** What a sign-in has proven, without the step it is at. */
export type StepState = Omit<Ticket, 'expiresAt' | 'step'>;

export function signInSteps(deps: SignInStepDeps) {
  const { config, knex, clock, provider, accounts, totp, otp, lockout, notifier, audit, csrf, tickets } = deps;

  function shellFor(ctx: Context, interaction: Interaction, title: MessageKey) {
    return pageShell(ctx, config, title, localeOf(ctx, interaction.params.ui_locales));
  }

  function render(ctx: Context, status: number, body: string) {
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = body;
  }

  /** A step's form: posts to `path`, with a ticket and a CSRF token good for `name` only. */
  function step(ctx: Context, interaction: Interaction, ticket: StepState, path: string, name = path) {
    return {
      csrfToken: csrf.issue(ctx, `step:${interaction.uid}:${name}`),
      action: `/interaction/${interaction.uid}/${path}`,
      ticket: tickets.issue({ ...ticket, step: name }, clock.now()),
    };
  }

  async function sendSignInCode(ctx: Context, account: Account, ticket: StepState, interaction: Interaction, error?: CodeFailure) {
    const challenge = ticket.challengeId ? await otp.find(ticket.challengeId) : await otp.create({ purpose: 'sign_in', subject: account.id, phone: account.phone! });
    const failure = !ticket.challengeId && challenge ? ((await sendCode(otp, challenge, ctx.ip)) ?? error) : error;
    const next = { ...ticket, challengeId: challenge!.id };
    const form = step(ctx, interaction, next, 'sms-code');
    render(ctx, failure ? 400 : 200, otpPage(shellFor(ctx, interaction, 'sms_code.heading'), {
      csrfToken: form.csrfToken,
      action: form.action,
      resendAction: `/interaction/${interaction.uid}/sms-code/resend`,
      hidden: { ticket: form.ticket },
      heading: 'sms_code.heading',
      maskedPhone: maskPhone(account.phone!),
      ...failure,
    }));
  }

  /** Shows the next step the sign-in needs (next-step.ts decides which), or finishes it. */
  async function proceed(ctx: Context, interaction: Interaction, account: Account, ticket: StepState): Promise<void> {
    const next = nextStep({
      secondFactorDone: ticket.secondFactor,
      // Read only while a second factor may still be asked for.
      totpEnrolled: !ticket.secondFactor && (await totp.isEnrolled(account.id)),
      isAdmin: account.roles.includes('admin'),
      wantsSecondFactor: wantsSecondFactor(interaction),
      hasPhone: Boolean(account.phone),
      hasPassword: Boolean(account.passwordHash),
      passwordChangeRequired: account.passwordChangeRequired,
      passwordStatus: passwordStatus(account.passwordChangedAt, clock.now(), config.passwordPolicy),
      warned: ticket.warned,
    });
    switch (next.step) {
      case 'totp':
        return render(ctx, 200, totpPage(shellFor(ctx, interaction, 'totp.heading'), step(ctx, interaction, ticket, 'totp')));
      case 'totp-enrol': {
        const enrolment = await totp.beginEnrolment(account.id, account.username ?? account.fullName);
        return render(ctx, 200, totpEnrolPage(shellFor(ctx, interaction, 'totp.enrol_heading'), { ...step(ctx, interaction, ticket, 'totp-enrol'), ...enrolment, required: true }));
      }
      case 'sms-code':
        return sendSignInCode(ctx, account, ticket, interaction);
      case 'password-change':
        return render(ctx, 200, passwordChangePage(shellFor(ctx, interaction, 'password_change.heading'), { ...step(ctx, interaction, ticket, 'password'), reason: next.reason, errors: [] }));
      case 'password-warning': {
        const form = step(ctx, interaction, ticket, 'password-now', 'password-warning');
        return render(ctx, 200, passwordWarningPage(shellFor(ctx, interaction, 'password_warning.heading'), { ...form, laterAction: `/interaction/${interaction.uid}/password-later`, daysLeft: next.daysLeft }));
      }
      case 'finish':
        break;
    }

    const strong = ticket.amr.some((method) => SECOND_FACTOR_METHODS.has(method));
    await audit.record({ type: 'signin.succeeded', accountId: account.id, clientId: String(interaction.params.client_id), ...requestFacts(ctx), details: { amr: ticket.amr.join(' ') } });
    await finish(ctx, provider, { login: { accountId: account.id, acr: strong ? ACR.secondFactor : ACR.password, amr: ticket.amr, remember: true } });
  }

  /**
   * The ticket and account of a post to step `name`, or an error page. A ticket issued for
   * another step is refused: no step can be skipped by posting elsewhere.
   */
  async function continuing(ctx: Context, name: string): Promise<{ interaction: Interaction; ticket: Ticket; account: Account; form: Record<string, string> } | undefined> {
    const interaction = ctx.state.interaction as Interaction;
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, `step:${interaction.uid}:${name}`, form._csrf)) {
      showError(ctx, config, 403, 'csrf.invalid');
      return undefined;
    }
    const read = tickets.read(form.ticket, interaction.uid, clock.now());
    const ticket = read?.step === name ? read : undefined;
    const account = ticket ? await accounts.findById(ticket.accountId) : undefined;
    if (!ticket || !account || account.status !== 'active') {
      showError(ctx, config, 400, 'signin.step_expired');
      return undefined;
    }
    return { interaction, ticket, account, form };
  }

  /**
   * Counts a second-factor attempt before its code is checked (SPEC R6), under
   * the account's own second-factor key: at most the limit of codes are ever checked per
   * window, concurrent ones included, and a right password does not reset the count. Not
   * allowed when locked: even the right code is then refused.
   */
  async function reserveSecondFactor(account: Account): Promise<Attempt> {
    return lockout.reserve([`second-factor:${account.id}`]);
  }

  /** A wrong code that reached the limit locks the second factor; the holder is told. */
  async function wrongSecondFactor(ctx: Context, account: Account, attempt: Attempt): Promise<boolean> {
    if (attempt.locksIfWrong) {
      await audit.record({ type: 'account.locked', accountId: account.id, ...requestFacts(ctx) });
      void notifier.notify(account.phone, 'account_locked');
    }
    return attempt.locksIfWrong;
  }

  /** Only a right second factor clears the count of wrong codes. */
  async function rightSecondFactor(account: Account): Promise<void> {
    await lockout.clear({ cleared: [`second-factor:${account.id}`] });
  }

  function addRoutes(router: Router): void {
    router.post('/totp', async (ctx) => {
      const state = await continuing(ctx, 'totp');
      if (!state) return;
      const { interaction, ticket, account, form } = state;
      const attempt = await reserveSecondFactor(account);
      if (!attempt.allowed) return showError(ctx, config, 429, 'totp.too_many_attempts');
      const code = (form.code ?? '').trim();
      try {
        if (/^\d{3}\s?\d{3}$/.test(code)) await totp.verify(account.id, code.replace(/\s/g, ''));
        else await totp.useRecoveryCode(account.id, code);
      } catch (error) {
        if (!(error instanceof TotpError)) throw error;
        const locked = await wrongSecondFactor(ctx, account, attempt);
        await audit.record({ type: 'signin.failed', accountId: account.id, ...requestFacts(ctx), details: { reason: error.code } });
        if (locked) return showError(ctx, config, 429, 'totp.too_many_attempts');
        return render(ctx, 400, totpPage(shellFor(ctx, interaction, 'totp.heading'), { ...step(ctx, interaction, ticket, 'totp'), error: error.code }));
      }
      await rightSecondFactor(account);
      await proceed(ctx, interaction, account, { ...ticket, secondFactor: true, amr: [...ticket.amr, 'otp'] });
    });

    router.post('/sms-code', async (ctx) => {
      const state = await continuing(ctx, 'sms-code');
      if (!state) return;
      const { interaction, ticket, account, form } = state;
      if (!ticket.challengeId) return showError(ctx, config, 400, 'signin.step_expired');
      const attempt = await reserveSecondFactor(account);
      if (!attempt.allowed) return showError(ctx, config, 429, 'totp.too_many_attempts');
      try {
        await otp.verify({ id: ticket.challengeId, purpose: 'sign_in', subject: account.id }, (form.code ?? '').trim());
      } catch (error) {
        if (!(error instanceof OtpError)) throw error;
        await audit.record({ type: 'otp.failed', accountId: account.id, ...requestFacts(ctx), details: { purpose: 'sign_in', reason: error.code } });
        if (await wrongSecondFactor(ctx, account, attempt)) return showError(ctx, config, 429, 'totp.too_many_attempts');
        return sendSignInCode(ctx, account, ticket, interaction, { error: error.code, errorParams: error.params });
      }
      await rightSecondFactor(account);
      await proceed(ctx, interaction, account, { ...ticket, challengeId: undefined, secondFactor: true, amr: [...ticket.amr, 'sms'] });
    });

    router.post('/sms-code/resend', async (ctx) => {
      const state = await continuing(ctx, 'sms-code');
      if (!state) return;
      const { interaction, ticket, account } = state;
      const challenge = ticket.challengeId ? await otp.find(ticket.challengeId) : undefined;
      if (!challenge) return showError(ctx, config, 400, 'signin.step_expired');
      return sendSignInCode(ctx, account, ticket, interaction, await sendCode(otp, challenge, ctx.ip));
    });

    router.post('/totp-enrol', async (ctx) => {
      const state = await continuing(ctx, 'totp-enrol');
      if (!state) return;
      const { interaction, ticket, account, form } = state;
      let codes: string[];
      try {
        codes = await totp.confirmEnrolment(account.id, (form.code ?? '').replace(/\s/g, ''), (trx) =>
          audit.recordIn(trx, { type: 'second_factor.added', accountId: account.id, ...requestFacts(ctx), details: { method: 'totp' } }));
      } catch (error) {
        if (!(error instanceof TotpError)) throw error;
        if (error.code === 'totp.already_enrolled') return showError(ctx, config, 409, 'totp.already_enrolled');
        const enrolment = await totp.beginEnrolment(account.id, account.username ?? account.fullName);
        return render(ctx, 400, totpEnrolPage(shellFor(ctx, interaction, 'totp.enrol_heading'), { ...step(ctx, interaction, ticket, 'totp-enrol'), ...enrolment, required: account.roles.includes('admin'), error: error.code }));
      }
      await notifier.notify(account.phone, 'second_factor_added');
      const next = { ...ticket, secondFactor: true, amr: [...ticket.amr, 'otp'] };
      render(ctx, 200, recoveryCodesPage(shellFor(ctx, interaction, 'totp.codes_heading'), { ...step(ctx, interaction, next, 'continue'), codes }));
    });

    router.post('/continue', async (ctx) => {
      const state = await continuing(ctx, 'continue');
      if (!state) return;
      await proceed(ctx, state.interaction, state.account, state.ticket);
    });

    router.post('/password-now', async (ctx) => {
      const state = await continuing(ctx, 'password-warning');
      if (!state) return;
      const { interaction, ticket } = state;
      render(ctx, 200, passwordChangePage(shellFor(ctx, interaction, 'password_change.heading'), { ...step(ctx, interaction, ticket, 'password'), reason: 'chosen', errors: [] }));
    });

    router.post('/password-later', async (ctx) => {
      const state = await continuing(ctx, 'password-warning');
      if (!state) return;
      await proceed(ctx, state.interaction, state.account, { ...state.ticket, warned: true });
    });

    router.post('/password', async (ctx) => {
      const state = await continuing(ctx, 'password');
      if (!state) return;
      const { interaction, ticket, account, form } = state;
      const password = form.password ?? '';
      const errors = await newPasswordErrors({ password, confirmation: form.passwordConfirmation ?? '' }, account, accounts, config.passwordPolicy);
      if (errors.length) {
        const reason = account.passwordChangeRequired ? 'required' : passwordStatus(account.passwordChangedAt, clock.now(), config.passwordPolicy).state === 'expired' ? 'expired' : 'chosen';
        return render(ctx, 400, passwordChangePage(shellFor(ctx, interaction, 'password_change.heading'), { ...step(ctx, interaction, ticket, 'password'), reason, errors }));
      }
      const passwordHash = await hashPassword(password, config.argon2);
      // One transaction (SPEC §5: nothing lost): the new password, the old one in the history, the
      // sessions signed in with it revoked (as at a reset) and the event, or none of them.
      await flushDeferredWrites();
      const ended = await knex.transaction(async (trx) => {
        await accounts.setPassword(account.id, passwordHash, clock.now(), trx);
        const { revoked, sessions } = await revokeAccountSessions(trx, account.id);
        await audit.recordIn(trx, { type: 'password.changed', accountId: account.id, ...requestFacts(ctx), details: { revoked } });
        return sessions;
      });
      // Committed: the apps those sessions signed in to are told (Back-Channel Logout 1.0 §2.5).
      await sendBackchannelLogouts(provider, ctx, ended);
      await notifier.notify(account.phone, 'password_changed');
      const updated = (await accounts.findById(account.id))!;
      await proceed(ctx, interaction, updated, { ...ticket, warned: true });
    });
  }

  return { proceed, addRoutes };
}

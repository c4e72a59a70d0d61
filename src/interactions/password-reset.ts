// "Forgot password": identifier → SMS OTP to the account's registered phone → a new
// password (SPEC R5) → every session and refresh token of the account revoked, and the apps
// of those sessions told by back-channel logout. No page or answer tells whether the
// identifier belongs to an account.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import type { Config } from '../config.ts';
import { identifierCandidates, MAX_IDENTIFIER_LENGTH, type AccountStore, type AccountNotifier } from '../accounts/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../clock.ts';
import { flushDeferredWrites, type Knex } from '../db/index.ts';
import { type Csrf, readForm, requestFacts, showError } from '../http/index.ts';
import { localeOf, pageShell, otpPage, forgotPasswordPage, newPasswordPage, noticePage } from '../../views/index.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { revokeAccountSessions, sendBackchannelLogouts } from '../oidc/index.ts';
import { OtpError, type Challenge, type SmsOtp } from '../otp/index.ts';
import { hashPassword } from '../passwords/index.ts';
import { flowBase, type Interaction } from './respond.ts';
import { newPasswordErrors } from './new-password.ts';
import { sendCode, type CodeFailure } from './send-code.ts';

export interface PasswordResetDeps {
  config: Config;
  notifier: AccountNotifier;
  knex: Knex;
  clock: Clock;
  provider: Provider;
  accounts: AccountStore;
  otp: SmsOtp;
  audit: AuditLog;
  csrf: Csrf;
}

/** How long after the code is verified the new password may be set. */
const NEW_PASSWORD_WINDOW_MS = 10 * 60_000;

export function addPasswordResetRoutes(router: Router, deps: PasswordResetDeps): void {
  const { config, knex, clock, provider, accounts, otp, audit, csrf, notifier } = deps;

  function shellFor(ctx: Context, title: MessageKey) {
    const interaction = ctx.state.interaction as Interaction | undefined;
    return pageShell(ctx, config, title, localeOf(ctx, interaction?.params.ui_locales));
  }

  function renderForgot(ctx: Context, status: number, identifier?: string, error?: MessageKey) {
    const base = flowBase(ctx);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = forgotPasswordPage(shellFor(ctx, 'reset.title'), { csrfToken: csrf.issue(ctx, `forgot:${base}`), action: `${base}/forgot`, identifier, error });
  }

  function renderOtp(ctx: Context, challenge: Challenge, status: number, message: { error?: MessageKey; errorParams?: Record<string, string | number>; notice?: MessageKey }) {
    const base = flowBase(ctx);
    ctx.status = status;
    ctx.type = 'html';
    // The phone is never shown here: showing it would confirm that the account exists.
    ctx.body = otpPage(shellFor(ctx, 'reset.title'), {
      csrfToken: csrf.issue(ctx, `forgot-otp:${challenge.id}`),
      action: `${base}/forgot/verify/${challenge.id}`,
      resendAction: `${base}/forgot/verify/${challenge.id}/resend`,
      maskedPhone: '',
      notice: message.notice ?? (message.error ? undefined : 'reset.requested'),
      error: message.error,
      errorParams: message.errorParams,
    });
  }

  function renderNewPassword(ctx: Context, challenge: Challenge, status: number, errors: MessageKey[], error?: MessageKey) {
    const base = flowBase(ctx);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = newPasswordPage(shellFor(ctx, 'reset.title'), {
      csrfToken: csrf.issue(ctx, `forgot-password:${challenge.id}`),
      action: `${base}/forgot/password/${challenge.id}`,
      errors,
      error,
      passwordMinLength: config.passwordPolicy.minLength,
    });
  }

  async function resetChallenge(ctx: Context): Promise<Challenge | undefined> {
    const challenge = await otp.find(ctx.params.id);
    return challenge?.purpose === 'password_reset' ? challenge : undefined;
  }

  async function sendResetCode(ctx: Context, challenge: Challenge): Promise<CodeFailure | undefined> {
    // The code itself goes out after this answer: see SmsOtp#send.
    const failure = await sendCode(otp, challenge, ctx.ip);
    // Said the same way as success would be, for an account or not: the code may not come.
    if (failure?.error === 'sms.send_failed') return undefined;
    if (failure) return failure;
    // Recorded for a decoy too (no account): the same work either way (SPEC §6).
    await audit.record({ type: 'otp.sent', accountId: challenge.subject, ...requestFacts(ctx), details: { purpose: 'password_reset', matched: Boolean(challenge.subject) } });
    return undefined;
  }

  router.get('/forgot', async (ctx) => renderForgot(ctx, 200));

  router.post('/forgot', async (ctx) => {
    const base = flowBase(ctx);
    const form = await readForm(ctx);
    if (!csrf.verify(ctx, `forgot:${base}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const identifier = (form.identifier ?? '').normalize('NFC').trim();
    if (!identifier) return renderForgot(ctx, 400, identifier, 'signin.identifier_required');
    if (identifier.length > MAX_IDENTIFIER_LENGTH) return renderForgot(ctx, 400, undefined, 'signin.input_too_long');

    const candidates = identifierCandidates(identifier);
    const matches = await accounts.findActiveByIdentifier(candidates);
    const account = matches.length === 1 && matches[0].phone ? matches[0] : undefined;
    // SPEC §6: the limits count what was typed, normalized, for an account and for none
    // alike; the phone first, so 0…, +84… and 84… are one identifier.
    const requestedAs = candidates.phone ?? candidates.nationalId ?? candidates.taxCode ?? candidates.username ?? identifier.toLowerCase();
    const challenge = account
      ? await otp.create({ purpose: 'password_reset', subject: account.id, phone: account.phone!, requestedAs })
      : await otp.createDecoy('password_reset', requestedAs);
    await audit.record({ type: 'password.reset_requested', accountId: account?.id ?? null, ...requestFacts(ctx), details: { matched: Boolean(account) } });
    const failure = await sendResetCode(ctx, challenge);
    if (failure) return renderForgot(ctx, 429, identifier, failure.error);
    ctx.status = 303;
    ctx.redirect(`${base}/forgot/verify/${challenge.id}`);
  });

  router.get('/forgot/verify/:id', async (ctx) => {
    const challenge = await resetChallenge(ctx);
    if (!challenge) return showError(ctx, config, 404, 'otp.expired');
    renderOtp(ctx, challenge, 200, { notice: ctx.query.notice === 'otp.resent' ? 'otp.resent' : undefined });
  });

  router.post('/forgot/verify/:id/resend', async (ctx) => {
    const challenge = await resetChallenge(ctx);
    const form = await readForm(ctx);
    if (!challenge) return showError(ctx, config, 404, 'otp.expired');
    if (!csrf.verify(ctx, `forgot-otp:${challenge.id}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const failure = await sendResetCode(ctx, challenge);
    if (failure) return renderOtp(ctx, challenge, 429, failure);
    ctx.status = 303;
    ctx.redirect(`${flowBase(ctx)}/forgot/verify/${challenge.id}?notice=otp.resent`);
  });

  router.post('/forgot/verify/:id', async (ctx) => {
    const challenge = await resetChallenge(ctx);
    const form = await readForm(ctx);
    if (!challenge) return showError(ctx, config, 404, 'otp.expired');
    if (!csrf.verify(ctx, `forgot-otp:${challenge.id}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const code = (form.code ?? '').trim();
    if (!code) return renderOtp(ctx, challenge, 400, { error: 'otp.required' });
    try {
      await otp.verify(challenge, code);
    } catch (error) {
      if (!(error instanceof OtpError)) throw error;
      await audit.record({ type: 'otp.failed', accountId: challenge.subject, ...requestFacts(ctx), details: { purpose: 'password_reset', reason: error.code } });
      return renderOtp(ctx, challenge, error.code === 'otp.invalid' ? 400 : 410, { error: error.code, errorParams: error.params });
    }
    renderNewPassword(ctx, challenge, 200, []);
  });

  router.post('/forgot/password/:id', async (ctx) => {
    const challenge = await resetChallenge(ctx);
    const form = await readForm(ctx);
    if (!challenge) return showError(ctx, config, 404, 'otp.expired');
    if (!csrf.verify(ctx, `forgot-password:${challenge.id}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
    const verifiedRecently = challenge.consumedAt && clock.now().getTime() - challenge.consumedAt.getTime() < NEW_PASSWORD_WINDOW_MS;
    if (!challenge.subject || !verifiedRecently || challenge.completedAt) return showError(ctx, config, 410, 'otp.expired');

    const password = form.password ?? '';
    const account = await accounts.findById(challenge.subject);
    if (!account) return showError(ctx, config, 410, 'otp.expired');
    // Hue-S Art. 9.1: a reset may not bring back a password used before either.
    const broken = await newPasswordErrors({ password, confirmation: form.passwordConfirmation ?? '' }, account, accounts, config.passwordPolicy);
    if (broken.length) return renderNewPassword(ctx, challenge, 400, broken);

    const passwordHash = await hashPassword(password, config.argon2);
    // One transaction (SPEC §5: nothing lost): the reset used up, the password set (the old one into
    // the history), every session revoked and the event recorded, or none of it, so a
    // failure leaves the page usable again. One use: a second submission changes nothing.
    const subject = challenge.subject;
    await flushDeferredWrites();
    const ended = await knex.transaction(async (trx) => {
      if (!(await otp.complete(challenge.id, trx))) return undefined;
      await accounts.setPassword(subject, passwordHash, clock.now(), trx);
      const { revoked, sessions } = await revokeAccountSessions(trx, subject);
      await audit.recordIn(trx, { type: 'password.reset', accountId: subject, ...requestFacts(ctx), details: { revoked } });
      return sessions;
    });
    if (ended === undefined) return showError(ctx, config, 410, 'otp.expired');
    // Committed: the apps those sessions signed in to are told (Back-Channel Logout 1.0 §2.5).
    await sendBackchannelLogouts(provider, ctx, ended);
    await notifier.notify(account.phone, 'password_changed');

    const shell = shellFor(ctx, 'notice.title');
    const base = flowBase(ctx);
    ctx.type = 'html';
    ctx.body = noticePage(shell, {
      title: t(shell.locale, 'reset.title'),
      message: t(shell.locale, 'reset.done'),
      link: base ? { href: base, label: t(shell.locale, 'login.submit') } : undefined,
    });
  });
}

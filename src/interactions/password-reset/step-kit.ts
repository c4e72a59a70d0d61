// What the steps of a password reset share (SPEC R5): the page shell, the reset's code
// challenge read back from the page's address, sending its code without telling whether an
// account holds the identifier, and the page choosing the new password.
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import type { Config } from '../../config.ts';
import type { AccountStore, AccountNotifier } from '../../accounts/index.ts';
import type { AuditLog } from '../../audit/index.ts';
import type { Clock } from '../../clock.ts';
import type { Knex } from '../../db/index.ts';
import { type Csrf, readForm, requestFacts, showError } from '../../http/index.ts';
import { newPasswordPage } from '../../../views/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { Challenge, SmsOtp } from '../../otp/index.ts';
import { answerPage, flowBase, flowShell } from '../respond.ts';
import { sendCode, type CodeFailure } from '../send-code.ts';

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

export type PasswordResetKit = ReturnType<typeof passwordResetKit>;

export function passwordResetKit(deps: PasswordResetDeps) {
  const { config, otp, audit, csrf } = deps;

  const shellFor = (ctx: Context, title: MessageKey) => flowShell(ctx, config, title);
  const render = answerPage;

  async function resetChallenge(ctx: Context): Promise<Challenge | undefined> {
    const challenge = await otp.find(ctx.params.id);
    return challenge?.purpose === 'password_reset' ? challenge : undefined;
  }

  /** The reset a form `name` (its CSRF purpose) was posted for, with the form; else answered. */
  async function posted(ctx: Context, name: 'forgot-otp' | 'forgot-password'): Promise<{ challenge: Challenge; form: Record<string, string> } | undefined> {
    const challenge = await resetChallenge(ctx);
    const form = await readForm(ctx);
    if (!challenge) {
      showError(ctx, config, 404, 'otp.expired');
      return undefined;
    }
    if (!csrf.verify(ctx, `${name}:${challenge.id}`, form._csrf)) {
      showError(ctx, config, 403, 'csrf.invalid');
      return undefined;
    }
    return { challenge, form };
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

  function showNewPassword(ctx: Context, challenge: Challenge, status: number, errors: MessageKey[]) {
    render(ctx, status, newPasswordPage(shellFor(ctx, 'reset.title'), {
      csrfToken: csrf.issue(ctx, `forgot-password:${challenge.id}`),
      action: `${flowBase(ctx)}/forgot/password/${challenge.id}`,
      errors,
      passwordMinLength: deps.config.passwordPolicy.minLength,
    }));
  }

  return { deps, shellFor, render, resetChallenge, posted, sendResetCode, showNewPassword };
}

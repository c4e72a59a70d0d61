// The last page of a reset: the new password (Hue-S Art. 9.1), set within a short while of
// the code, once. Every session and refresh token of the account is then revoked, and the
// apps of those sessions told by back-channel logout.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { flushDeferredWrites } from '../../db/index.ts';
import { requestFacts, showError } from '../../http/index.ts';
import { t } from '../../i18n/index.ts';
import { revokeAccountSessions, sendBackchannelLogouts } from '../../oidc/index.ts';
import type { Challenge } from '../../otp/index.ts';
import { hashPassword } from '../../passwords/index.ts';
import { noticePage } from '../../../views/index.ts';
import { newPasswordErrors } from '../new-password.ts';
import { wayToSignIn } from '../respond.ts';
import type { PasswordResetKit } from './step-kit.ts';

/** How long after the code is verified the new password may be set. */
const NEW_PASSWORD_WINDOW_MS = 10 * 60_000;

type Resettable = Challenge & { subject: string };

export function choosePasswordStep(kit: PasswordResetKit) {
  const { config, knex, clock, provider, accounts, otp, audit, notifier } = kit.deps;

  /** A reset of an account, its code verified lately and its password not set yet. */
  function resettable(challenge: Challenge): challenge is Resettable {
    const verifiedRecently = challenge.consumedAt && clock.now().getTime() - challenge.consumedAt.getTime() < NEW_PASSWORD_WINDOW_MS;
    return Boolean(challenge.subject && verifiedRecently && !challenge.completedAt);
  }

  /**
   * One transaction (SPEC §5: nothing lost): the reset used up, the password set (the old one into
   * the history), every session revoked and the event recorded, or none of it, so a
   * failure leaves the page usable again. One use: a second submission changes nothing.
   * The sessions ended, or undefined when the reset was used already.
   */
  async function resetPassword(ctx: Context, challenge: Resettable, passwordHash: string) {
    const { subject } = challenge;
    await flushDeferredWrites();
    return knex.transaction(async (trx) => {
      if (!(await otp.complete(challenge.id, trx))) return undefined;
      await accounts.setPassword(subject, passwordHash, clock.now(), trx);
      const { revoked, sessions } = await revokeAccountSessions(trx, subject);
      await audit.recordIn(trx, { type: 'password.reset', accountId: subject, ...requestFacts(ctx), details: { revoked } });
      return sessions;
    });
  }

  function showDone(ctx: Context) {
    const shell = kit.shellFor(ctx, 'notice.title');
    kit.render(ctx, 200, noticePage(shell, {
      title: t(shell.locale, 'reset.title'),
      message: t(shell.locale, 'reset.done'),
      ...wayToSignIn(ctx, shell.locale),
    }));
  }

  function addRoutes(router: Router): void {
    router.post('/forgot/password/:id', async (ctx) => {
      const state = await kit.posted(ctx, 'forgot-password');
      if (!state) return;
      const { challenge, form } = state;
      if (!resettable(challenge)) return showError(ctx, config, 410, 'otp.expired');
      const password = form.password ?? '';
      const account = await accounts.findById(challenge.subject);
      if (!account) return showError(ctx, config, 410, 'otp.expired');
      // Hue-S Art. 9.1: a reset may not bring back a password used before either.
      const broken = await newPasswordErrors({ password, confirmation: form.passwordConfirmation ?? '' }, account, accounts, config.passwordPolicy);
      if (broken.length) return kit.showNewPassword(ctx, challenge, 400, broken);

      const passwordHash = await hashPassword(password, config.argon2);
      const ended = await resetPassword(ctx, challenge, passwordHash);
      if (ended === undefined) return showError(ctx, config, 410, 'otp.expired');
      // Committed: the apps those sessions signed in to are told (Back-Channel Logout 1.0 §2.5).
      await sendBackchannelLogouts(provider, ctx, ended);
      await notifier.notify(account.phone, 'password_changed');
      showDone(ctx);
    });
  }

  return { addRoutes };
}

// A new password during sign-in: forced when the old one expired (Hue-S Art. 9.1: at least
// every 90 days) or an operator asked, or chosen from the expiry warning. Setting it ends
// the account's other sessions, as a reset does.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { flushDeferredWrites } from '../../db/index.ts';
import { revokeAccountSessions, sendBackchannelLogouts } from '../../oidc/index.ts';
import { hashPassword, passwordStatus } from '../../passwords/index.ts';
import { passwordChangePage } from '../../../views/index.ts';
import { newPasswordErrors } from '../new-password.ts';
import { type Interaction } from '../respond.ts';
import type { ShowStep, StepKit, StepState } from './step-kit.ts';
import { requestFacts } from '../../http/index.ts';

export type PasswordChangeReason = 'required' | 'expired' | 'chosen';

export function passwordChangeStep(kit: StepKit) {
  const { config, knex, clock, provider, accounts, audit, notifier } = kit.deps;

  function showChange(ctx: Context, interaction: Interaction, ticket: StepState, reason: PasswordChangeReason): void {
    kit.render(ctx, 200, passwordChangePage(kit.shellFor(ctx, interaction, 'password_change.heading'), { ...kit.form(ctx, interaction, ticket, 'password'), reason, maxAgeDays: config.passwordPolicy.maxAgeDays, passwordMinLength: config.passwordPolicy.minLength, errors: [] }));
  }

  const show: ShowStep = async (ctx, interaction, _account, ticket, next) =>
    showChange(ctx, interaction, ticket, next.step === 'password-change' ? next.reason : 'chosen');

  function addRoutes(router: Router): void {
    router.post('/password', async (ctx) => {
      const state = await kit.continuing(ctx, 'password');
      if (!state) return;
      const { interaction, ticket, account, form } = state;
      const password = form.password ?? '';
      const errors = await newPasswordErrors({ password, confirmation: form.passwordConfirmation ?? '' }, account, accounts, config.passwordPolicy);
      if (errors.length) {
        const reason = account.passwordChangeRequired ? 'required' : passwordStatus(account.passwordChangedAt, clock.now(), config.passwordPolicy).state === 'expired' ? 'expired' : 'chosen';
        return kit.render(ctx, 400, passwordChangePage(kit.shellFor(ctx, interaction, 'password_change.heading'), { ...kit.form(ctx, interaction, ticket, 'password'), reason, maxAgeDays: config.passwordPolicy.maxAgeDays, passwordMinLength: config.passwordPolicy.minLength, errors }));
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
      await kit.proceed(ctx, interaction, updated, { ...ticket, warned: true });
    });
  }

  return { show, showChange, addRoutes };
}

// The authenticator step: a six-digit code from the app, or one of the recovery codes.
import type Router from '@koa/router';
import { TotpError } from '../../otp/index.ts';
import { totpPage } from '../../../views/index.ts';

import type { ShowStep, StepKit } from './step-kit.ts';
import { requestFacts, showError } from '../../http/index.ts';

export function totpStep(kit: StepKit) {
  const { config, totp, audit } = kit.deps;

  const show: ShowStep = async (ctx, interaction, _account, ticket) =>
    kit.render(ctx, 200, totpPage(kit.shellFor(ctx, interaction, 'totp.heading'), kit.form(ctx, interaction, ticket, 'totp')));

  function addRoutes(router: Router): void {
    router.post('/totp', async (ctx) => {
      const state = await kit.continuing(ctx, 'totp');
      if (!state) return;
      const { interaction, ticket, account, form } = state;
      const attempt = await kit.secondFactor.reserve(account);
      if (!attempt.allowed) return showError(ctx, config, 429, 'totp.too_many_attempts');
      const code = (form.code ?? '').trim();
      try {
        if (/^\d{3}\s?\d{3}$/.test(code)) await totp.verify(account.id, code.replace(/\s/g, ''));
        else await totp.useRecoveryCode(account.id, code);
      } catch (error) {
        if (!(error instanceof TotpError)) throw error;
        const locked = await kit.secondFactor.wrong(ctx, account, attempt);
        await audit.record({ type: 'signin.failed', accountId: account.id, ...requestFacts(ctx), details: { reason: error.code } });
        if (locked) return showError(ctx, config, 429, 'totp.too_many_attempts');
        return kit.render(ctx, 400, totpPage(kit.shellFor(ctx, interaction, 'totp.heading'), { ...kit.form(ctx, interaction, ticket, 'totp'), error: error.code }));
      }
      await kit.secondFactor.right(account);
      await kit.proceed(ctx, interaction, account, { ...ticket, secondFactor: true, amr: [...ticket.amr, 'otp'] });
    });
  }

  return { show, addRoutes };
}

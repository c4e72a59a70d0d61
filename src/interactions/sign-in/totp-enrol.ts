// Enrolling an authenticator during sign-in: required of operators (every operator role), who may not sign
// in without one (SPEC §2). A confirmed enrolment shows the recovery codes once, then
// the sign-in goes on (continue.ts).
import type Router from '@koa/router';
import { isOperator } from '../../accounts/index.ts';
import { TotpError, confirmAuthenticator } from '../../otp/index.ts';
import { recoveryCodesPage, totpEnrolPage } from '../../../views/index.ts';

import type { ShowStep, StepKit } from './step-kit.ts';
import { requestFacts, showError } from '../../http/index.ts';

export function totpEnrolStep(kit: StepKit) {
  const { config, totp, audit, notifier } = kit.deps;

  const show: ShowStep = async (ctx, interaction, account, ticket) => {
    const enrolment = await totp.beginEnrolment(account.id, account.username ?? account.fullName);
    kit.render(ctx, 200, totpEnrolPage(kit.shellFor(ctx, interaction, 'totp.enrol_heading'), { ...kit.form(ctx, interaction, ticket, 'totp-enrol'), ...enrolment, required: true }));
  };

  function addRoutes(router: Router): void {
    router.post('/totp-enrol', async (ctx) => {
      const state = await kit.continuing(ctx, 'totp-enrol');
      if (!state) return;
      const { interaction, ticket, account, form } = state;
      let codes: string[];
      try {
        codes = await confirmAuthenticator({ totp, audit }, requestFacts(ctx), account.id, form.code);
      } catch (error) {
        if (!(error instanceof TotpError)) throw error;
        if (error.code === 'totp.already_enrolled') return showError(ctx, config, 409, 'totp.already_enrolled');
        const enrolment = await totp.beginEnrolment(account.id, account.username ?? account.fullName);
        return kit.render(ctx, 400, totpEnrolPage(kit.shellFor(ctx, interaction, 'totp.enrol_heading'), { ...kit.form(ctx, interaction, ticket, 'totp-enrol'), ...enrolment, required: isOperator(account.roles), error: error.code }));
      }
      await notifier.notify(account.phone, 'second_factor_added');
      const next = { ...ticket, secondFactor: true, amr: [...ticket.amr, 'otp'] };
      kit.render(ctx, 200, recoveryCodesPage(kit.shellFor(ctx, interaction, 'totp.codes_heading'), { ...kit.form(ctx, interaction, next, 'continue'), codes }));
    });
  }

  return { show, addRoutes };
}

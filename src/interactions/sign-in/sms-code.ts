// The SMS step-up: a code sent to the account's phone when the app asks for more than a
// password (SPEC §2), checked under the second factor's own count, and sent again on request.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { type Account, maskPhone } from '../../accounts/index.ts';
import { OtpError, type Challenge } from '../../otp/index.ts';
import { otpPage } from '../../../views/index.ts';
import { type Interaction } from '../respond.ts';
import { sendCode, type CodeFailure } from '../send-code.ts';
import type { ShowStep, StepKit, StepState } from './step-kit.ts';
import { requestFacts, showError } from '../../http/index.ts';

export function smsCodeStep(kit: StepKit) {
  const { config, otp, audit } = kit.deps;

  /** Sends the code; one that went out is in the log (the dashboard counts SMS codes sent by it). */
  async function send(ctx: Context, account: Account, challenge: Challenge): Promise<CodeFailure | undefined> {
    const failure = await sendCode(otp, challenge, ctx.ip);
    if (!failure) await audit.record({ type: 'otp.sent', accountId: account.id, ...requestFacts(ctx), details: { purpose: 'sign_in' } });
    return failure;
  }

  /** The code page; a first showing creates the challenge and sends its code. */
  async function showCode(ctx: Context, interaction: Interaction, account: Account, ticket: StepState, error?: CodeFailure) {
    const challenge = ticket.challengeId ? await otp.find(ticket.challengeId) : await otp.create({ purpose: 'sign_in', subject: account.id, phone: account.phone! });
    const failure = !ticket.challengeId && challenge ? ((await send(ctx, account, challenge)) ?? error) : error;
    const next = { ...ticket, challengeId: challenge!.id };
    const form = kit.form(ctx, interaction, next, 'sms-code');
    kit.render(ctx, failure ? 400 : 200, otpPage(kit.shellFor(ctx, interaction, 'sms_code.heading'), {
      csrfToken: form.csrfToken,
      action: form.action,
      resendAction: `/interaction/${interaction.uid}/sms-code/resend`,
      hidden: { ticket: form.ticket },
      heading: 'sms_code.heading',
      maskedPhone: maskPhone(account.phone!),
      ...failure,
    }));
  }

  const show: ShowStep = (ctx, interaction, account, ticket) => showCode(ctx, interaction, account, ticket);

  function addRoutes(router: Router): void {
    router.post('/sms-code', async (ctx) => {
      const state = await kit.continuing(ctx, 'sms-code');
      if (!state) return;
      const { interaction, ticket, account, form } = state;
      if (!ticket.challengeId) return showError(ctx, config, 400, 'signin.step_expired');
      const attempt = await kit.secondFactor.reserve(account);
      if (!attempt.allowed) return showError(ctx, config, 429, 'totp.too_many_attempts');
      try {
        await otp.verify({ id: ticket.challengeId, purpose: 'sign_in', subject: account.id }, (form.code ?? '').trim());
      } catch (error) {
        if (!(error instanceof OtpError)) throw error;
        await audit.record({ type: 'otp.failed', accountId: account.id, ...requestFacts(ctx), details: { purpose: 'sign_in', reason: error.code } });
        if (await kit.secondFactor.wrong(ctx, account, attempt)) return showError(ctx, config, 429, 'totp.too_many_attempts');
        return showCode(ctx, interaction, account, ticket, { error: error.code, errorParams: error.params });
      }
      await kit.secondFactor.right(account);
      await kit.proceed(ctx, interaction, account, { ...ticket, challengeId: undefined, secondFactor: true, amr: [...ticket.amr, 'sms'] });
    });

    router.post('/sms-code/resend', async (ctx) => {
      const state = await kit.continuing(ctx, 'sms-code');
      if (!state) return;
      const { interaction, ticket, account } = state;
      const challenge = ticket.challengeId ? await otp.find(ticket.challengeId) : undefined;
      if (!challenge) return showError(ctx, config, 400, 'signin.step_expired');
      return showCode(ctx, interaction, account, ticket, await send(ctx, account, challenge));
    });
  }

  return { show, addRoutes };
}

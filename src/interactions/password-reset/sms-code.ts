// The code of a reset, sent to the account's registered phone and sent again on request; the
// right one leads to choosing the new password. The page never shows the phone.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { requestFacts, showError } from '../../http/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { OtpError, type Challenge } from '../../otp/index.ts';
import { otpPage } from '../../../views/index.ts';
import { flowBase } from '../respond.ts';
import type { PasswordResetKit } from './step-kit.ts';

export function smsCodeStep(kit: PasswordResetKit) {
  const { config, otp, audit, csrf } = kit.deps;

  function showCode(ctx: Context, challenge: Challenge, status: number, message: { error?: MessageKey; errorParams?: Record<string, string | number>; notice?: MessageKey }) {
    const base = flowBase(ctx);
    // The phone is never shown here: showing it would confirm that the account exists.
    kit.render(ctx, status, otpPage(kit.shellFor(ctx, 'reset.title'), {
      csrfToken: csrf.issue(ctx, `forgot-otp:${challenge.id}`),
      action: `${base}/forgot/verify/${challenge.id}`,
      resendAction: `${base}/forgot/verify/${challenge.id}/resend`,
      maskedPhone: '',
      notice: message.notice ?? (message.error ? undefined : 'reset.requested'),
      error: message.error,
      errorParams: message.errorParams,
    }));
  }

  function addRoutes(router: Router): void {
    router.get('/forgot/verify/:id', async (ctx) => {
      const challenge = await kit.resetChallenge(ctx);
      if (!challenge) return showError(ctx, config, 404, 'otp.expired');
      showCode(ctx, challenge, 200, { notice: ctx.query.notice === 'otp.resent' ? 'otp.resent' : undefined });
    });

    router.post('/forgot/verify/:id/resend', async (ctx) => {
      const state = await kit.posted(ctx, 'forgot-otp');
      if (!state) return;
      const { challenge } = state;
      const failure = await kit.sendResetCode(ctx, challenge);
      if (failure) return showCode(ctx, challenge, 429, failure);
      ctx.status = 303;
      ctx.redirect(`${flowBase(ctx)}/forgot/verify/${challenge.id}?notice=otp.resent`);
    });

    router.post('/forgot/verify/:id', async (ctx) => {
      const state = await kit.posted(ctx, 'forgot-otp');
      if (!state) return;
      const { challenge, form } = state;
      const code = (form.code ?? '').trim();
      if (!code) return showCode(ctx, challenge, 400, { error: 'otp.required' });
      try {
        await otp.verify(challenge, code);
      } catch (error) {
        if (!(error instanceof OtpError)) throw error;
        await audit.record({ type: 'otp.failed', accountId: challenge.subject, ...requestFacts(ctx), details: { purpose: 'password_reset', reason: error.code } });
        return showCode(ctx, challenge, error.code === 'otp.invalid' ? 400 : 410, { error: error.code, errorParams: error.params });
      }
      kit.showNewPassword(ctx, challenge, 200, []);
    });
  }

  return { addRoutes };
}

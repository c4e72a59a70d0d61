// The warning in the days before a password expires (Hue-S Art. 9.1): change it now, or
// go on and be warned again at the next sign-in.
import type Router from '@koa/router';
import { passwordWarningPage } from '../../../views/index.ts';
import type { passwordChangeStep } from './password-change.ts';
import type { ShowStep, StepKit } from './step-kit.ts';

export function passwordWarningStep(kit: StepKit, passwordChange: ReturnType<typeof passwordChangeStep>) {
  const show: ShowStep = async (ctx, interaction, _account, ticket, next) => {
    const form = kit.form(ctx, interaction, ticket, 'password-now', 'password-warning');
    kit.render(ctx, 200, passwordWarningPage(kit.shellFor(ctx, interaction, 'password_warning.heading'), {
      ...form, laterAction: `/interaction/${interaction.uid}/password-later`, daysLeft: next.step === 'password-warning' ? next.daysLeft : 0,
    }));
  };

  function addRoutes(router: Router): void {
    router.post('/password-now', async (ctx) => {
      const state = await kit.continuing(ctx, 'password-warning');
      if (!state) return;
      passwordChange.showChange(ctx, state.interaction, state.ticket, 'chosen');
    });

    router.post('/password-later', async (ctx) => {
      const state = await kit.continuing(ctx, 'password-warning');
      if (!state) return;
      await kit.proceed(ctx, state.interaction, state.account, { ...state.ticket, warned: true });
    });
  }

  return { show, addRoutes };
}

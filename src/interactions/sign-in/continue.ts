// After the recovery codes were shown: the sign-in goes on to whatever it still needs.
import type Router from '@koa/router';
import type { StepKit } from './step-kit.ts';

export function continueStep(kit: StepKit) {
  function addRoutes(router: Router): void {
    router.post('/continue', async (ctx) => {
      const state = await kit.continuing(ctx, 'continue');
      if (!state) return;
      await kit.proceed(ctx, state.interaction, state.account, state.ticket);
    });
  }

  return { addRoutes };
}

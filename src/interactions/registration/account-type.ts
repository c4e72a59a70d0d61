// The first page of a registration (SPEC R1): a citizen's account or an organization's.
import type Router from '@koa/router';
import { readForm, showError } from '../../http/index.ts';
import { registerChoicePage } from '../../../views/index.ts';
import { flowBase } from '../respond.ts';
import { isAccountType, type RegistrationKit } from './step-kit.ts';

export function accountTypeStep(kit: RegistrationKit) {
  const { config, csrf } = kit.deps;

  function addRoutes(router: Router): void {
    router.get('/register', async (ctx) => {
      const base = flowBase(ctx);
      kit.render(ctx, 200, registerChoicePage(kit.shellFor(ctx, 'register.title'), {
        csrfToken: csrf.issue(ctx, `register-choice:${base}`),
        action: `${base}/register`,
        clientName: await kit.clientName(ctx),
        signInHref: kit.signInHref(ctx),
      }));
    });

    router.post('/register', async (ctx) => {
      const base = flowBase(ctx);
      const form = await readForm(ctx);
      if (!csrf.verify(ctx, `register-choice:${base}`, form._csrf)) return showError(ctx, config, 403, 'csrf.invalid');
      if (!isAccountType(form.type)) return showError(ctx, config, 400, 'request.invalid');
      ctx.status = 303;
      ctx.redirect(`${base}/register/${form.type}`);
    });
  }

  return { addRoutes };
}

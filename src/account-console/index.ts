// What a signed-in person does for their own account, under /account (SPEC §2; the account
// console of the next wave grows here).
import Router from '@koa/router';
import type { Config } from '../config.ts';
import { formErrors } from '../http/index.ts';
import { addTwoFactorRoutes, type TwoFactorDeps } from './two-factor.ts';

export type AccountConsoleDeps = TwoFactorDeps & { config: Config };

export function accountConsoleRoutes(deps: AccountConsoleDeps): Router {
  const router = new Router();
  router.use('/account', formErrors(deps.config));
  addTwoFactorRoutes(router, deps);
  return router;
}

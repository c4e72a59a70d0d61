// "Forgot password": identifier → SMS OTP to the account's registered phone → a new
// password (SPEC R5) → every session and refresh token of the account revoked, and the apps
// of those sessions told by back-channel logout. No page or answer tells whether the
// identifier belongs to an account. One module a step, registered here.
import type Router from '@koa/router';
import { choosePasswordStep } from './choose-password.ts';
import { identifyStep } from './identify.ts';
import { smsCodeStep } from './sms-code.ts';
import { passwordResetKit, type PasswordResetDeps } from './step-kit.ts';

export type { PasswordResetDeps } from './step-kit.ts';

export function addPasswordResetRoutes(router: Router, deps: PasswordResetDeps): void {
  const kit = passwordResetKit(deps);
  for (const step of [identifyStep(kit), smsCodeStep(kit), choosePasswordStep(kit)]) step.addRoutes(router);
}

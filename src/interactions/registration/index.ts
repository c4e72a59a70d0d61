// Registration (SPEC R1–R4): choose account type → form → SMS OTP → active account, one
// module a step, registered here. Inside an OpenID Connect interaction the person then
// continues the original request signed in; at /register, on its own, they are told the
// account is ready.
import type Router from '@koa/router';
import { accountTypeStep } from './account-type.ts';
import { formStep } from './form.ts';
import { smsCodeStep } from './sms-code.ts';
import { registrationKit, type RegistrationDeps } from './step-kit.ts';

export type { RegistrationDeps } from './step-kit.ts';

/** Adds the registration pages to `router` (the interaction router, or a standalone one). */
export function addRegistrationRoutes(router: Router, deps: RegistrationDeps): void {
  const kit = registrationKit(deps);
  for (const step of [accountTypeStep(kit), formStep(kit), smsCodeStep(kit)]) step.addRoutes(router);
}

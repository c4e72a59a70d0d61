// The steps of a sign-in after the password (SPEC §2), one module each, registered here.
// Which one comes next is decided in one place, next-step.ts; each step's page carries a
// signed ticket of what is proven so far (sign-in-ticket.ts).
import type Router from '@koa/router';
import { continueStep } from './continue.ts';
import { passwordChangeStep } from './password-change.ts';
import { passwordWarningStep } from './password-warning.ts';
import { smsCodeStep } from './sms-code.ts';
import { stepKit, type ShowStep, type ShownStep, type SignInStepDeps } from './step-kit.ts';
import { totpEnrolStep } from './totp-enrol.ts';
import { totpStep } from './totp.ts';

export type { SignInStepDeps, StepState } from './step-kit.ts';

export function signInSteps(deps: SignInStepDeps) {
  const kit = stepKit(deps, (step) => shows[step]);
  const totp = totpStep(kit);
  const totpEnrol = totpEnrolStep(kit);
  const smsCode = smsCodeStep(kit);
  const passwordChange = passwordChangeStep(kit);
  const passwordWarning = passwordWarningStep(kit, passwordChange);
  const shows: Record<ShownStep, ShowStep> = {
    'totp': totp.show,
    'totp-enrol': totpEnrol.show,
    'sms-code': smsCode.show,
    'password-change': passwordChange.show,
    'password-warning': passwordWarning.show,
  };

  function addRoutes(router: Router): void {
    for (const step of [totp, smsCode, totpEnrol, continueStep(kit), passwordWarning, passwordChange]) step.addRoutes(router);
  }

  return { proceed: kit.proceed, addRoutes };
}
export { type PasswordStepDeps, passwordStep } from './password.ts';

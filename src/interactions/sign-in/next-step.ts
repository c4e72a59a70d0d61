// Which step a sign-in takes next, from what it has proven and what its account needs
// (SPEC §2), as checks in a fixed order, the first that applies winning (the manner of
// oidc-provider's ordered prompt checks). Pure: the caller reads the account and the
// request; this only decides.
import type { PasswordStatus } from '../../passwords/index.ts';

export interface SignInFacts {
  /** A second factor is done (or was not needed) in this sign-in. */
  secondFactorDone: boolean;
  /** The account has an authenticator app; read only while no second factor is done. */
  totpEnrolled: boolean;
  /** Administrators may not sign in without an authenticator (SPEC §2). */
  isOperator: boolean;
  /** The app asked for more than a password (acr_values, or an essential acr claim). */
  wantsSecondFactor: boolean;
  /** The account has a phone to send a code to. */
  hasPhone: boolean;
  /** The account has a password (a VNeID-only account has none to change). */
  hasPassword: boolean;
  /** An operator asked for a new password at the next sign-in. */
  passwordChangeRequired: boolean;
  /** Hue-S Art. 9.1: rotation at least every 90 days, warned before. */
  passwordStatus: PasswordStatus;
  /** The expiry warning was shown in this sign-in and the person chose to go on. */
  warned: boolean;
}

export type NextStep =
  | { step: 'totp' }
  | { step: 'totp-enrol' }
  | { step: 'sms-code' }
  | { step: 'password-change'; reason: 'required' | 'expired' }
  | { step: 'password-warning'; daysLeft: number }
  | { step: 'finish' };

export function nextStep(facts: SignInFacts): NextStep {
  if (!facts.secondFactorDone) {
    if (facts.totpEnrolled) return { step: 'totp' };
    if (facts.isOperator) return { step: 'totp-enrol' };
    if (facts.wantsSecondFactor && facts.hasPhone) return { step: 'sms-code' };
  }
  if (facts.hasPassword && (facts.passwordChangeRequired || facts.passwordStatus.state === 'expired')) {
    return { step: 'password-change', reason: facts.passwordChangeRequired ? 'required' : 'expired' };
  }
  if (facts.passwordStatus.state === 'warn' && !facts.warned) return { step: 'password-warning', daysLeft: facts.passwordStatus.daysLeft ?? 0 };
  return { step: 'finish' };
}

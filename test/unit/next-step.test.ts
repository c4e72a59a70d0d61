import test from 'ava';
import { nextStep, type NextStep, type SignInFacts } from '../../src/interactions/sign-in/next-step.ts';

// A person with a current password, no authenticator, no role, asked for a password only.
const plain: SignInFacts = {
  secondFactorDone: false,
  totpEnrolled: false,
  isOperator: false,
  wantsSecondFactor: false,
  hasPhone: true,
  hasPassword: true,
  passwordChangeRequired: false,
  passwordStatus: { state: 'current', daysLeft: 60 },
  warned: false,
};
const expired = { state: 'expired' } as const;
const warn = { state: 'warn', daysLeft: 3 } as const;

// SPEC §2: second factor (authenticator, then an administrator's enrolment, then an SMS
// step-up), then an expired or required password change, then the expiry warning, then done.
const table: [situation: string, facts: Partial<SignInFacts>, next: NextStep][] = [
  ['a current password and nothing more asked finishes', {}, { step: 'finish' }],
  ['an authenticator is asked for when enrolled', { totpEnrolled: true }, { step: 'totp' }],
  ['an authenticator comes before an SMS step-up', { totpEnrolled: true, wantsSecondFactor: true }, { step: 'totp' }],
  ['an enrolled administrator enters a code rather than enrolling again', { totpEnrolled: true, isOperator: true }, { step: 'totp' }],
  ['an administrator without an authenticator must enrol one', { isOperator: true }, { step: 'totp-enrol' }],
  ['enrolment comes before an SMS step-up', { isOperator: true, wantsSecondFactor: true }, { step: 'totp-enrol' }],
  ['an app asking for a second factor gets an SMS code to a phone', { wantsSecondFactor: true }, { step: 'sms-code' }],
  ['without a phone a step-up cannot be offered and the sign-in goes on', { wantsSecondFactor: true, hasPhone: false }, { step: 'finish' }],
  ['a phone alone asks for no code', { hasPhone: true }, { step: 'finish' }],
  ['a second factor comes before an expired password', { totpEnrolled: true, passwordStatus: expired }, { step: 'totp' }],
  ['once the second factor is done, an expired password must be changed', { secondFactorDone: true, totpEnrolled: true, passwordStatus: expired }, { step: 'password-change', reason: 'expired' }],
  ['a done second factor is not asked again, even of an administrator', { secondFactorDone: true, isOperator: true, wantsSecondFactor: true }, { step: 'finish' }],
  ['an expired password must be changed', { passwordStatus: expired }, { step: 'password-change', reason: 'expired' }],
  ['a change an operator asked for must be made', { passwordChangeRequired: true }, { step: 'password-change', reason: 'required' }],
  ['an operator\'s request is the reason given even when also expired', { passwordChangeRequired: true, passwordStatus: expired }, { step: 'password-change', reason: 'required' }],
  ['an account without a password has nothing to change', { hasPassword: false, passwordChangeRequired: true, passwordStatus: { state: 'none' } }, { step: 'finish' }],
  ['a change comes before the warning, even after it was shown', { passwordChangeRequired: true, passwordStatus: warn, warned: true }, { step: 'password-change', reason: 'required' }],
  ['in the warning window the person is warned with the days left', { passwordStatus: warn }, { step: 'password-warning', daysLeft: 3 }],
  ['a person who chose to go on is not warned again', { passwordStatus: warn, warned: true }, { step: 'finish' }],
  ['the warning comes after the second factor', { wantsSecondFactor: true, passwordStatus: warn }, { step: 'sms-code' }],
  ['with rotation off nothing is asked', { passwordStatus: { state: 'current' } }, { step: 'finish' }],
];

for (const [situation, facts, next] of table) {
  test(situation, (t) => {
    t.deepEqual(nextStep({ ...plain, ...facts }), next);
  });
}

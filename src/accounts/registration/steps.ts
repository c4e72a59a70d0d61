// The registration form in short steps (SPEC §6: a form a person on a small phone can
// finish), cut from the one declaration in fields.ts by its groups. A citizen gives the
// identity document first, because the personal number already tells gender and birth year;
// the account (username, password) and the phone come last, right before the SMS code, so a
// password never travels through the steps.
import type { MessageKey } from '../../i18n/index.ts';
import type { AccountType } from '../store.ts';
import { registrationFields, type FieldDefinition, type FieldError } from './fields.ts';

const STEP_GROUPS: Readonly<Record<AccountType, readonly (readonly MessageKey[])[]>> = {
  citizen: [['register.group.document'], ['register.group.person'], ['register.group.address'], ['register.group.account', 'register.group.contact']],
  organization: [['register.group.organization'], ['register.group.representative'], ['register.group.address'], ['register.group.account', 'register.group.contact']],
};

export type RegistrationStep = readonly FieldDefinition[];

function cut(type: AccountType): readonly RegistrationStep[] {
  const fields = registrationFields[type];
  const steps = STEP_GROUPS[type].map((groups) => Object.freeze(fields.filter((field) => groups.includes(field.group))));
  // Checked when loaded: a field whose group no step takes would never be asked.
  const placed = steps.flat().length;
  if (placed !== fields.length || steps.some((step) => step.length === 0)) throw new Error(`registration steps of ${type}: every field in exactly one step, no step empty`);
  if (steps.slice(0, -1).some((step) => step.some((field) => field.kind === 'password'))) throw new Error(`registration steps of ${type}: a password is asked in the last step only`);
  return Object.freeze(steps);
}

export const registrationSteps: Readonly<Record<AccountType, readonly RegistrationStep[]>> = Object.freeze({
  citizen: cut('citizen'),
  organization: cut('organization'),
});

/** The step a form posted says it came from, 1-based; anything else is the last (the whole form at once). */
export function postedStep(type: AccountType, raw: string | undefined): number {
  const count = registrationSteps[type].length;
  const step = /^[1-9]$/.test(raw ?? '') ? Number(raw) : count;
  return Math.min(step, count);
}

/** The fields checked when step `step` is posted: its own and every step before it. */
export function fieldsUpTo(type: AccountType, step: number): readonly FieldDefinition[] {
  return registrationSteps[type].slice(0, step).flat();
}

/** The first step holding a field in error, where the person is sent back to; the last for an error of no declared field. */
export function firstStepInError(type: AccountType, errors: Readonly<Record<string, FieldError>>): number {
  const steps = registrationSteps[type];
  const index = steps.findIndex((step) => step.some((field) => Object.hasOwn(errors, field.name)));
  return index === -1 ? steps.length : index + 1;
}

export {
  registrationFields,
  type FieldContext,
  type FieldDefinition,
  type FieldError,
  type FieldKind,
  type FieldResult,
  type FieldTarget,
} from './fields.ts';
export { optionValues, type OptionSource } from './options.ts';
export { keptValues, validateRegistration, type RegisteredAccount, type RegistrationOptions, type RegistrationResult } from './validate.ts';
export { fieldsUpTo, firstStepInError, postedStep, registrationSteps, type RegistrationStep } from './steps.ts';

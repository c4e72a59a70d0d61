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
export { validateRegistration, type RegisteredAccount, type RegistrationOptions, type RegistrationResult } from './validate.ts';

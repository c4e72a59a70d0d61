export { AccountStore, DuplicateAccountError, type Account, type AccountType, type NewAccount, type NationalIdKind } from './store.ts';
export { PasswordSignIn, accountThrottleKeys, identifierCandidates, MAX_IDENTIFIER_LENGTH, MAX_PASSWORD_LENGTH, type SignInResult } from './sign-in.ts';
export { maskNationalId, maskTaxCode, maskPhone } from './identifiers/index.ts';
export { AccountNotifier } from './notifications.ts';
export { type FinishedRegistration, type PendingRegistration, PendingRegistrations, type RegistrationOutcome } from './pending-registrations.ts';
export { findProvince } from './provinces.ts';
export { ACCOUNT_OF, ACCOUNT_ROW_JSON, accountRow, accountRows } from './store.ts';
export { OPERATOR_ROLES, PERMISSIONS, isOperator, isOperatorRole, operatorRoles, type OperatorRole, type Permission } from './roles.ts';

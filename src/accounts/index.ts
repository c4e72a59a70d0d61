export { AccountStore, DuplicateAccountError, type Account, type AccountType, type NewAccount, type NationalIdKind } from './store.ts';
export { PasswordSignIn, accountThrottleKeys, identifierCandidates, MAX_IDENTIFIER_LENGTH, MAX_PASSWORD_LENGTH, type SignInResult } from './sign-in.ts';
export { maskNationalId, maskTaxCode, maskPhone } from './identifiers/index.ts';

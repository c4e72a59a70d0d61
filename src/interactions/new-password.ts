// Choosing a new password for an existing account, alike at a forced or chosen change in
// sign-in and at a reset: the policy (Hue-S Art. 9.1, with the holder's personal data),
// the confirmation typed twice, and no password used before, the current one included.
import type { Account, AccountStore } from '../accounts/index.ts';
import type { MessageKey } from '../i18n/index.ts';
import { checkPassword, isReused, type PasswordPolicy } from '../passwords/index.ts';

/** What is wrong with the chosen password; empty when it may be set. */
export async function newPasswordErrors(
  chosen: { password: string; confirmation: string },
  account: Account,
  accounts: Pick<AccountStore, 'passwordHashes'>,
  policy: PasswordPolicy,
): Promise<MessageKey[]> {
  const errors: MessageKey[] = checkPassword(chosen.password, policy, {
    nationalId: account.nationalId, taxCode: account.taxCode, phone: account.phone, username: account.username, fullName: account.fullName,
  });
  if (chosen.password !== chosen.confirmation) errors.push('password.mismatch');
  // Hue-S Art. 9.1: no password used before, the current one included; argon2 over the
  // history only for a password that passed everything else.
  if (errors.length === 0 && (await isReused(chosen.password, await accounts.passwordHashes(account.id), policy.historyDepth))) errors.push('password.reused');
  return errors;
}

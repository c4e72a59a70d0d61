// Password rules of SPEC R5 (Hue-S Art. 9.1; Smart-HaiDuong Art. 8.1): longer than
// 8 characters, with upper case, lower case, a digit and a special character. Every
// broken rule is reported at once, so a person fixes them in one go.
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

export const defaultPasswordPolicy: PasswordPolicy = { minLength: 9, maxLength: 128 };

export type PasswordRule = 'password.too_short' | 'password.too_long' | 'password.needs_upper' | 'password.needs_lower' | 'password.needs_digit' | 'password.needs_special';

export function checkPassword(password: string, policy: PasswordPolicy = defaultPasswordPolicy): PasswordRule[] {
  const broken: PasswordRule[] = [];
  const length = [...password].length;
  if (length < policy.minLength) broken.push('password.too_short');
  if (length > policy.maxLength) broken.push('password.too_long');
  if (!/\p{Lu}/u.test(password)) broken.push('password.needs_upper');
  if (!/\p{Ll}/u.test(password)) broken.push('password.needs_lower');
  if (!/\p{Nd}/u.test(password)) broken.push('password.needs_digit');
  if (!/[^\p{L}\p{Nd}\s]/u.test(password)) broken.push('password.needs_special');
  return broken;
}

// Password policy settings (SPEC R5), validated once at start-up like every other setting: a
// bad value stops the process with one line naming the variable. Defaults are the regulation's
// (Hue-S Art. 9.1; Smart-HaiDuong Art. 8.1).
import { ConfigError, integer, type Env } from '../config-parsers.ts';
import { defaultPasswordPolicy, type PasswordPolicy } from './policy.ts';

function historyDepth(env: Env): number | 'all' {
  const raw = env.PASSWORD_HISTORY_DEPTH;
  if (raw === undefined || raw === '') return defaultPasswordPolicy.historyDepth;
  if (raw.toLowerCase() === 'all') return 'all';
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 10000) {
    throw new ConfigError('PASSWORD_HISTORY_DEPTH', `"${raw}" is neither "all" nor a whole number from 1 to 10000`);
  }
  return Number(raw);
}

export function parsePasswordPolicy(env: Env): PasswordPolicy {
  const { maxLength } = defaultPasswordPolicy;
  // "Trên 8 kí tự" is a floor: a deployment may ask for longer passwords, never shorter.
  const minLength = integer(env, 'PASSWORD_MIN_LENGTH', defaultPasswordPolicy.minLength, 9, maxLength);
  // 0 turns rotation off, for a deployment not bound by these regulations: NIST SP 800-63B
  // (rev. 3) §5.1.1.2 advises against periodic changes when nothing suggests a compromise.
  const maxAgeDays = integer(env, 'PASSWORD_MAX_AGE_DAYS', defaultPasswordPolicy.maxAgeDays, 0, 3650);
  const warnDays = integer(env, 'PASSWORD_WARN_DAYS', defaultPasswordPolicy.warnDays, 0, 365);
  // A warning as long as the password's life would greet every sign-in.
  if (maxAgeDays > 0 && warnDays >= maxAgeDays) {
    throw new ConfigError('PASSWORD_WARN_DAYS', `${warnDays} must be less than PASSWORD_MAX_AGE_DAYS (${maxAgeDays})`);
  }
  return { minLength, maxLength, maxAgeDays, warnDays, historyDepth: historyDepth(env) };
}

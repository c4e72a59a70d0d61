// Password rotation (Hue-S Art. 9.1; Smart-HaiDuong Art. 8.1: changed at least every 90 days).
// An expired password forces a change at the next sign-in; from `warnDays` before, the person
// is warned and offered to change now. Days are spans of 24 hours from the moment of the
// change: Vietnam keeps no daylight saving time, so they never drift from calendar days.
import type { PasswordPolicy } from './policy.ts';

export interface PasswordStatus {
  /** `none`: the account has no password (VNeID-only), so there is nothing to rotate. */
  state: 'current' | 'warn' | 'expired' | 'none';
  /** Absent when there is no password or rotation is off (`maxAgeDays` 0). */
  expiresAt?: Date;
  /** Whole days until `expiresAt`, a part day counted as one; absent once expired. */
  daysLeft?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function passwordStatus(
  changedAt: Date | null,
  now: Date,
  policy: Pick<PasswordPolicy, 'maxAgeDays' | 'warnDays'>,
): PasswordStatus {
  if (changedAt === null) return { state: 'none' };
  if (policy.maxAgeDays === 0) return { state: 'current' };
  const expiresAt = new Date(changedAt.getTime() + policy.maxAgeDays * DAY_MS);
  const remaining = expiresAt.getTime() - now.getTime();
  if (remaining <= 0) return { state: 'expired', expiresAt };
  const daysLeft = Math.ceil(remaining / DAY_MS);
  return { state: daysLeft <= policy.warnDays ? 'warn' : 'current', expiresAt, daysLeft };
}

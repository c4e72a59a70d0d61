// The event types the log knows by name, as a list the console can offer and check typed
// filters against. `AuditEventType` (log.ts) stays the one definition: a type added there and
// not here fails the type check below, so the list never falls behind.
import type { AuditEventType } from './log.ts';

type NamedEventType = Exclude<AuditEventType, `admin.${string}`>;

export const NAMED_EVENT_TYPES = [
  'signin.succeeded',
  'signin.failed',
  'signin.throttled',
  'account.locked',
  'account.unlocked',
  'logout',
  'consent.given',
  'consent.denied',
  'consent.withdrawn',
  'token.revoked',
  'registration.started',
  'otp.sent',
  'otp.failed',
  'account.activated',
  'account.created',
  'password.reset_requested',
  'password.reset',
  'password.changed',
  'password.change_required',
  'second_factor.added',
  'client.created',
  'client.integration_requested',
  'client.registration_requested',
  'keys.rotated',
  'setup.link_issued',
  'setup.admin_created',
] as const satisfies readonly NamedEventType[];

// Every named type is in the list: `Unlisted` is never, or this line does not compile.
type Unlisted = Exclude<NamedEventType, (typeof NAMED_EVENT_TYPES)[number]>;
const everyTypeListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTypeListed;

/** An operator's action (console or admin API): `admin.` and a dotted name. */
export const ADMIN_EVENT_TYPE = /^admin\.[a-z0-9_]+(?:\.[a-z0-9_]+)*$/;

export function isNamedEventType(value: string): value is NamedEventType {
  return (NAMED_EVENT_TYPES as readonly string[]).includes(value);
}

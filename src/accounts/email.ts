// Email addresses typed at registration or given by an operator. Every app granted the email
// scope receives the address and puts it into its own pages, mails and scripts, so only the
// plain dot-atom form is accepted (RFC 5322 §3.4.1): no quoted local part, comment, IP-literal
// domain or non-ASCII character, which real addresses in use here do not need.

// atext (RFC 5322 §3.2.3) without the apostrophe and the backtick, which end a quoted string in
// the HTML attributes and scripts of apps that do not escape what they receive.
const ATOM = "[A-Za-z0-9!#$%&*+/=?^_{|}~-]+";
const LOCAL_PART = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
// RFC 1123 §2.1 host names: letters, digits and inner hyphens, labels of at most 63.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// A top-level domain is letters, or an internationalized one in its ASCII form (RFC 5890).
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** RFC 5321 §4.5.3.1: 64 for the local part; 254 for the whole, as it travels in a path. */
const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;

/**
 * The address to store, its domain lower-cased (only the domain is case-insensitive, RFC 5321
 * §2.4), or undefined when it is not a plain address.
 */
export function normalizeEmail(input: string): string | undefined {
  const value = input.normalize('NFC').trim();
  if (value.length > MAX_EMAIL_LENGTH) return undefined;
  const parts = value.split('@');
  if (parts.length !== 2) return undefined;
  const [local, domain] = [parts[0], parts[1].toLowerCase()];
  if (local.length > MAX_LOCAL_PART_LENGTH || !LOCAL_PART.test(local)) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || !TOP_LEVEL.test(labels.at(-1)!)) return undefined;
  return `${local}@${domain}`;
}

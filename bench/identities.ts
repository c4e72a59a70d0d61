// Who the seeded accounts are: serial number → a valid personal number, phone and birth date.

/** Serial numbers run 000000–999999 per birth year from 1950; phone numbers allow ten million. */
export const MAX_ACCOUNTS = 10_000_000;

/** A valid personal number (Thừa Thiên Huế, male, born 1950–1959), unique per serial. */
export function nationalIdOf(serial: number): string {
  if (!Number.isInteger(serial) || serial < 0 || serial >= MAX_ACCOUNTS) throw new RangeError(`serial ${serial} is outside 0–${MAX_ACCOUNTS - 1}`);
  return `0460${50 + Math.floor(serial / 1_000_000)}${String(serial % 1_000_000).padStart(6, '0')}`;
}

export function birthdateOf(serial: number): string {
  return `19${50 + Math.floor(serial / 1_000_000)}-05-17`;
}

/** A mobile number (090…), unique per serial. */
export function phoneOf(serial: number): string {
  return `+8490${String(serial).padStart(7, '0')}`;
}

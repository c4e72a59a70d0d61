import { fail, ok, type IdentifierResult } from './result.ts';

export const personNameErrorCodes = ['name.required', 'name.characters', 'name.punctuation', 'name.too_long'] as const;
export type PersonNameErrorCode = (typeof personNameErrorCodes)[number];

// Legal names are written in the Latin script: the Vietnamese alphabet, and the machine-readable
// names of foreigners' passports. Admitting other scripts would let look-alike letters (Cyrillic
// "а" for "a") make two spellings of one name that match nothing in VNeID (SPEC R8).
const LATIN_LETTER = /^[\p{L}&&\p{Script=Latin}]$/v;
const MARK = /^\p{M}$/u;
const VISIBLE = /^[\p{L}\p{N}\p{P}\p{S}]$/u;
// A joining mark only between two letters: "O'Brien", "Jean-Pierre", never "-An" or "Jean - Pierre".
const STRAY_PUNCTUATION = /(?:^|[ '-])['-]|['-](?:$|[ '-])/;

/**
 * A person's full name as it will be stored and compared: NFC, single spaces, letters with
 * apostrophes and hyphens between them. `maxLength` counts code points after NFC, so the same
 * name typed on an NFD keyboard (macOS, some Vietnamese input methods) has the same length.
 */
export function normalizePersonName(
  input: string,
  { maxLength = 100 }: { maxLength?: number } = {},
): IdentifierResult<string, PersonNameErrorCode> {
  const name = input
    .normalize('NFC')
    // Phones' smart punctuation turns ' into ’ and - into ‐; the stored name must not depend on
    // which keyboard typed it.
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/[\u2010\u2011]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  if (name === '') return fail('name.required');

  const length = [...name].length;
  if (length > maxLength) return fail('name.too_long', { max: maxLength, length });

  let previous = '';
  for (const char of name) {
    const allowed =
      char === ' ' ||
      char === "'" ||
      char === '-' ||
      // Compatibility forms (full-width Ｎ, ligature ﬁ) would store a second spelling of a name.
      (LATIN_LETTER.test(char) && char.normalize('NFKC') === char) ||
      (MARK.test(char) && (LATIN_LETTER.test(previous) || MARK.test(previous)));
    if (!allowed) return fail('name.characters', { character: describe(char) });
    previous = char;
  }
  if (STRAY_PUNCTUATION.test(name)) return fail('name.punctuation');

  return ok(name);
}

/** Invisible and control characters are named by code point, so the message shows something. */
function describe(char: string): string {
  if (VISIBLE.test(char)) return char;
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

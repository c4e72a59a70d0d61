// A name typed by an operator finds "Nguyễn Văn An" as "nguyen van an", "NGUYỄN" or "văn a":
// case and diacritics fold away on both sides. The column side is SQL `translate` with the
// letters below (no `unaccent` extension needed, the same on PostgreSQL and PGlite, whatever
// the database's locale: `lower` then only meets ASCII); the typed side is `foldName`.

/** Every precomposed Latin letter that is an ASCII letter plus marks, and đ/Đ. */
const FOLDED: readonly (readonly [string, string])[] = (() => {
  const pairs: [string, string][] = [['đ', 'd'], ['Đ', 'D']];
  for (const [from, to] of [[0x00c0, 0x024f], [0x1e00, 0x1eff]]) {
    for (let code = from; code <= to; code += 1) {
      const letter = String.fromCodePoint(code);
      const base = letter.normalize('NFD').replace(/\p{M}/gu, '');
      if (base !== letter && /^[A-Za-z]$/.test(base)) pairs.push([letter, base]);
    }
  }
  return pairs;
})();

/** `translate(full_name, FOLD_FROM, FOLD_TO)`: each letter of the one becomes the same place's of the other. */
export const FOLD_FROM = FOLDED.map(([letter]) => letter).join('');
export const FOLD_TO = FOLDED.map(([, base]) => base).join('');

const FOLD = new Map(FOLDED);

/** What a typed name is compared as: NFC, diacritics off, lower case, spaces collapsed. */
export function foldName(text: string): string {
  const composed = text.normalize('NFC').trim().replace(/\s+/g, ' ');
  return [...composed].map((character) => FOLD.get(character) ?? character).join('').toLowerCase();
}

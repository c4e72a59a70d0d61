// The provincial-level units of an address since 1 July 2025 (IDENTIFIERS.md). They are data,
// not code, so an operator can edit provinces.json when units change again; the file is
// checked when it is loaded, so a mistake there stops start-up instead of corrupting addresses.
import data from './provinces.json' with { type: 'json' };

export type ProvinceKind = 'city' | 'province';

export interface Province {
  /** Stable slug, stored in addresses; the name may be corrected without touching them. */
  readonly code: string;
  readonly name: string;
  readonly kind: ProvinceKind;
}

function checked(entries: readonly { code: string; name: string; kind: string }[]): readonly Province[] {
  const codes = new Set<string>();
  return entries.map(({ code, name, kind }) => {
    if (!/^[a-z0-9-]+$/.test(code) || codes.has(code)) throw new Error(`provinces.json: bad or repeated code "${code}"`);
    if (name.trim() === '' || name !== name.normalize('NFC')) throw new Error(`provinces.json: bad name for "${code}"`);
    if (kind !== 'city' && kind !== 'province') throw new Error(`provinces.json: kind of "${code}" must be city or province`);
    codes.add(code);
    return Object.freeze({ code, name, kind });
  });
}

export const provinces: readonly Province[] = Object.freeze(checked(data));

const byCode: ReadonlyMap<string, Province> = new Map(provinces.map((province) => [province.code, province]));

export function findProvince(code: string): Province | undefined {
  return byCode.get(code);
}

// The value lists behind the registration form's select fields. Only the values live here:
// they are what the server accepts and stores. The words a person reads are chosen by the page
// for its language (province names from the catalogue, country names from the runtime's CLDR data,
// the rest from src/i18n).
import { provinces } from '../provinces.ts';

export type OptionSource = 'provinces' | 'genders' | 'documentTypes' | 'countries';

export const genders = ['male', 'female'] as const;

/** The identity documents a citizen may register with (SPEC R1): the personal number first. */
export const documentTypes = ['cccd', 'cmnd', 'passport'] as const;

// ISO 3166-1 alpha-2, the codes passports are issued under; Viet Nam first because most
// passports presented here are Vietnamese ones.
const countryCodes: readonly string[] = Object.freeze(
  (
    'VN AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

const values: Readonly<Record<OptionSource, readonly string[]>> = {
  provinces: Object.freeze(provinces.map((province) => province.code)),
  genders,
  documentTypes,
  countries: countryCodes,
};

export function optionValues(source: OptionSource): readonly string[] {
  return values[source];
}

export function isOption(source: OptionSource, value: string): boolean {
  return values[source].includes(value);
}

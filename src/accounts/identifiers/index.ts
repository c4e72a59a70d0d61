export type { IdentifierError, IdentifierResult } from './result.ts';
export { parsePersonalIdNumber, cccdErrorCodes, type Gender, type PersonalIdNumber } from './cccd.ts';
export { parseLegacyIdNumber, cmndErrorCodes, type LegacyIdNumber } from './cmnd.ts';
export { parsePassport, passportErrorCodes, type Passport } from './passport.ts';
export { parseTaxCode, taxCodeErrorCodes, type TaxCode } from './tax-code.ts';
export { parseMobilePhone, maskPhone, phoneErrorCodes, type MobilePhone } from './phone.ts';
export { normalizePersonName, personNameErrorCodes } from './person-name.ts';
export { maskNationalId, maskTaxCode } from './masking.ts';
export type { IdentifierErrorCode } from './codes.ts';

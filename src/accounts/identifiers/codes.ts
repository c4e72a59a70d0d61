// Every code an identifier parser can raise; their words are in src/i18n/identifier-messages.ts.
import type { CccdErrorCode } from './cccd.ts';
import type { CmndErrorCode } from './cmnd.ts';
import type { PassportErrorCode } from './passport.ts';
import type { PersonNameErrorCode } from './person-name.ts';
import type { PhoneErrorCode } from './phone.ts';
import type { TaxCodeErrorCode } from './tax-code.ts';

export type IdentifierErrorCode =
  | CccdErrorCode
  | CmndErrorCode
  | PassportErrorCode
  | TaxCodeErrorCode
  | PhoneErrorCode
  | PersonNameErrorCode;

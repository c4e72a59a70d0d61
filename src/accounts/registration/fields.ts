// The registration form, declared once (Ninh Thuận 2024 Art. 8.2; SPEC R3). The page, the
// server-side validation and the stored account are all derived from these lists, so a field
// is added, dropped or made optional by editing one entry here (and its words in src/i18n):
// Art. 8.2 itself says "the fields may change when the app is upgraded".
import type { MessageKey } from '../../i18n/index.ts';
import type { PasswordPolicy } from '../../passwords/index.ts';
import type { NewAccount } from '../store.ts';
import type { OptionSource } from './options.ts';
import * as rules from './validators.ts';

export type FieldKind = 'text' | 'password' | 'date' | 'select' | 'tel' | 'email';

export interface FieldError {
  /** An i18n key. */
  code: string;
  params?: Readonly<Record<string, string | number>>;
  /** Further i18n keys shown as a list under the message: every password rule broken at once. */
  list?: readonly string[];
}

export type FieldResult = { ok: true; value: unknown } | { ok: false; error: FieldError };

export interface FieldContext {
  /** `YYYY-MM-DD`, the calendar date in Viet Nam: dates of birth and issue cannot be later. */
  today: string;
  /** The configured password rules (SPEC R5). */
  passwordPolicy: PasswordPolicy;
}

type AccountColumn = keyof Omit<NewAccount, 'type' | 'profile' | 'passwordHash' | 'status' | 'phoneVerified'>;

/**
 * Where a valid value goes: a `NewAccount` column; a path inside the account's `profile` JSON;
 * `password`, returned apart to be hashed; or `none` for a field that only checks another.
 */
export type FieldTarget = AccountColumn | `profile.${string}` | 'password' | 'none';

export interface FieldDefinition {
  /** The form field's name and the input's id. */
  readonly name: string;
  /** i18n key of the visible label. */
  readonly label: MessageKey;
  /** i18n key of a hint shown under the label. */
  readonly hint?: MessageKey;
  /** i18n key of the fieldset legend; consecutive fields with one group share a fieldset. */
  readonly group: MessageKey;
  readonly kind: FieldKind;
  readonly inputmode?: 'numeric' | 'text';
  /** HTML autofill token (SPEC §6); `off` where none describes the field. */
  readonly autocomplete: string;
  /** `none` also turns off autocorrect and spell-checking: identifiers are not words. */
  readonly autocapitalize?: 'none' | 'words';
  readonly required: boolean;
  /** The most characters the field accepts at all; the validator may set a tighter limit. */
  readonly maxLength: number;
  readonly options?: OptionSource;
  /** Pre-selected before the person chooses. */
  readonly defaultValue?: string;
  readonly target: FieldTarget;
  /** Runs only on a non-empty value that passed the shared checks. `value: undefined` stores nothing. */
  validate(raw: string, form: Readonly<Record<string, string>>, context: FieldContext): FieldResult;
}

// Shared by both account types.
const accountFields: readonly FieldDefinition[] = [
  {
    name: 'username',
    label: 'field.username',
    hint: 'field.username_hint',
    group: 'register.group.account',
    kind: 'text',
    autocomplete: 'username',
    autocapitalize: 'none',
    required: true,
    maxLength: 64,
    target: 'username',
    validate: rules.username,
  },
  {
    name: 'password',
    label: 'field.password',
    hint: 'field.password_hint',
    group: 'register.group.account',
    kind: 'password',
    autocomplete: 'new-password',
    required: true,
    // Above the policy's 128 so a longer password is told the rule instead of being cut short.
    maxLength: 1024,
    target: 'password',
    validate: rules.newPassword,
  },
  {
    name: 'passwordConfirmation',
    label: 'field.password_confirmation',
    group: 'register.group.account',
    kind: 'password',
    autocomplete: 'new-password',
    required: true,
    maxLength: 1024,
    target: 'none',
    validate: rules.passwordConfirmation,
  },
];

const phoneField: FieldDefinition = {
  name: 'phone',
  label: 'field.phone',
  hint: 'field.phone_hint',
  group: 'register.group.contact',
  kind: 'tel',
  autocomplete: 'tel',
  required: true,
  maxLength: 32,
  target: 'phone',
  validate: rules.mobilePhone,
};

const emailField: FieldDefinition = {
  name: 'email',
  label: 'field.email',
  group: 'register.group.contact',
  kind: 'email',
  autocomplete: 'email',
  autocapitalize: 'none',
  // Art. 8.2: "email (không bắt buộc)".
  required: false,
  maxLength: 254,
  target: 'email',
  validate: rules.email,
};

// Since 1 July 2025 there is no district level: province → commune/ward → street and house
// number (IDENTIFIERS.md), so Art. 8.2's "huyện/thành phố" is not asked.
const addressFields: readonly FieldDefinition[] = [
  {
    name: 'province',
    label: 'field.province',
    group: 'register.group.address',
    kind: 'select',
    options: 'provinces',
    autocomplete: 'address-level1',
    required: true,
    maxLength: 64,
    target: 'profile.address.province',
    validate: rules.province,
  },
  {
    name: 'ward',
    label: 'field.ward',
    hint: 'field.ward_hint',
    group: 'register.group.address',
    kind: 'text',
    autocomplete: 'address-level2',
    autocapitalize: 'words',
    required: true,
    maxLength: 100,
    target: 'profile.address.ward',
    validate: rules.addressText,
  },
  {
    name: 'houseNumber',
    label: 'field.house_number',
    hint: 'field.house_number_hint',
    group: 'register.group.address',
    kind: 'text',
    autocomplete: 'off',
    // Art. 8.2 lists "số nhà", but many village houses have none; requiring it would make
    // people invent one.
    required: false,
    maxLength: 50,
    target: 'profile.address.houseNumber',
    validate: rules.addressText,
  },
  {
    name: 'street',
    label: 'field.street',
    hint: 'field.street_hint',
    group: 'register.group.address',
    kind: 'text',
    autocomplete: 'address-line1',
    autocapitalize: 'words',
    required: true,
    maxLength: 150,
    target: 'profile.address.street',
    validate: rules.addressText,
  },
];

const citizen: readonly FieldDefinition[] = [
  ...accountFields,
  {
    name: 'fullName',
    label: 'field.full_name',
    hint: 'field.full_name_hint',
    group: 'register.group.person',
    kind: 'text',
    autocomplete: 'name',
    autocapitalize: 'words',
    required: true,
    // Twice the stored limit of 100: a name typed on a decomposing (NFD) keyboard is longer
    // until it is normalized, and normalizePersonName enforces the real limit.
    maxLength: 200,
    target: 'fullName',
    validate: rules.personName,
  },
  {
    name: 'birthdate',
    label: 'field.birthdate',
    hint: 'field.date_hint',
    group: 'register.group.person',
    kind: 'date',
    autocomplete: 'bday',
    required: true,
    maxLength: 10,
    target: 'birthdate',
    validate: rules.birthdate,
  },
  {
    name: 'gender',
    label: 'field.gender',
    group: 'register.group.person',
    kind: 'select',
    options: 'genders',
    autocomplete: 'sex',
    required: true,
    maxLength: 6,
    target: 'gender',
    validate: rules.oneOf('genders'),
  },
  phoneField,
  emailField,
  {
    name: 'idType',
    label: 'field.id_type',
    hint: 'field.id_type_hint',
    group: 'register.group.document',
    kind: 'select',
    options: 'documentTypes',
    defaultValue: 'cccd',
    autocomplete: 'off',
    required: true,
    maxLength: 8,
    target: 'nationalIdKind',
    validate: rules.oneOf('documentTypes'),
  },
  {
    name: 'idNumber',
    label: 'field.id_number',
    hint: 'field.id_number_hint',
    group: 'register.group.document',
    kind: 'text',
    autocomplete: 'off',
    autocapitalize: 'none',
    required: true,
    maxLength: 32,
    target: 'nationalId',
    validate: rules.identityDocumentNumber,
  },
  {
    name: 'nationality',
    label: 'field.nationality',
    hint: 'field.nationality_hint',
    group: 'register.group.document',
    kind: 'select',
    options: 'countries',
    defaultValue: 'VN',
    autocomplete: 'off',
    required: false,
    maxLength: 2,
    target: 'profile.nationality',
    validate: rules.passportNationality,
  },
  {
    name: 'issueDate',
    label: 'field.issue_date',
    hint: 'field.date_hint',
    group: 'register.group.document',
    kind: 'date',
    autocomplete: 'off',
    required: true,
    maxLength: 10,
    target: 'profile.idDocument.issueDate',
    validate: rules.issueDate,
  },
  {
    name: 'issuePlace',
    label: 'field.issue_place',
    hint: 'field.issue_place_hint',
    group: 'register.group.document',
    kind: 'text',
    autocomplete: 'off',
    required: true,
    maxLength: 150,
    target: 'profile.idDocument.issuePlace',
    validate: rules.addressText,
  },
  ...addressFields,
];

// SPEC R2 and Art. 8.4: an organization is identified by its tax code; the person acting for
// it is recorded as its representative.
const organization: readonly FieldDefinition[] = [
  ...accountFields,
  {
    name: 'taxCode',
    label: 'field.tax_code',
    hint: 'field.tax_code_hint',
    group: 'register.group.organization',
    kind: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    required: true,
    maxLength: 32,
    target: 'taxCode',
    validate: rules.taxCode,
  },
  {
    name: 'organizationName',
    label: 'field.organization_name',
    hint: 'field.organization_name_hint',
    group: 'register.group.organization',
    kind: 'text',
    autocomplete: 'organization',
    required: true,
    maxLength: 255,
    target: 'fullName',
    validate: rules.organizationName,
  },
  {
    name: 'representativeName',
    label: 'field.representative_name',
    group: 'register.group.representative',
    kind: 'text',
    autocomplete: 'off',
    autocapitalize: 'words',
    required: true,
    maxLength: 200,
    target: 'profile.representative.fullName',
    validate: rules.personName,
  },
  {
    name: 'representativeNationalId',
    label: 'field.representative_national_id',
    hint: 'field.representative_national_id_hint',
    group: 'register.group.representative',
    kind: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    required: true,
    maxLength: 32,
    target: 'profile.representative.nationalId',
    validate: rules.personalIdNumber,
  },
  phoneField,
  emailField,
  ...addressFields,
];

const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;
const PROFILE_PATH = /^profile(\.[a-zA-Z][a-zA-Z0-9]*)+$/;

// Checked when loaded, like the province catalogue: a slip in an edited declaration stops
// start-up instead of losing or overwriting a value at registration.
function checked(type: string, fields: readonly FieldDefinition[]): readonly FieldDefinition[] {
  const names = new Set<string>();
  const targets = new Set<string>();
  for (const field of fields) {
    const where = `registration field ${type}.${field.name}`;
    if (!FIELD_NAME.test(field.name) || names.has(field.name)) throw new Error(`${where}: bad or repeated name`);
    if (field.target.startsWith('profile') && !PROFILE_PATH.test(field.target)) throw new Error(`${where}: bad profile path`);
    if (field.target !== 'none' && targets.has(field.target)) throw new Error(`${where}: target ${field.target} is already filled`);
    if ((field.kind === 'select') !== (field.options !== undefined)) throw new Error(`${where}: a select, and only a select, has options`);
    names.add(field.name);
    targets.add(field.target);
  }
  for (const target of ['fullName', 'password']) {
    if (!targets.has(target)) throw new Error(`registration fields of ${type}: nothing fills ${target}`);
  }
  for (const field of fields) Object.freeze(field);
  return Object.freeze(fields);
}

export const registrationFields: { readonly citizen: readonly FieldDefinition[]; readonly organization: readonly FieldDefinition[] } =
  Object.freeze({ citizen: checked('citizen', citizen), organization: checked('organization', organization) });

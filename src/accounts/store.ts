// SQL for the accounts table (and password_history). Identifiers arrive already validated
// and normalized; here they are sealed (`_enc`) and indexed by keyed HMAC (`_hmac`).
//
// One module per table, composed statements allowed: the sign-in look-up finds the account,
// counts the attempt and reads the authenticator flag in ONE statement (SPEC: a round trip
// per step is what a sign-in under load cannot afford), so each of the other tables' modules
// exports the fragment of that statement that touches its table (`SignInLockout#counting`
// for sign_in_throttles, `TOTP_ENROLLED` for totp_factors) and this module composes them.
// Likewise oidc/adapter.ts reads an account along with a token through `ACCOUNT_ROW_JSON`
// and `ACCOUNT_OF`, and hands the row back through `accountRows`: one row shape
// (`AccountRow`) whichever statement read it.
import { randomUUID } from 'node:crypto';
import { batched, prepared, readAhead, rowsVersion, type Knex } from '../db/index.ts';
import { TOTP_ENROLLED, totpEnrolledRows } from '../otp/index.ts';
import { countedOf, type CountedKey, type CountingSql, type ThrottleKey } from '../passwords/index.ts';
import type { Sealer } from '../secrets/index.ts';
import { OPERATOR_ROLES } from './roles.ts';
import { FOLD_FROM, FOLD_TO, foldName } from './name-search.ts';

export type AccountType = 'citizen' | 'organization';
export type NationalIdKind = 'cccd' | 'cmnd' | 'passport';

export interface Account {
  id: string;
  type: AccountType;
  /** 'deleted': erased on a data subject's request, the row kept so the audit trail names an id. */
  status: 'pending' | 'active' | 'disabled' | 'deleted';
  username: string | null;
  nationalIdKind: NationalIdKind | null;
  nationalId: string | null;
  taxCode: string | null;
  phone: string | null;
  phoneVerified: boolean;
  email: string | null;
  fullName: string;
  birthdate: string | null;
  gender: 'male' | 'female' | null;
  profile: Record<string, unknown>;
  passwordHash: string | null;
  passwordChangedAt: Date | null;
  passwordChangeRequired: boolean;
  roles: string[];
  /** The agency an operator belongs to (agencies table); null for everyone else. */
  agencyId: string | null;
  updatedAt: Date;
}

export interface NewAccount {
  type: AccountType;
  username?: string | null;
  nationalIdKind?: NationalIdKind | null;
  nationalId?: string | null;
  taxCode?: string | null;
  phone?: string | null;
  phoneVerified?: boolean;
  email?: string | null;
  fullName: string;
  birthdate?: string | null;
  gender?: 'male' | 'female' | null;
  profile?: Record<string, unknown>;
  passwordHash?: string | null;
  status?: Account['status'];
  roles?: string[];
  agencyId?: string | null;
}

export const PURPOSE = {
  nationalId: 'accounts.national_id',
  taxCode: 'accounts.tax_code',
  phone: 'accounts.phone',
  profile: 'accounts.profile',
} as const;

/**
 * The keys a password attempt counts under (passwords/lockout.ts), all of them made from
 * what was typed and where from, none from whether an account matched: each identifier the
 * text can be, each of those from this address, and the address.
 */
export interface AttemptKeys {
  identifiers: ThrottleKey[];
  pairs: ThrottleKey[];
  ip: ThrottleKey;
}

/** Candidate lookups for one typed-in sign-in identifier (one may match several columns). */
export interface IdentifierCandidates {
  username?: string;
  nationalId?: string;
  taxCode?: string;
  phone?: string;
}

export class DuplicateAccountError extends Error {
  readonly field: 'username' | 'national_id' | 'tax_code';
  constructor(field: 'username' | 'national_id' | 'tax_code') {
    super(`an account with this ${field} already exists`);
    this.name = 'DuplicateAccountError';
    this.field = field;
  }
}

const COLUMNS = [
  'id', 'type', 'status', 'username', 'national_id_kind', 'national_id_enc', 'tax_code_enc', 'phone_enc', 'phone_verified',
  'email', 'full_name', 'birthdate', 'gender', 'profile_enc', 'password_hash', 'password_changed_at', 'password_change_required', 'roles', 'agency_id', 'updated_at',
];

/**
 * An accounts row as every path hands it to `#toAccount`: timestamps as Date, the birthdate
 * as its calendar day (YYYY-MM-DD), whether it was read as columns or as JSON.
 */
export interface AccountRow {
  id: string;
  type: AccountType;
  status: Account['status'];
  username: string | null;
  national_id_kind: NationalIdKind | null;
  national_id_enc: string | null;
  tax_code_enc: string | null;
  phone_enc: string | null;
  phone_verified: boolean;
  email: string | null;
  full_name: string;
  birthdate: string | null;
  gender: Account['gender'];
  profile_enc: string | null;
  password_hash: string | null;
  password_changed_at: Date | null;
  password_change_required: boolean;
  roles: string[];
  agency_id: string | null;
  updated_at: Date;
}

/** The one shape of an accounts row, from the columns (`COLUMNS`) or from `ACCOUNT_ROW_JSON`'s object. */
export function accountRow(raw: Record<string, any>): AccountRow {
  return {
    id: raw.id,
    type: raw.type,
    status: raw.status,
    username: raw.username ?? null,
    national_id_kind: raw.national_id_kind ?? null,
    national_id_enc: raw.national_id_enc ?? null,
    tax_code_enc: raw.tax_code_enc ?? null,
    phone_enc: raw.phone_enc ?? null,
    phone_verified: raw.phone_verified === true,
    email: raw.email ?? null,
    full_name: raw.full_name,
    birthdate: isoDate(raw.birthdate),
    gender: raw.gender ?? null,
    profile_enc: raw.profile_enc ?? null,
    password_hash: raw.password_hash ?? null,
    password_changed_at: raw.password_changed_at ? new Date(raw.password_changed_at) : null,
    password_change_required: raw.password_change_required === true,
    roles: [...(raw.roles ?? [])],
    agency_id: raw.agency_id ?? null,
    updated_at: new Date(raw.updated_at),
  };
}

/**
 * Accounts read ahead by id, with the session, token or interaction that names them
 * (oidc/adapter.ts); every write of this module forgets them (`ReadAhead#writes`).
 */
export const accountRows = readAhead<AccountRow>('Account');

/** The account row of alias `table` as one JSON object of `COLUMNS`, for a statement that reads it along (`accountRow` reads it back). */
export const ACCOUNT_ROW_JSON = (table: string) => `jsonb_build_object(${COLUMNS.map((column) => `'${column}', ${table}.${column}`).join(', ')})`;

/** An account id as the accounts table keys it; anything else names no account. */
const ACCOUNT_ID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** A LEFT JOIN of the account (alias `table`) whose id is the text `accountId`, which may be no account id at all. */
export const ACCOUNT_OF = (table: string, accountId: string) =>
  `LEFT JOIN accounts ${table} ON ${table}.id = CASE WHEN ${accountId} ~ '${ACCOUNT_ID}' THEN CAST(${accountId} AS uuid) END`;

/** Any of the identifier columns equal to its binding (`AccountStore#matchesOf`), in table or alias `table`. */
const MATCHES = (table: string) => ['username', 'national_id_hmac', 'tax_code_hmac', 'phone_hmac'].map((column) => `${table}.${column} = ?`).join(' OR ');

function isoDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
    return local.toISOString().slice(0, 10);
  }
  return String(value).slice(0, 10);
}

export class AccountStore {
  readonly #knex: Knex;
  readonly #sealer: Sealer;
  /** Look-ups by id of one event-loop turn share a statement (every token request makes one). */
  readonly #rowsById: (id: string) => Promise<Record<string, any> | undefined>;

  constructor(knex: Knex, sealer: Sealer) {
    this.#knex = knex;
    this.#sealer = sealer;
    this.#rowsById = batched(async (ids) => {
      const unique = [...new Set(ids)];
      const rows: Array<Record<string, any>> = await knex('accounts').select(COLUMNS).whereRaw('id = ANY (CAST(? AS uuid[]))', [unique]).options(prepared('accounts_by_id'));
      const byId = new Map(rows.map((row) => [row.id as string, row]));
      return ids.map((id) => byId.get(id));
    });
  }

  #toAccount(raw: Record<string, any>): Account {
    const row = accountRow(raw);
    const open = (value: string | null, purpose: string) => (value ? this.#sealer.open(value, purpose) : null);
    return {
      id: row.id,
      type: row.type,
      status: row.status,
      username: row.username,
      nationalIdKind: row.national_id_kind,
      nationalId: open(row.national_id_enc, PURPOSE.nationalId),
      taxCode: open(row.tax_code_enc, PURPOSE.taxCode),
      phone: open(row.phone_enc, PURPOSE.phone),
      phoneVerified: row.phone_verified,
      email: row.email,
      fullName: row.full_name,
      birthdate: row.birthdate,
      gender: row.gender,
      profile: row.profile_enc ? JSON.parse(this.#sealer.open(row.profile_enc, PURPOSE.profile)) : {},
      passwordHash: row.password_hash,
      passwordChangedAt: row.password_changed_at,
      passwordChangeRequired: row.password_change_required,
      roles: [...row.roles],
      agencyId: row.agency_id,
      updatedAt: row.updated_at,
    };
  }

  // Every write of the table is made through `accountRows.writes`: it forgets the accounts
  // this request read ahead before it runs, so none of them is handed out stale.

  /** A new account; in `db` when given (a transaction the caller writes more in). */
  readonly create = accountRows.writes(async (input: NewAccount, db: Knex = this.#knex): Promise<Account> => {
    const seal = (value: string | null | undefined, purpose: string) => (value ? this.#sealer.seal(value, purpose) : null);
    const lookup = (value: string | null | undefined, purpose: string) => (value ? this.#sealer.lookup(value, purpose) : null);
    const row = {
      id: randomUUID(),
      type: input.type,
      status: input.status ?? 'active',
      username: input.username?.toLowerCase() ?? null,
      national_id_kind: input.nationalId ? input.nationalIdKind ?? 'cccd' : null,
      national_id_enc: seal(input.nationalId, PURPOSE.nationalId),
      national_id_hmac: lookup(input.nationalId, PURPOSE.nationalId),
      tax_code_enc: seal(input.taxCode, PURPOSE.taxCode),
      tax_code_hmac: lookup(input.taxCode, PURPOSE.taxCode),
      phone_enc: seal(input.phone, PURPOSE.phone),
      phone_hmac: lookup(input.phone, PURPOSE.phone),
      phone_verified: input.phoneVerified ?? false,
      email: input.email ?? null,
      full_name: input.fullName,
      birthdate: input.birthdate ?? null,
      gender: input.gender ?? null,
      profile_enc: input.profile && Object.keys(input.profile).length ? this.#sealer.seal(JSON.stringify(input.profile), PURPOSE.profile) : null,
      password_hash: input.passwordHash ?? null,
      password_changed_at: input.passwordHash ? this.#knex.fn.now() : null,
      roles: JSON.stringify(input.roles ?? []),
      agency_id: input.agencyId ?? null,
    };
    try {
      const [created] = await db('accounts').insert(row).returning(COLUMNS);
      return this.#toAccount(created);
    } catch (error) {
      const constraint = (error as { constraint?: string }).constraint ?? String((error as Error).message);
      if (constraint.includes('accounts_national_id')) throw new DuplicateAccountError('national_id');
      if (constraint.includes('accounts_tax_code')) throw new DuplicateAccountError('tax_code');
      if (constraint.includes('accounts_username')) throw new DuplicateAccountError('username');
      throw error;
    }
  });

  async findById(id: string): Promise<Account | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return undefined;
    // Read ahead with the session, token or interaction that names it (oidc/adapter.ts).
    const read = accountRows.take(id);
    const row = read ? read.row : await this.#rowsById(id);
    return row ? this.#toAccount(row) : undefined;
  }

  /**
   * The candidates as the bindings of `MATCHES`, one per identifier column, NULL for a
   * candidate not given (`column = NULL` matches nothing): one statement text whichever
   * candidates the typed text parses as (db/batch.ts `prepared`).
   */
  #matchesOf(candidates: IdentifierCandidates): { any: boolean; values: Array<string | null> } {
    const { username, nationalId, taxCode, phone } = candidates;
    const values = [
      username ? username.toLowerCase() : null,
      nationalId ? this.#sealer.lookup(nationalId, PURPOSE.nationalId) : null,
      taxCode ? this.#sealer.lookup(taxCode, PURPOSE.taxCode) : null,
      phone ? this.#sealer.lookup(phone, PURPOSE.phone) : null,
    ];
    return { any: values.some((value) => value !== null), values };
  }

  /** Active accounts matching any candidate; callers treat more than one match as no match. */
  async findActiveByIdentifier(candidates: IdentifierCandidates): Promise<Account[]> {
    const { any, values } = this.#matchesOf(candidates);
    if (!any) return [];
    const rows = await this.#knex('accounts')
      .select(COLUMNS)
      .where({ status: 'active' })
      .andWhereRaw(`(${MATCHES('accounts')})`, values)
      .limit(2)
      .options(prepared('accounts_by_identifier'));
    return rows.map((row) => this.#toAccount(row));
  }

  /**
   * The ids of the accounts, in any status, matching any candidate (at most `limit`): whom an
   * operator means by an identifier typed into a search, such as the audit log's filter.
   */
  async idsByIdentifier(candidates: IdentifierCandidates, limit = 20): Promise<string[]> {
    const { any, values } = this.#matchesOf(candidates);
    if (!any) return [];
    const rows: Array<{ id: string }> = await this.#knex('accounts').select('id').whereRaw(`(${MATCHES('accounts')})`, values).limit(limit);
    return rows.map((row) => row.id);
  }

  /**
   * At sign-in, in one statement: the active accounts matching any candidate, and the
   * attempt counted (passwords/lockout.ts) before any password is checked, under `keys`
   * whether or not an account matched. Also reads ahead whether each match has an
   * authenticator (otp/totp.ts, db/request-scope.ts). One statement where a look-up, a
   * count and a read would take three on every password sign-in.
   */
  async findForSignIn(candidates: IdentifierCandidates, keys: AttemptKeys, counting: CountingSql): Promise<{ accounts: Account[]; counted: CountedKey[] }> {
    const { values } = this.#matchesOf(candidates);
    const counted = [...new Set([...keys.identifiers, ...keys.pairs, keys.ip])];
    const since = rowsVersion();
    const { rows } = (await this.#knex.raw(
      `WITH matched AS (
         SELECT ${COLUMNS.map((column) => `a.${column}`).join(', ')},
                ${TOTP_ENROLLED('a')} AS totp_enrolled
         FROM accounts a
         WHERE a.status = 'active' AND (${MATCHES('a')})
         LIMIT 2
       ), attempt AS (
         SELECT v.key FROM unnest(CAST(? AS text[])) AS v(key)
       ), ${counting.ctes}
       SELECT m.*, ${counting.countedJson} AS counted
       FROM (SELECT 1) AS one LEFT JOIN matched m ON true`,
      [...values, counted, ...counting.bindings],
    ).options(prepared('accounts_for_sign_in'))) as { rows: Array<Record<string, any>> };
    const counts = countedOf(rows[0]?.counted);
    const accounts = rows.filter((row) => row.id);
    for (const row of accounts) totpEnrolledRows.keep(row.id, row.totp_enrolled, since);
    return { accounts: accounts.map((row) => this.#toAccount(row)), counted: counts };
  }

  /**
   * A new password: the one it replaces goes into the history (Hue-S Art. 9.1), and a
   * change an operator required is done. In `trx` when given (the caller's transaction).
   */
  readonly setPassword = accountRows.writes(async (id: string, passwordHash: string, at: Date, trx?: Knex.Transaction): Promise<void> => {
    const write = async (db: Knex.Transaction) => {
      const current = await db('accounts').select('password_hash').where({ id }).forUpdate().first();
      if (current?.password_hash) await db('password_history').insert({ account_id: id, password_hash: current.password_hash, created_at: at });
      await db('accounts').where({ id }).update({ password_hash: passwordHash, password_changed_at: at, password_change_required: false, updated_at: at });
    };
    await (trx ? write(trx) : this.#knex.transaction(write));
  });

  /** The same password re-hashed with current parameters: not a change, no history entry. */
  readonly upgradePasswordHash = accountRows.writes(async (id: string, previousHash: string, passwordHash: string): Promise<void> => {
    await this.#knex('accounts').where({ id, password_hash: previousHash }).update({ password_hash: passwordHash });
  });

  /** The current hash and earlier ones, newest first (what `isReused` expects). */
  async passwordHashes(id: string): Promise<string[]> {
    const account = await this.#knex('accounts').select('password_hash').where({ id }).first();
    const history = await this.#knex('password_history').select('password_hash').where({ account_id: id }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    return [account?.password_hash, ...history.map((row: { password_hash: string }) => row.password_hash)].filter(Boolean);
  }

  readonly requirePasswordChange = accountRows.writes(async (id: string, db: Knex = this.#knex): Promise<boolean> => {
    const updated = await db('accounts').where({ id }).whereNot({ status: 'deleted' }).update({ password_change_required: true }).returning('id');
    return updated.length === 1;
  });

  // What an operator does with accounts (admin/account-admin.ts). Searches go through the
  // keyed HMAC indexes or the name in clear, never by opening the sealed columns of the table.

  /** Accounts of any status matching any candidate, at most `limit`. */
  async findByIdentifier(candidates: IdentifierCandidates, limit: number): Promise<Account[]> {
    const { any, values } = this.#matchesOf(candidates);
    if (!any) return [];
    const rows = await this.#knex('accounts').select(COLUMNS).whereRaw(`(${MATCHES('accounts')})`, values).orderBy('id').limit(limit);
    return rows.map((row) => this.#toAccount(row));
  }

  /**
   * Accounts whose name contains `text` whatever its case and diacritics (name-search.ts),
   * at most `limit`: a scan of the names, which an operator's search can afford.
   */
  async findByName(text: string, limit: number): Promise<Account[]> {
    const rows = await this.#knex('accounts')
      .select(COLUMNS)
      .whereRaw(`lower(translate(full_name, ?, ?)) LIKE ? ESCAPE '\\'`, [FOLD_FROM, FOLD_TO, `%${likePattern(foldName(text))}%`])
      .whereNot({ status: 'deleted' })
      .orderBy('full_name')
      .orderBy('id')
      .limit(limit);
    return rows.map((row) => this.#toAccount(row));
  }

  /** The account with when it was made, for an operator's page. */
  async describe(id: string): Promise<{ account: Account; createdAt: Date } | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.#knex('accounts').select([...COLUMNS, 'created_at']).where({ id }).first();
    return row ? { account: this.#toAccount(row), createdAt: new Date(row.created_at) } : undefined;
  }

  /** Accounts holding any operator role (of `agencyId` when given), by name, at most `limit`. */
  async findOperators(roles: readonly string[], agencyId: string | undefined, limit: number): Promise<Account[]> {
    const query = this.#knex('accounts')
      .select(COLUMNS)
      .whereRaw('EXISTS (SELECT 1 FROM jsonb_array_elements_text(accounts.roles) AS role WHERE role = ANY (CAST(? AS text[])))', [[...roles]])
      .orderBy('full_name')
      .orderBy('id')
      .limit(limit);
    if (agencyId !== undefined) query.where({ agency_id: agencyId });
    return (await query).map((row) => this.#toAccount(row));
  }

  /**
   * The active accounts holding `role`, their rows locked to the end of `trx`: whoever takes
   * the role away or disables one of them learns, under the lock, whether another remains.
   */
  async lockHoldersOf(role: string, trx: Knex.Transaction): Promise<string[]> {
    const rows = await trx('accounts').select('id').where({ status: 'active' }).whereRaw('roles @> CAST(? AS jsonb)', [JSON.stringify([role])]).orderBy('id').forUpdate();
    return rows.map((row: { id: string }) => row.id);
  }

  /** Moves the account from status `from` to `to`; false when it was not in `from`. */
  readonly setStatus = accountRows.writes(async (id: string, from: Account['status'], to: Account['status'], at: Date, db: Knex = this.#knex): Promise<boolean> => {
    const updated = await db('accounts').where({ id, status: from }).update({ status: to, updated_at: at }).returning('id');
    return updated.length === 1;
  });

  /** An operator's roles and agency, replaced. */
  readonly setRoles = accountRows.writes(async (id: string, roles: readonly string[], agencyId: string | null, at: Date, db: Knex = this.#knex): Promise<boolean> => {
    const updated = await db('accounts').where({ id }).whereNot({ status: 'deleted' }).update({ roles: JSON.stringify(roles), agency_id: agencyId, updated_at: at }).returning('id');
    return updated.length === 1;
  });

  /**
   * Erases the person from the row (Decree 13/2023 Art. 16: deletion on the data subject's
   * request): identifiers sealed and indexed, name, contact details, profile, password and
   * its history, roles. The row stays with status 'deleted', its id now naming nobody, so the
   * audit trail keeps pointing at something. False when it was deleted already.
   */
  readonly erase = accountRows.writes(async (id: string, at: Date, trx: Knex.Transaction): Promise<boolean> => {
    await trx('password_history').where({ account_id: id }).delete();
    const updated = await trx('accounts').where({ id }).whereNot({ status: 'deleted' }).update({
      status: 'deleted',
      username: null,
      national_id_kind: null,
      national_id_enc: null,
      national_id_hmac: null,
      tax_code_enc: null,
      tax_code_hmac: null,
      phone_enc: null,
      phone_hmac: null,
      phone_verified: false,
      email: null,
      full_name: ERASED_NAME,
      birthdate: null,
      gender: null,
      profile_enc: null,
      password_hash: null,
      password_changed_at: null,
      password_change_required: false,
      roles: JSON.stringify([]),
      agency_id: null,
      updated_at: at,
    }).returning('id');
    return updated.length === 1;
  });

  /** Whether any account, in any state, holds an operator role (roles.ts); in `db` when given. */
  async hasOperator(db: Knex = this.#knex): Promise<boolean> {
    const row = await db('accounts').select('id').whereRaw('jsonb_exists_any(roles, CAST(? AS text[]))', [[...OPERATOR_ROLES]]).first();
    return row !== undefined;
  }
}

/** The name an erased account keeps (the column cannot be null): nothing of the person. */
export const ERASED_NAME = '';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `text` for a LIKE pattern, its wildcards and escape character taken literally. */
function likePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

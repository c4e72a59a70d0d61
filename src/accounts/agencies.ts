// Agencies are data (issue "operator console" point 3): the departments and people's committees
// an operator belongs to, one each at most (accounts.agency_id). An agency administrator reaches
// only its own agency's operators (admin/permissions.ts).
import { randomUUID } from 'node:crypto';
import type { Knex } from '../db/index.ts';

export interface Agency {
  id: string;
  name: string;
}

export const MAX_AGENCY_NAME_LENGTH = 200;

/** Control, format (bidi overrides, zero-width) and unassigned characters, line and paragraph separators. */
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}]/u;
const LETTER = /\p{L}/u;

export type AgencyNameError = 'agency.name_empty' | 'agency.name_too_long' | 'agency.name_invalid' | 'agency.name_taken';

/** The name as stored (NFC, spaces collapsed), or why it cannot be one. */
export function checkAgencyName(raw: string): { ok: true; name: string } | { ok: false; error: AgencyNameError } {
  if (INVISIBLE.test(raw.replace(/[\t\n\r]/g, ' '))) return { ok: false, error: 'agency.name_invalid' };
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name === '') return { ok: false, error: 'agency.name_empty' };
  if ([...name].length > MAX_AGENCY_NAME_LENGTH) return { ok: false, error: 'agency.name_too_long' };
  if (!LETTER.test(name)) return { ok: false, error: 'agency.name_invalid' };
  return { ok: true, name };
}

/** An agency name refused by `AgencyStore#add`, in words for an operator's command line. */
export class InvalidAgencyNameError extends Error {
  /** The name is fine, but another agency has it. */
  readonly duplicate: boolean;

  constructor(detail: string, duplicate = false) {
    super(detail);
    this.name = 'InvalidAgencyNameError';
    this.duplicate = duplicate;
  }
}

const NAME_PROBLEMS: Record<Exclude<AgencyNameError, 'agency.name_taken'>, string> = {
  'agency.name_empty': 'is empty',
  'agency.name_too_long': `is longer than ${MAX_AGENCY_NAME_LENGTH} characters`,
  'agency.name_invalid': 'must have letters and no control or invisible characters',
};

export class AgencyStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async list(): Promise<Agency[]> {
    return this.#knex('agencies').select('id', 'name').orderBy('name');
  }

  /** The agency of that exact name (in NFC, spaces collapsed), if there is one. */
  async findByName(name: string): Promise<Agency | undefined> {
    const checked = checkAgencyName(name);
    if (!checked.ok) return undefined;
    return this.#knex('agencies').select('id', 'name').where({ name: checked.name }).first();
  }

  async find(id: string): Promise<Agency | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return undefined;
    return this.#knex('agencies').select('id', 'name').where({ id }).first();
  }

  /** A new agency named `name` (already checked); undefined when the name is taken. In `trx` when given. */
  async create(name: string, trx?: Knex.Transaction): Promise<Agency | undefined> {
    const rows = await (trx ?? this.#knex)('agencies').insert({ id: randomUUID(), name }).onConflict('name').ignore().returning(['id', 'name']);
    return rows[0];
  }

  /** Checks and adds an agency (the CLI's agency:create); refusals are InvalidAgencyNameError. */
  async add(rawName: string): Promise<Agency> {
    const checked = checkAgencyName(rawName);
    if (!checked.ok) throw new InvalidAgencyNameError(NAME_PROBLEMS[checked.error as keyof typeof NAME_PROBLEMS]);
    const agency = await this.create(checked.name);
    if (!agency) throw new InvalidAgencyNameError(`"${checked.name}" is already an agency`, true);
    return agency;
  }
}

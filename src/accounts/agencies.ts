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

export class AgencyStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async list(): Promise<Agency[]> {
    return this.#knex('agencies').select('id', 'name').orderBy('name');
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
}

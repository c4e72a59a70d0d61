// The agencies that operate relying parties (and employ operators): data, not code (migration
// 202612051800). A client names its agency, and the consent page shows that agency's name to
// the person (Decree 13/2023 Art. 11.2: who processes the data).
import { randomUUID } from 'node:crypto';
import type { Knex } from '../db/index.ts';
import { statementProblem } from './client-metadata.ts';

export interface Agency {
  id: string;
  name: string;
}

export class InvalidAgencyNameError extends Error {
  /** The name is fine, but another agency has it. */
  readonly duplicate: boolean;

  constructor(detail: string, duplicate = false) {
    super(detail);
    this.name = 'InvalidAgencyNameError';
    this.duplicate = duplicate;
  }
}

export class AgencyStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** The agency of that exact name (in NFC), if there is one. */
  async findByName(name: string): Promise<Agency | undefined> {
    const row = await this.#knex('agencies').select('id', 'name').where({ name: name.normalize('NFC').trim() }).first();
    return row ? { id: row.id, name: row.name } : undefined;
  }

  async findById(id: string): Promise<Agency | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return undefined;
    const row = await this.#knex('agencies').select('id', 'name').where({ id }).first();
    return row ? { id: row.id, name: row.name } : undefined;
  }

  /** Adds an agency; its name is shown to citizens, so it is held to the same rules as a client's purpose. */
  async create(name: string): Promise<Agency> {
    const normalized = name.normalize('NFC').trim();
    const why = statementProblem(normalized);
    if (why !== undefined) throw new InvalidAgencyNameError(why);
    const agency = { id: randomUUID(), name: normalized };
    const inserted = await this.#knex('agencies').insert(agency).onConflict('name').ignore().returning('id');
    if (inserted.length === 0) throw new InvalidAgencyNameError(`"${normalized}" is already an agency`, true);
    return agency;
  }
}

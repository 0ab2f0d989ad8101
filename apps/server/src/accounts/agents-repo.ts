import { type Agent, type Role, timeOrderedId } from '@desk/core';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { caseless } from '../db/dialect-sql.ts';
import { prepared } from '../db/prepared.ts';
import type { ChangeFeed } from '../sync/change-feed.ts';

interface AgentRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: number;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
}

export function agentFromRow(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: Number(row.active) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Agents and their credentials. Only public fields ever leave this module (and the change log). */
const agentById = prepared((q, p: { id: string }) => q.selectFrom('agents').selectAll().where('id', '=', p.id));
const agentActive = prepared((q, p: { id: string }) => q.selectFrom('agents').select('active').where('id', '=', p.id));

export class AgentsRepo {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
  ) {}

  async list(): Promise<Agent[]> {
    const rows = await this.db.q.selectFrom('agents').selectAll().orderBy(caseless(this.db.dialect, sql.ref('name'))).execute();
    return rows.map(agentFromRow);
  }

  async get(id: string): Promise<Agent | null> {
    const row = await agentById.first(this.db, { id });
    return row ? agentFromRow(row) : null;
  }

  async isActive(id: string): Promise<boolean> {
    const row = await agentActive.first(this.db, { id });
    return Number(row?.active) === 1;
  }

  /** E-mail addresses compare case-insensitively (SQLite: the column's NOCASE; PostgreSQL: lower()). */
  private byEmail(email: string) {
    return this.db.q.selectFrom('agents').where(sql<string>`lower(email)`, '=', email.toLowerCase());
  }

  async findCredentials(email: string): Promise<{ agent: Agent; passwordHash: string | null } | null> {
    const row = await this.byEmail(email).selectAll().executeTakeFirst();
    return row ? { agent: agentFromRow(row), passwordHash: row.password_hash } : null;
  }

  async emailTaken(email: string, exceptId?: string): Promise<boolean> {
    const row = await this.byEmail(email).select('id').executeTakeFirst();
    return row !== undefined && row.id !== exceptId;
  }

  async countActiveAdmins(): Promise<number> {
    const row = await this.db.q
      .selectFrom('agents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('active', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  create(input: { name: string; email: string; role: Role; passwordHash: string | null; id?: string }): Promise<Agent> {
    const now = new Date().toISOString();
    const id = input.id ?? timeOrderedId();
    return this.db.transaction(async (q) => {
      await q
        .insertInto('agents')
        .values({ id, name: input.name, email: input.email, role: input.role, active: 1, password_hash: input.passwordHash, created_at: now, updated_at: now })
        .execute();
      const agent = (await this.get(id)) as Agent;
      await this.changes.record('agent', id, 'put', agent);
      return agent;
    });
  }

  update(id: string, patch: { name?: string; email?: string; role?: Role; active?: boolean; passwordHash?: string }): Promise<Agent> {
    return this.db.transaction(async (q) => {
      const current = await q.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      await q
        .updateTable('agents')
        .set({
          name: patch.name ?? current.name,
          email: patch.email ?? current.email,
          role: patch.role ?? current.role,
          active: patch.active === undefined ? current.active : patch.active ? 1 : 0,
          password_hash: patch.passwordHash ?? current.password_hash,
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', id)
        .execute();
      const agent = (await this.get(id)) as Agent;
      await this.changes.record('agent', id, 'put', agent);
      return agent;
    });
  }
}

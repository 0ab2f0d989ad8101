import { randomUUID } from 'node:crypto';
import type { Agent, Role } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';
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
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Agents and their credentials. Only public fields ever leave this module (and the change log). */
export class AgentsRepo {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeFeed,
  ) {}

  list(): Agent[] {
    const rows = statement(this.db, 'SELECT * FROM agents ORDER BY name COLLATE NOCASE').all() as AgentRow[];
    return rows.map(agentFromRow);
  }

  get(id: string): Agent | null {
    const row = statement(this.db, 'SELECT * FROM agents WHERE id = ?').get(id) as AgentRow | undefined;
    return row ? agentFromRow(row) : null;
  }

  isActive(id: string): boolean {
    const row = statement(this.db, 'SELECT active FROM agents WHERE id = ?').get(id) as { active: number } | undefined;
    return row?.active === 1;
  }

  findCredentials(email: string): { agent: Agent; passwordHash: string | null } | null {
    const row = statement(this.db, 'SELECT * FROM agents WHERE email = ?').get(email) as AgentRow | undefined;
    return row ? { agent: agentFromRow(row), passwordHash: row.password_hash } : null;
  }

  emailTaken(email: string, exceptId?: string): boolean {
    const row = statement(this.db, 'SELECT id FROM agents WHERE email = ?').get(email) as { id: string } | undefined;
    return row !== undefined && row.id !== exceptId;
  }

  countActiveAdmins(): number {
    return (statement(this.db, "SELECT COUNT(*) AS n FROM agents WHERE role = 'admin' AND active = 1").get() as { n: number }).n;
  }

  create(input: { name: string; email: string; role: Role; passwordHash: string | null; id?: string }): Agent {
    const now = new Date().toISOString();
    const id = input.id ?? randomUUID();
    statement(
      this.db,
      'INSERT INTO agents (id, name, email, role, active, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)',
    ).run(id, input.name, input.email, input.role, input.passwordHash, now, now);
    const agent = this.get(id) as Agent;
    this.changes.record('agent', id, 'put', agent);
    return agent;
  }

  update(id: string, patch: { name?: string; email?: string; role?: Role; active?: boolean; passwordHash?: string }): Agent {
    const current = statement(this.db, 'SELECT * FROM agents WHERE id = ?').get(id) as AgentRow;
    const now = new Date().toISOString();
    statement(this.db, 'UPDATE agents SET name = ?, email = ?, role = ?, active = ?, password_hash = ?, updated_at = ? WHERE id = ?').run(
      patch.name ?? current.name,
      patch.email ?? current.email,
      patch.role ?? current.role,
      patch.active === undefined ? current.active : patch.active ? 1 : 0,
      patch.passwordHash ?? current.password_hash,
      now,
      id,
    );
    const agent = this.get(id) as Agent;
    this.changes.record('agent', id, 'put', agent);
    return agent;
  }
}

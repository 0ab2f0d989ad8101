import type { Role } from './agent.ts';

/**
 * Who may do what. One table used by the server (to answer 403) and by the PWA
 * (to hide what the role can't do).
 */
export const PERMISSIONS = {
  'tickets.work': ['agent', 'admin'],
  'contacts.read': ['agent', 'admin'],
  'contacts.manage': ['admin'],
  'intents.read': ['agent', 'admin'],
  'intents.manage': ['admin'],
  'integrations.manage': ['admin'],
  'agents.read': ['agent', 'admin'],
  'agents.manage': ['admin'],
  'reports.read': ['agent', 'admin'],
  /** The misses inbox holds end users' messages: admins only, like the conversation view it links to. */
  'misses.manage': ['admin'],
  'cannedReplies.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** The navigation of the PWA and the permission each item needs. */
export const NAV_ITEMS = [
  { id: 'tickets', permission: 'tickets.work' },
  { id: 'users', permission: 'contacts.read' },
  { id: 'intents', permission: 'intents.read' },
  { id: 'integrations', permission: 'integrations.manage' },
  { id: 'reports', permission: 'reports.read' },
  { id: 'misses', permission: 'misses.manage' },
  { id: 'team', permission: 'agents.manage' },
  { id: 'replies', permission: 'tickets.work' },
  { id: 'settings', permission: 'tickets.work' },
] as const satisfies readonly { id: string; permission: Permission }[];
export type NavItemId = (typeof NAV_ITEMS)[number]['id'];

export function navItemsFor(role: Role): NavItemId[] {
  return NAV_ITEMS.filter((item) => can(role, item.permission)).map((item) => item.id);
}

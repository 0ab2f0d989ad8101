import { type NavItemId, navItemsFor } from '@desk/core';
import { currentUser } from '../auth/session.ts';

/** The navigation items the signed-in agent's role may use (reactive). */
export function allowedNavItems(): NavItemId[] {
  const user = currentUser();
  return user ? navItemsFor(user.role) : [];
}

export function mayUse(id: NavItemId): boolean {
  return allowedNavItems().includes(id);
}

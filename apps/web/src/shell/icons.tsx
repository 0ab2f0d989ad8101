import type { NavItemId } from '@desk/core';
import type { JSX } from 'solid-js';

/** Simple stroke icons for the navigation (decorative: the link text names the link). */
const PATHS: Record<NavItemId, JSX.Element> = {
  tickets: <path d="M4 13h4l2 3h4l2-3h4M4 13l2-8h12l2 8v6H4z" />,
  users: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c0-4 3.6-6 8-6s8 2 8 6" />
    </>
  ),
  intents: <path d="M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5V16h8v-2.5A6 6 0 0 0 12 3z" />,
  integrations: <path d="M9 2v6M15 2v6M6 8h12v3a6 6 0 0 1-12 0zM12 17v5" />,
  reports: <path d="M4 20V10M10 20V4M16 20v-7M22 20H2" />,
  misses: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5V14M12 17.5v.01" />
    </>
  ),
  team: (
    <>
      <circle cx="9" cy="8" r="3.5" />
      <circle cx="17" cy="9" r="2.5" />
      <path d="M2 20c0-3.5 3-5.5 7-5.5s7 2 7 5.5M16 14.5c3 0 6 1.5 6 4.5" />
    </>
  ),
  replies: <path d="M4 5h16v11H9l-5 4zM8 9h8M8 12h5" />,
  settings: (
    <>
      <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0" />
      <circle cx="16" cy="6" r="2" />
      <circle cx="10" cy="12" r="2" />
      <circle cx="18" cy="18" r="2" />
    </>
  ),
};

export function NavIcon(props: { id: NavItemId }) {
  return (
    <svg class="nav-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      {PATHS[props.id]}
    </svg>
  );
}

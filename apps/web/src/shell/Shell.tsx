import type { NavItemId } from '@desk/core';
import { A, Navigate, type RouteSectionProps, useLocation } from '@solidjs/router';
import { type Component, createSignal, For, type JSX, lazy, onCleanup, Show, Suspense } from 'solid-js';
import { currentUser, sessionChecking } from '../auth/session.ts';
import { t } from '../i18n/index.ts';
import { allowedNavItems, mayUse } from './access.ts';
import { NavIcon } from './icons.tsx';
import { PageHeader } from './Page.tsx';

// The alerts ride on the sync layer (Dexie, the shared schemas): loaded after the shell has painted.
const AlertsHost = lazy(() => import('../features/alerts/AlertsHost.tsx').then((m) => ({ default: m.AlertsHost })));

export const NAV_PATHS: Record<NavItemId, string> = {
  tickets: '/tickets',
  users: '/users',
  intents: '/intents',
  integrations: '/integrations',
  reports: '/reports',
  misses: '/misses',
  team: '/team',
  replies: '/replies',
  settings: '/settings',
};

function useOnline() {
  const [online, setOnline] = createSignal(navigator.onLine);
  const update = () => setOnline(navigator.onLine);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  onCleanup(() => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  });
  return online;
}

/** The signed-in layout: sidebar (desktop) or bottom bar (phone) navigation, and the page. */
export function Shell(props: RouteSectionProps) {
  const location = useLocation();
  const online = useOnline();
  const loginHref = () => {
    const next = location.pathname + location.search;
    return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
  };
  return (
    <Show when={!sessionChecking()} fallback={<p class="splash">{t('app.loading')}</p>}>
      <Show when={currentUser()} fallback={<Navigate href={loginHref()} />}>
        {(user) => (
          <div class="shell">
            <a class="skip-link" href="#main">
              {t('app.skipToContent')}
            </a>
            <header class="sidebar">
              <div class="brand">
                <img src="/icons/icon-192.png" alt="" width="28" height="28" />
                <span>{t('app.name')}</span>
              </div>
              <nav class="main-nav" aria-label={t('nav.label')}>
                <ul>
                  <For each={allowedNavItems()}>
                    {(id) => (
                      <li>
                        <A href={NAV_PATHS[id]} activeClass="active">
                          <NavIcon id={id} />
                          <span>{t(`nav.${id}`)}</span>
                        </A>
                      </li>
                    )}
                  </For>
                </ul>
              </nav>
              <div class="sidebar-user">
                <span class="user-name">{user().name}</span>
                <span class="user-email">{user().email}</span>
              </div>
            </header>
            <main id="main" tabindex="-1">
              <Show when={!online()}>
                <p class="offline-banner" role="status">
                  {t('app.offline')}
                </p>
              </Show>
              {props.children}
            </main>
            <Suspense>
              <AlertsHost />
            </Suspense>
          </div>
        )}
      </Show>
    </Show>
  );
}

export function NotAllowed() {
  return (
    <section>
      <PageHeader title={t('errors.notAllowedTitle')} />
      <p>{t('errors.notAllowed')}</p>
      <p>
        <A href="/tickets">{t('errors.backHome')}</A>
      </p>
    </section>
  );
}

export function NotFound() {
  return (
    <section>
      <PageHeader title={t('errors.notFoundTitle')} />
      <p>{t('errors.notFound')}</p>
      <p>
        <A href="/tickets">{t('errors.backHome')}</A>
      </p>
    </section>
  );
}

/** Wraps a page so a role that can't use it sees "not allowed" instead. */
export function guarded(id: NavItemId, Page: Component<RouteSectionProps>): Component<RouteSectionProps> {
  return (props): JSX.Element => (
    <Show when={mayUse(id)} fallback={<NotAllowed />}>
      <Page {...props} />
    </Show>
  );
}

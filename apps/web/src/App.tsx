import { Navigate, type RouteSectionProps, Route, Router } from '@solidjs/router';
import { QueryClientProvider } from '@tanstack/solid-query';
import { lazy, onMount } from 'solid-js';
import { startSession } from './auth/session.ts';
import { useOpenFromNotification } from './pwa/open-from-notification.ts';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import { queryClient } from './server-data/query-client.ts';
import { guarded, NotFound, Shell } from './shell/Shell.tsx';

// Every page is its own lazily loaded chunk: the first load carries only the shell.
const LoginPage = lazy(() => import('./features/login/LoginPage.tsx'));
const SetPasswordPage = lazy(() => import('./features/login/SetPasswordPage.tsx'));
const TicketsPage = lazy(() => import('./features/tickets/TicketsPage.tsx'));
/** Loads and evaluates the ticket list's chunk (main.tsx: before the first render, when the app opens on the list). */
export const loadTicketsPage = (): Promise<unknown> => TicketsPage.preload();
const UsersPage = lazy(() => import('./features/users/UsersPage.tsx'));
const IntentsPage = lazy(() => import('./features/intents/IntentsPage.tsx'));
const IntegrationsPage = lazy(() => import('./features/integrations/IntegrationsPage.tsx'));
const TeamPage = lazy(() => import('./features/team/TeamPage.tsx'));
const SettingsPage = lazy(() => import('./features/settings/SettingsPage.tsx'));
const ReportsPage = lazy(() => import('./features/reports/ReportsPage.tsx'));
const MissesPage = lazy(() => import('./features/misses/MissesPage.tsx'));
const MissConversationPage = lazy(() => import('./features/misses/MissConversationPage.tsx'));
const CannedRepliesPage = lazy(() => import('./features/canned-replies/CannedRepliesPage.tsx'));

function Root(props: RouteSectionProps) {
  onMount(startSession);
  useOpenFromNotification();
  return (
    <>
      {props.children}
      <UpdatePrompt />
    </>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Routes />
    </QueryClientProvider>
  );
}

function Routes() {
  return (
    // No link preloading: the pages' chunks load through `guarded` wrappers, which preloading can't
    // reach, and its touchstart, focusin and mousemove handlers ran on every tap of a list row.
    <Router root={Root} preload={false}>
      <Route path="/login" component={LoginPage} />
      <Route path="/set-password" component={SetPasswordPage} />
      <Route path="/" component={Shell}>
        <Route path="/" component={() => <Navigate href="/tickets" />} />
        <Route path="/tickets" component={guarded('tickets', TicketsPage)} />
        <Route path="/users" component={guarded('users', UsersPage)} />
        <Route path="/intents" component={guarded('intents', IntentsPage)} />
        <Route path="/integrations" component={guarded('integrations', IntegrationsPage)} />
        <Route path="/reports" component={guarded('reports', ReportsPage)} />
        <Route path="/misses" component={guarded('misses', MissesPage)} />
        <Route path="/misses/conversations/:conversationId" component={guarded('misses', MissConversationPage)} />
        <Route path="/team" component={guarded('team', TeamPage)} />
        <Route path="/replies" component={guarded('replies', CannedRepliesPage)} />
        <Route path="/settings" component={guarded('settings', SettingsPage)} />
        <Route path="*404" component={NotFound} />
      </Route>
    </Router>
  );
}

import { QueryClient } from '@tanstack/solid-query';

/**
 * The cache for data that lives only on the server (not synced to IndexedDB): server search,
 * and the admin pages' server-side settings as they move here. Refetches on focus and reconnect.
 */
export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: true, refetchOnReconnect: true } },
});

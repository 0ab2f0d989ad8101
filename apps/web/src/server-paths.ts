/**
 * Paths the Desk server answers itself (API, channel webhooks, health, the chat widget, the demo).
 * The dev server proxies them; the service worker never answers them with index.html.
 */
export const SERVER_PATHS = ['/api', '/channels', '/healthz', '/widget.js', '/demo'] as const;

/**
 * Desk web chat widget. A website adds it with one tag:
 *
 *   <script src="https://desk.example/widget.js" async></script>
 *
 * Optional attributes on that tag: data-desk-url (API base when the script is hosted elsewhere),
 * data-lang (pt-BR | es | en; default: the browser's language), data-title, data-subtitle,
 * data-color (accent colour), data-name (the visitor's name, sent with text messages),
 * data-open="true" (open the panel on load). window.DeskWidget.open() / .close() / .toggle() drive it.
 */
import { WebchatApi } from './api.ts';
import { deriveBase } from './format.ts';
import { chooseLanguage, STRINGS } from './i18n.ts';
import { VisitorStore } from './visitor.ts';
import { ChatWidget } from './widget.ts';

declare global {
  interface Window {
    DeskWidget?: { open(): void; close(): void; toggle(): void };
  }
}

// Only readable while this script first runs, so capture it now (async scripts included).
const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function boot(): void {
  if (window.DeskWidget || document.getElementById('desk-chat-widget')) return; // loaded twice
  const data = script?.dataset ?? {};
  const base = deriveBase(script?.src, data.deskUrl, location.href);
  const lang = chooseLanguage(data.lang, navigator.languages?.length ? navigator.languages : [navigator.language]);
  const host = document.createElement('div');
  host.id = 'desk-chat-widget';
  document.body.append(host);
  const widget = new ChatWidget(host, {
    api: new WebchatApi(base),
    base,
    lang,
    t: STRINGS[lang],
    visitor: new VisitorStore(storage()),
    title: data.title,
    subtitle: data.subtitle,
    color: data.color,
    name: data.name,
  });
  window.DeskWidget = { open: () => widget.open(), close: () => widget.close(), toggle: () => widget.toggle() };
  if (data.open === 'true') widget.open();
}

if (document.body) boot();
else document.addEventListener('DOMContentLoaded', boot, { once: true });

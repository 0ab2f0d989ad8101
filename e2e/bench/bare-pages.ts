/**
 * bench:phone's same-run baselines: bare pages with nothing of Desk in them, measured by the same
 * probes, on the same viewport and CPU throttling. They show what this machine's Chromium costs on
 * its own: a keystroke into a plain textarea, and a fling through a static list of plain rows.
 */
import type { BrowserContext, Page } from '@playwright/test';

/** The bare pages' host (served by the context's route, never looked up); the probes skip their list wait on it. */
export const BARE_HOST = 'bare.bench';

/** The composer's box and font as laid out in Desk, copied onto the bare textarea. */
export interface TextareaLook {
  width: string;
  height: string;
  font: string;
  lineHeight: string;
  padding: string;
  border: string;
  boxSizing: string;
}

/** Reads the look of Desk's composer on a page showing a ticket. */
export function composerLook(page: Page): Promise<TextareaLook> {
  return page.locator('#ticket-reply').evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      width: style.width,
      height: style.height,
      font: style.font,
      lineHeight: style.lineHeight,
      padding: style.padding,
      border: style.border,
      boxSizing: style.boxSizing,
    };
  });
}

const HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>bare</title>';

/** A plain textarea of the composer's size and font, with the composer's id so the same probe arms on it. */
export function bareTextarea(look: TextareaLook): string {
  const style = Object.entries(look)
    .map(([key, value]) => `${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${value}`)
    .join('; ');
  return `${HEAD}</head><body><label for="ticket-reply">Reply</label><textarea id="ticket-reply" rows="3" style="${style}"></textarea></body></html>`;
}

/**
 * A static list of `rows` plain rows of `rowHeight` px, four short lines each, in a scroller of the
 * viewport's height marked like Desk's (`data-testid="ticket-scroll"`), so the same fling probe scrolls it.
 */
export function bareList(rows: number, rowHeight: number): string {
  const items: string[] = [];
  for (let i = 1; i <= rows; i++) {
    items.push(
      `<li style="height:${rowHeight}px"><div>#${i} Where is my order? (ticket ${i})</div><div>Requester ${i % 97} · web chat · Agent ${i % 5}</div><div>open · normal</div><div>The payment page says my card was declined, but the bank says it was not.</div></li>`,
    );
  }
  return `${HEAD}<style>body{margin:0;font:14px system-ui,sans-serif}ul{list-style:none;margin:0;padding:0}li{box-sizing:border-box;padding:8px 12px;border-bottom:1px solid #ddd;overflow:hidden}</style></head><body><div data-testid="ticket-scroll" style="height:100vh;overflow:auto"><ul>${items.join('')}</ul></div></body></html>`;
}

/** Serves the bare pages at http://bare.bench/<name> in `context` (no network, no service worker). */
export async function serveBarePages(context: BrowserContext, pages: Record<string, () => string>): Promise<void> {
  await context.route(`http://${BARE_HOST}/**`, (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    const page = pages[name];
    return page ? route.fulfill({ contentType: 'text/html; charset=utf-8', body: page() }) : route.fulfill({ status: 404, body: 'no such bare page' });
  });
}

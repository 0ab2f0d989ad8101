import { expect, type Page, test } from '@playwright/test';
import { AGENT } from '../support/env.ts';
import { type LargeServer, startLargeServer } from '../support/large-server.ts';
import { PHONE } from '../support/phone.ts';
import { signIn } from '../support/session.ts';

/**
 * Issue 17: the ticket list reuses its items while scrolling (the item of a row leaving the screen is
 * drawn again for the row coming in). Scrolled through, each row must still show its own ticket, in
 * the document in the rows' order once the list is still (Tab and screen readers go by it), and a
 * focused row keeps its element.
 */
test.use(PHONE);

let server: LargeServer;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startLargeServer(120, 1);
});
test.afterAll(async () => {
  await server?.stop();
});

const ROW = 104;

/** The rows in the document, in its order: their place in the list, their ticket and their number. */
function rowsInDocument(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.ticket-rows > li')].map((item) => ({
      place: Number(item.getAttribute('aria-posinset')),
      id: item.querySelector<HTMLElement>('.ticket-row')?.dataset.ticketId ?? null,
      number: item.querySelector('.ticket-number')?.textContent ?? null,
      top: item.getBoundingClientRect().top,
    })),
  );
}

/** The rows once the list has put them in order in the document (a moment after it stopped moving). */
async function settledRows(page: Page) {
  await expect
    .poll(async () => {
      const places = (await rowsInDocument(page)).map((row) => row.place);
      return places.every((place, i) => i === 0 || (places[i - 1] as number) < place);
    })
    .toBe(true);
  return rowsInDocument(page);
}

/** Scrolls the list to `top` a screen at a time, each step once its rows are drawn (as a finger would). */
async function scrollInSteps(page: Page, top: number) {
  const scroller = page.getByTestId('ticket-scroll');
  let at = await scroller.evaluate((el) => el.scrollTop);
  while (at !== top) {
    at = at < top ? Math.min(top, at + 300) : Math.max(top, at - 300);
    await scroller.evaluate((el, to) => {
      el.scrollTop = to;
    }, at);
    const first = Math.floor(at / ROW) + 1;
    await expect(page.locator(`.ticket-rows > li[aria-posinset="${first}"] .ticket-row[data-ticket-id]`)).toHaveCount(1);
  }
}

test('scrolled down and back, every row shows its own ticket in the document order of the rows; a focused row keeps its element', async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ ...PHONE, baseURL: server.url });
  const page = await context.newPage();
  await signIn(page, AGENT);
  const scroller = page.getByTestId('ticket-scroll');
  await expect.poll(() => scroller.evaluate((el) => el.scrollHeight)).toBeGreaterThan(100 * ROW);

  // Each place's ticket, as drawn when the list jumps there (every item drawn afresh).
  const drawnAt = async (top: number) => {
    await scroller.evaluate((el, to) => {
      el.scrollTop = to;
    }, top);
    await expect(page.locator(`.ticket-rows > li[aria-posinset="${Math.floor(top / ROW) + 1}"] .ticket-row[data-ticket-id]`)).toHaveCount(1);
    return new Map((await settledRows(page)).map((row) => [row.place, row.id]));
  };
  const expected = new Map([...(await drawnAt(0)), ...(await drawnAt(40 * ROW)), ...(await drawnAt(80 * ROW))]);
  await scroller.evaluate((el) => {
    el.scrollTop = 0;
  });

  // Focus the third row once it shows its ticket again (its item may still show another row or a
  // skeleton right after the jump back), then scroll down through 80 rows: the items are reused all the way.
  const third = page.locator('.ticket-rows > li[aria-posinset="3"] .ticket-row');
  const focusedId = expected.get(3) as string;
  expect(focusedId).toBeTruthy();
  await expect(third).toHaveAttribute('data-ticket-id', focusedId);
  await third.focus();
  for (const top of [40 * ROW, 80 * ROW, 40 * ROW]) {
    await scrollInSteps(page, top);
    const rows = await settledRows(page);
    // In the rows' order, each once, each showing the ticket drawn at its place when jumped to.
    const places = rows.map((row) => row.place);
    expect(places).toEqual([...places].sort((a, b) => a - b));
    expect(new Set(places).size).toBe(places.length);
    for (const row of rows) if (expected.has(row.place) && row.id !== null) expect(row.id).toBe(expected.get(row.place));
    // The document's order is also the order on screen.
    const tops = rows.filter((row) => row.place !== 3).map((row) => row.top);
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
  }
  // The focused row is still the focused element, showing its own ticket, though far out of view.
  await expect(page.locator(`.ticket-row[data-ticket-id="${focusedId}"]`)).toBeFocused();
  await scrollInSteps(page, 0);
  await expect(page.locator('.ticket-rows > li[aria-posinset="3"] .ticket-row')).toHaveAttribute('data-ticket-id', focusedId);
  await expect(page.locator('.ticket-rows > li[aria-posinset="3"] .ticket-row')).toBeFocused();
  await expect(page.locator(`.ticket-row[data-ticket-id="${focusedId}"]`)).toHaveCount(1);
  await context.close();
});

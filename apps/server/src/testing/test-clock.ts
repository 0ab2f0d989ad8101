/**
 * Test-only (`DESK_TEST_CLOCK=1`, never in production): the time the server stamps on what happens
 * (messages, tickets, bot turns, report counters) can be set to an earlier moment, from which it runs
 * on as usual. Browser tests use it to send traffic on past days with known timestamps. Sessions,
 * tokens and "today" in reports keep the real time.
 */
export class TestClock {
  private offsetMs = 0;

  /** The shifted time (what the server's clock reads). */
  readonly now = (): number => Date.now() + this.offsetMs;

  /** From now on the clock reads `at` and runs on from there; `null` is the real time again. */
  setTo(at: number | null): void {
    this.offsetMs = at === null ? 0 : at - Date.now();
  }
}

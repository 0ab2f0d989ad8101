import { type Clock, monotonicClock } from '../shared/clock.ts';

/**
 * Test-only (`DESK_TEST_CLOCK=1`, never in production): the time the server stamps on what happens
 * (messages, tickets, bot turns, report counters) can be set to another moment, from which it runs on
 * as usual. Browser tests use it to send traffic on past days with known timestamps. Sessions, tokens
 * and "today" in reports keep the real time.
 */
export class TestClock {
  private offsetMs = 0;
  private stamps: Clock = monotonicClock(() => this.now());

  /** The server's clock (services.ts): strictly increasing from the last setting on. */
  readonly clock: Clock = () => this.stamps();

  /** The shifted time. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /**
   * From now on the clock reads `at` and runs on from there; `null` is the real time again. Set back,
   * it stamps from `at` again (a fresh increasing clock), so a test sends each day's traffic after
   * setting that day, oldest first.
   */
  setTo(at: number | null): void {
    this.offsetMs = at === null ? 0 : at - Date.now();
    this.stamps = monotonicClock(() => this.now());
  }
}

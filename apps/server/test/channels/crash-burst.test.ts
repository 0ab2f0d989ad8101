import { describe, expect, it } from 'vitest';
import { runCrash } from '../../bench/support/crash-run.ts';

describe('a Telegram burst with the server SIGKILLed at 40 %, restarted and every update redelivered', () => {
  it('loses nothing, stores nothing twice, and repeats only replies that were in flight at the kill', async () => {
    const report = await runCrash({ updates: 240, chats: 24, concurrency: 16 });
    expect(report.ackedBeforeKill).toBeGreaterThanOrEqual(96);
    expect(report.ackedBeforeKill).toBeLessThan(240);
    expect(report.lost).toBe(0);
    expect(report.storedTwice).toBe(0);
    expect(report.repliesMissing).toBe(0);
    expect(report.repliesTwice).toBeLessThanOrEqual(report.inFlightAtKill);
    expect(report.maxTwicePerConversation).toBeLessThanOrEqual(1);
    // One send per conversation at a time: never more in flight than conversations.
    expect(report.inFlightAtKill).toBe(report.inFlightConversations);
  }, 120_000);
});

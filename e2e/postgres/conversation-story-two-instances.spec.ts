import { test } from '@playwright/test';
import { playConversationStory, STORIES } from '../support/conversation-story.ts';
import { SECOND_INSTANCE_URL } from '../support/env.ts';

// Two Desk instances on one PostgreSQL (playwright.postgres.config.ts): the visitor and Ana on the
// first, Bruno on the second. Each sees what the other instance stored, live.
for (const story of STORIES) {
  test(`bot, hand-off, two agents on two instances and back to the bot (${story.lang})`, async ({ browser }) => {
    await playConversationStory(browser, story, { secondAgentAt: SECOND_INSTANCE_URL });
  });
}

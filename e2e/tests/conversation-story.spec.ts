import { test } from '@playwright/test';
import { playConversationStory, STORIES } from '../support/conversation-story.ts';

for (const story of STORIES) {
  test(`bot, hand-off, agent and back to the bot (${story.lang})`, async ({ browser }) => {
    await playConversationStory(browser, story);
  });
}

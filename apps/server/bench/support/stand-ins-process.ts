/**
 * The Telegram and Graph API stand-ins that take Desk's replies during `bench:webhooks`, in a process
 * of their own: answering thousands of replies must not slow the load generator measuring Desk
 * (the baseline gets no replies to answer). Prints one JSON line with their URLs when ready.
 * Settings from the environment: TELEGRAM_TOKEN, PHONE_ID, WHATSAPP_TOKEN.
 */
import { LOAD_BOT_MESSAGE_IDS, startGraphStandIn, startTelegramStandIn } from '../../test/support/platform-stand-ins.ts';

const telegram = await startTelegramStandIn(process.env.TELEGRAM_TOKEN as string, {}, { firstMessageId: LOAD_BOT_MESSAGE_IDS });
const graph = await startGraphStandIn({ phoneNumberId: process.env.PHONE_ID as string, whatsapp: process.env.WHATSAPP_TOKEN as string, page: 'x', instagram: 'y' });
console.log(JSON.stringify({ telegram: telegram.url, graph: graph.url }));
process.on('SIGTERM', () => {
  void Promise.all([telegram.close(), graph.close()]).finally(() => process.exit(0));
});

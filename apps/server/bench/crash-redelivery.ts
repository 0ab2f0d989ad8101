/**
 * Crash and redelivery: a 2,000-update Telegram burst over 200 chats, the server's process group
 * SIGKILLed when 40 % is acknowledged, a restart on the same data, every update redelivered, the
 * outbox drained. Prints what was lost, stored twice, replied twice (next to the replies that were in
 * flight at the kill: sent to the platform, not yet marked sent) and replied never.
 *
 *   npx -y pnpm@12.4.2 --filter @desk/server bench:crash      (UPDATES=2000 CHATS=200)
 */
import { runCrash } from './support/crash-run.ts';

const report = await runCrash({ updates: Number(process.env.UPDATES ?? 2000), chats: Number(process.env.CHATS ?? 200) });
const goal = (ok: boolean) => (ok ? 'OK' : 'MISSED');
console.log(`Crash and redelivery: ${report.updates} Telegram updates over ${report.chats} chats, SIGKILL of the process group at 40 % acknowledged`);
console.log(`(${process.platform}, Node ${process.version}; ${report.seconds.toFixed(1)} s in all)`);
console.log(`  acknowledged before the kill:        ${report.ackedBeforeKill}`);
console.log(`  replies sent before the kill:        ${report.sentBeforeKill}`);
console.log(`  replies in flight at the kill:       ${report.inFlightAtKill} (in ${report.inFlightConversations} conversations)`);
console.log(`  updates lost:                        ${report.lost}  (goal 0) ${goal(report.lost === 0)}`);
console.log(`  updates stored twice:                ${report.storedTwice}  (goal 0) ${goal(report.storedTwice === 0)}`);
console.log(
  `  replies sent twice:                  ${report.repliesTwice}, at most ${report.maxTwicePerConversation} per conversation  ` +
    `(goal <= ${report.inFlightAtKill} in flight, <= 1 per conversation) ${goal(report.repliesTwice <= report.inFlightAtKill && report.maxTwicePerConversation <= 1)}`,
);
console.log(`  replies missing:                     ${report.repliesMissing}  (goal 0) ${goal(report.repliesMissing === 0)}`);
console.log(`  replies sent in all:                 ${report.sentInAll}`);

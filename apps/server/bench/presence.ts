/**
 * Presence traffic with 200 connected agents (issue 15: under 1 request per agent per 10 s).
 *
 * Starts Desk as its own process group, creates 200 agents, connects each one's sync stream
 * (each from its own address through TRUST_PROXY, as real agents are), and plays PRESENCE_BENCH_SECONDS
 * (default 120) of a working day (see `nextVisit`): tickets opened for 20–90 s, replies typed in 60 % of
 * them, the list in between. Each agent's beats follow
 * core's PresenceSchedule (the PWA's own rule: on a change, typing refreshed inside its TTL, every
 * 15 s otherwise) and are real POST /api/presence requests. Prints presence requests per agent per
 * 10 s against the budget of 1, beside what a naive client (a beat every 5 s and on every
 * keystroke) would have sent for the same activity, and the `presence` events the streams carried.
 * Kills the server's process group at the end, on failure and on Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEARTBEAT_MS, PresenceSchedule, TYPING_TTL_MS } from '@desk/core';
import { killAll, killGroup, startDesk } from './support/processes.ts';

const AGENTS = Number(process.env.PRESENCE_BENCH_AGENTS ?? 200);
const SECONDS = Number(process.env.PRESENCE_BENCH_SECONDS ?? 120);
const TICKETS = 40;
const ADMIN = { email: 'admin@bench.local', password: 'bench-password-123' };

/** A small deterministic generator, so two runs play the same day. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Agent {
  index: number;
  token: string;
  address: string;
  /** The ticket on screen, or null while on the list. */
  ticket: number | null;
  /** When the agent leaves the ticket (or the list). */
  until: number;
  /** The reply typed during this visit, if any: [start, end). */
  burst: [number, number] | null;
  lastKeystroke: number;
  schedule: PresenceSchedule;
  /** Presence events this agent's stream received, and the last one's entries. */
  events: number;
  lastEntries: number;
}

/**
 * An agent's day: a ticket for 20–90 s (replying in 60 % of visits: 6–12 s of typing, a keystroke
 * every 200 ms on average), then the list for 5–30 s (or straight to another ticket, one time in three).
 */
function nextVisit(agent: Agent, now: number, rand: () => number): void {
  if (agent.ticket !== null && rand() < 2 / 3) {
    agent.ticket = null;
    agent.until = now + 5_000 + rand() * 25_000;
    agent.burst = null;
    return;
  }
  const dwell = 20_000 + rand() * 70_000;
  agent.ticket = Math.floor(rand() * TICKETS);
  agent.until = now + dwell;
  if (rand() < 0.6) {
    const start = now + 5_000 + rand() * Math.max(0, dwell - 17_000);
    agent.burst = [start, start + 6_000 + rand() * 6_000];
  } else agent.burst = null;
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-bench-presence-'));
  const desk = await startDesk({ DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, TRUST_PROXY: '127.0.0.1' });
  const aborts: AbortController[] = [];
  try {
    const admin = await json<{ token: string }>(
      await fetch(`${desk.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) }),
    );
    const rand = random(15);
    const agents: Agent[] = [];
    for (let i = 0; i < AGENTS; i += 1) {
      const email = `agent${i}@bench.local`;
      const address = `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`;
      const headers = { 'content-type': 'application/json', 'x-forwarded-for': address };
      await json(
        await fetch(`${desk.url}/api/agents`, {
          method: 'POST',
          headers: { ...headers, authorization: `Bearer ${admin.token}` },
          body: JSON.stringify({ name: `Agent ${i}`, email, role: 'agent', password: ADMIN.password }),
        }),
      );
      const { token } = await json<{ token: string }>(await fetch(`${desk.url}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify({ email, password: ADMIN.password }) }));
      agents.push({
        index: i,
        token,
        address,
        ticket: null,
        until: rand() * 10_000,
        burst: null,
        lastKeystroke: -Infinity,
        schedule: new PresenceSchedule(),
        events: 0,
        lastEntries: 0,
      });
    }

    // Every agent connected: its sync stream open, presence events counted.
    await Promise.all(
      agents.map(async (agent) => {
        const abort = new AbortController();
        aborts.push(abort);
        const res = await fetch(`${desk.url}/api/sync/stream`, { headers: { authorization: `Bearer ${agent.token}`, 'x-forwarded-for': agent.address }, signal: abort.signal });
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        void (async () => {
          try {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) return;
              buffer += decoder.decode(value, { stream: true });
              let end = buffer.indexOf('\n\n');
              while (end >= 0) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                if (block.startsWith('event: presence')) {
                  agent.events += 1;
                  const data = block.split('\n').find((line) => line.startsWith('data: '));
                  agent.lastEntries = data ? (JSON.parse(data.slice(6)) as { entries: unknown[] }).entries.length : 0;
                }
                end = buffer.indexOf('\n\n');
              }
            }
          } catch {
            // aborted at the end
          }
        })();
      }),
    );

    let requests = 0;
    let naive = 0;
    let failed = 0;
    const failures = new Map<string, number>();
    const fail = (why: string) => {
      failed += 1;
      failures.set(why, (failures.get(why) ?? 0) + 1);
    };
    const beat = (agent: Agent, body: { ticketId: string | null; typing: boolean }) => {
      requests += 1;
      void fetch(`${desk.url}/api/presence`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${agent.token}`, 'x-forwarded-for': agent.address },
        body: JSON.stringify(body),
      }).then(
        (res) => {
          if (res.status !== 204) fail(String(res.status));
        },
        (error: unknown) => fail(String((error as { cause?: { code?: string } }).cause?.code ?? error)),
      );
    };

    // The day, in 100 ms steps of real time.
    const started = Date.now();
    const naiveNext = new Map<number, number>();
    const sentState = new Map<number, { ticketId: string | null; typing: boolean }>();
    const reasons = new Map<string, number>();
    for (let now = 0; now < SECONDS * 1000; now = Date.now() - started) {
      for (const agent of agents) {
        if (now >= agent.until) {
          nextVisit(agent, now, rand);
          naive += 1;
        }
        // A keystroke in this step: every 200 ms on average while replying.
        const typingNow = agent.burst !== null && now >= agent.burst[0] && now < agent.burst[1] && rand() < 0.5;
        if (typingNow) {
          agent.lastKeystroke = now;
          naive += 1;
        }
        if (agent.ticket !== null && now >= (naiveNext.get(agent.index) ?? 0)) {
          naive += 1;
          naiveNext.set(agent.index, now + 5_000);
        }
        const wanted = { ticketId: agent.ticket === null ? null : `ticket-${agent.ticket}`, typing: agent.ticket !== null && now - agent.lastKeystroke < TYPING_TTL_MS };
        const due = agent.schedule.next(wanted, now, agent.lastKeystroke);
        if (due) {
          const before = sentState.get(agent.index);
          const reason = !before || before.ticketId !== due.ticketId ? 'ticket changed' : due.typing && !before.typing ? 'typing started' : due.typing ? 'typing refreshed' : 'heartbeat';
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          sentState.set(agent.index, due);
          beat(agent, due);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const elapsed = (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 500));

    const perAgentPer10s = (count: number) => count / AGENTS / (elapsed / 10);
    const events = agents.reduce((sum, a) => sum + a.events, 0);
    const onTickets = agents.filter((a) => a.ticket !== null).length;
    const observer = agents[0] as Agent;
    console.log(`presence with ${AGENTS} connected agents over ${elapsed.toFixed(0)} s (machine shared with other work; figures are counts, not timings)`);
    console.log(`  presence requests: ${requests} → ${perAgentPer10s(requests).toFixed(3)} per agent per 10 s (budget: < 1)`);
    console.log(`  by reason: ${[...reasons].map(([reason, count]) => `${reason} ${perAgentPer10s(count).toFixed(3)}`).join(', ')}`);
    console.log(`  naive client for the same activity (a beat every 5 s + one per keystroke): ${perAgentPer10s(naive).toFixed(3)} per agent per 10 s; ratio ${(requests / naive).toFixed(3)}`);
    console.log(`  presence events carried by the streams: ${perAgentPer10s(events).toFixed(3)} per agent per 10 s (server → agent, on the stream already open)`);
    console.log(`  floor while every agent views a ticket and nobody types: ${(10_000 / HEARTBEAT_MS).toFixed(3)} per agent per 10 s (one beat per 15 s)`);
    const expected = onTickets - (observer.ticket !== null ? 1 : 0);
    console.log(`  failed requests: ${failed} ${JSON.stringify(Object.fromEntries(failures))}; agent 0 last saw ${observer.lastEntries} others on tickets (${expected} were)`);
    if (perAgentPer10s(requests) >= 1) process.exitCode = 1;
    if (failed > 0 || Math.abs(observer.lastEntries - expected) > 3) process.exitCode = 1;
  } finally {
    for (const abort of aborts) abort.abort();
    await killGroup(desk.child);
    await killAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch(async (error: unknown) => {
  console.error(error);
  await killAll();
  process.exit(1);
});

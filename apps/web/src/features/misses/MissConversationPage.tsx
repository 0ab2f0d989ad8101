import type { Agent } from '@desk/core';
import { A, useParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { createLiveQuery } from '../../components/live-query.ts';
import { requestErrorText } from '../../components/online.ts';
import { t } from '../../i18n/index.ts';
import { localSync } from '../../local/solid.ts';
import { createMissConversation } from '../../server-data/misses.ts';
import { PageHeader } from '../../shell/Page.tsx';
import { Conversation } from '../tickets/Conversation.tsx';
import '../tickets/tickets.css';

/**
 * The conversation a miss came from (admins, from the misses inbox), read-only: the messages as the
 * ticket view shows them, also for a conversation the bot handled alone and that never became a
 * ticket. User content is rendered as text, like everywhere else.
 */
export default function MissConversationPage() {
  const params = useParams<{ conversationId: string }>();
  const db = () => localSync()?.db;
  const agents = createLiveQuery(db, (database) => database.agents.toArray(), [] as Agent[]);
  const query = createMissConversation(() => params.conversationId);

  return (
    <section class="admin-page miss-conversation-page">
      <PageHeader title={t('misses.conversationTitle')}>
        <A href="/misses" class="button">
          {t('misses.backToInbox')}
        </A>
      </PageHeader>
      <Show when={query.data} fallback={<p class="hint">{query.isError ? requestErrorText(query.error) : t('app.loading')}</p>}>
        {(data) => (
          <>
            <p class="hint">
              {[t(`reports.channel.${data().channel}`), data().contact?.name ?? t('author.user'), data().language ?? '—'].join(' · ')}
            </p>
            <p class="hint">{data().ticketId ? t('misses.readOnlyTicket') : t('misses.readOnlyBotOnly')}</p>
            <Show when={data().ticketId}>
              {(ticketId) => <A href={`/tickets?ticket=${encodeURIComponent(ticketId())}`}>{t('misses.openTicket')}</A>}
            </Show>
            <Conversation messages={data().messages} handoffAt="" pendingIds={[]} contact={data().contact ?? undefined} agents={agents()} />
          </>
        )}
      </Show>
    </section>
  );
}

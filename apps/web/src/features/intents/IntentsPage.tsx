import { type Agent, can, type ConnectedIntegrations, effectiveDestination, type Intent, intentDestination } from '@desk/core';
import { useSearchParams } from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import { createLiveQuery } from '../../components/live-query.ts';
import { t } from '../../i18n/index.ts';
import { createZendeskConnections } from '../../server-data/integrations.ts';
import { agentsByName } from '../../local/admin-queries.ts';
import { localSync } from '../../local/solid.ts';
import { EmptyState, PageHeader } from '../../shell/Page.tsx';
import { IntentEditor } from './IntentEditor.tsx';
import { IntentWarningsPanel } from './IntentWarnings.tsx';
import { languagesOf } from './intent-languages.ts';
import { TryIt } from './TryIt.tsx';

/** The bot's intents: the list (read from the local store) and the editor with its Desk panel. */
export default function IntentsPage() {
  const [params, setParams] = useSearchParams<{ intent?: string }>();
  const db = () => localSync()?.db;
  const canManage = () => {
    const user = currentUser();
    return user ? can(user.role, 'intents.manage') : false;
  };
  const intents = createLiveQuery(db, (database) => database.intents.orderBy('name').toArray(), null as Intent[] | null);
  const agents = createLiveQuery(db, agentsByName, [] as Agent[]);
  const [status, setStatus] = createSignal('');
  const connected = createZendeskConnections(canManage);

  // A just-created intent moves the URL from ?intent=new to its id without reopening the editor.
  let created: string | null = null;
  const editorKey = createMemo<string | undefined>((previous) => (params.intent !== undefined && params.intent === created ? previous : params.intent));
  const close = (message?: string) => {
    created = null;
    setParams({ intent: undefined });
    if (message) setStatus(message);
  };

  return (
    <Show
      when={editorKey()}
      keyed
      fallback={
        <section class="admin-page intents-page">
          <PageHeader title={t('nav.intents')}>
            <Show when={canManage()}>
              <button type="button" class="button primary" onClick={() => setParams({ intent: 'new' })}>
                <span aria-hidden="true">+</span> {t('intents.new')}
              </button>
            </Show>
          </PageHeader>
          <p class="page-status" role="status">
            {status()}
          </p>
          <Show when={intents()} fallback={<p class="hint">{t('app.loading')}</p>}>
            {(list) => (
              <Show when={list().length > 0} fallback={<EmptyState message={t('intents.empty')} />}>
                <IntentWarningsPanel intents={list()} onOpen={(id) => setParams({ intent: id })} />
                <div class="table-wrap">
                  <table class="data-table intents-table">
                    <caption class="visually-hidden">{t('intents.listLabel')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('intents.name')}</th>
                        <th scope="col">{t('intents.phraseCount')}</th>
                        <th scope="col">{t('intents.languages')}</th>
                        <th scope="col">{t('intents.deskColumn')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={list()}>
                        {(intent) => (
                          <tr>
                            <th scope="row">
                              <button type="button" class="link-button" onClick={() => setParams({ intent: intent.id })}>
                                {intent.name}
                              </button>
                            </th>
                            <td>{intent.phrases.length}</td>
                            <td>
                              {languagesOf([...intent.phrases, ...intent.answers])
                                .map((language) => t(`intents.language.${language}`))
                                .join(', ') || '—'}
                            </td>
                            <td>
                              <Show when={intent.desk.enabled}>
                                <DestinationCell intent={intent} connected={connected()} />
                              </Show>
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>
            )}
          </Show>
          <TryIt />
        </section>
      }
    >
      {(key) => (
        <Show when={db()}>
          {(database) => (
            <IntentEditor
              db={database()}
              intentId={key === 'new' ? null : key}
              agents={agents()}
              canManage={canManage()}
              connected={connected()}
              onCreated={(id) => {
                created = id;
                setParams({ intent: id }, { replace: true });
              }}
              onClose={close}
            />
          )}
        </Show>
      )}
    </Show>
  );
}

/** Where the intent hands off; a disconnected Zendesk destination warns that Desk takes over. */
function DestinationCell(props: { intent: Intent; connected: ConnectedIntegrations | null }) {
  const wanted = () => intentDestination(props.intent.desk);
  // Unknown connections (an agent's view, or loading): no warning rather than a wrong one.
  const choice = () => effectiveDestination(wanted(), props.connected ?? { zendesk_support: true, zendesk_messaging: true });
  return (
    <span class="destination-cell">
      <DeskIcon />
      <span>{t(`intents.destination.${wanted()}`)}</span>
      <Show when={choice().fellBack}>
        <span class="warning" role="note">
          {t('intents.fallbackWarning', { destination: t(`intents.destination.${wanted()}`) })}
        </span>
      </Show>
    </span>
  );
}

/** The Desk column's mark: this intent hands off to the Desk. */
export function DeskIcon() {
  return (
    <svg class="desk-icon" viewBox="0 0 24 24" width="22" height="22" role="img" aria-label={t('intents.deskOn')}>
      <title>{t('intents.deskOn')}</title>
      <path d="M4 13h4l2 3h4l2-3h4M4 13l2-8h12l2 8v6H4z" />
    </svg>
  );
}

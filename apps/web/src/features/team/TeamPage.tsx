import type { Agent } from '@desk/core';
import { createSignal, For, Show } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import { ConfirmDialog, Dialog } from '../../components/Dialog.tsx';
import { FormError } from '../../components/Field.tsx';
import { createLiveQuery } from '../../components/live-query.ts';
import { requestErrorText } from '../../components/online.ts';
import { t } from '../../i18n/index.ts';
import { agentsByName } from '../../local/admin-queries.ts';
import { localSync } from '../../local/solid.ts';
import { createAgentActivation } from '../../server-data/team.ts';
import { EmptyState, PageHeader } from '../../shell/Page.tsx';
import { AgentForm, lastAdminText } from './AgentForm.tsx';

/** The team: agents and admins, invited, edited, deactivated and reactivated by admins. */
export default function TeamPage() {
  const agents = createLiveQuery(() => localSync()?.db, agentsByName, null as Agent[] | null);
  const [editing, setEditing] = createSignal<Agent | 'new' | null>(null);
  const [deactivating, setDeactivating] = createSignal<Agent | null>(null);
  const [status, setStatus] = createSignal('');
  const activation = createAgentActivation();
  const busy = () => activation.isPending;
  const error = () => (activation.error ? (lastAdminText(activation.error) ?? requestErrorText(activation.error)) : '');

  const setActive = (agent: Agent, active: boolean) =>
    activation.mutate(
      { agent, active },
      {
        onSuccess: () => setStatus(active ? t('team.reactivated', { name: agent.name }) : t('team.deactivated', { name: agent.name })),
        onSettled: () => setDeactivating(null),
      },
    );

  return (
    <section class="admin-page team-page">
      <PageHeader title={t('nav.team')}>
        <button type="button" class="button primary" onClick={() => setEditing('new')}>
          <span aria-hidden="true">+</span> {t('team.new')}
        </button>
      </PageHeader>
      <FormError message={error()} />
      <p class="page-status" role="status">
        {status()}
      </p>

      <Show when={agents()} fallback={<p class="hint">{t('app.loading')}</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<EmptyState message={t('team.empty')} />}>
            <ul class="card-list" aria-label={t('team.listLabel')}>
              <For each={list()}>
                {(agent) => (
                  <li class="team-row" classList={{ inactive: !agent.active }}>
                    <div class="team-who">
                      <strong>{agent.name}</strong>
                      <Show when={agent.id === currentUser()?.id}>
                        <span class="badge">{t('team.you')}</span>
                      </Show>
                      <span class="hint">{agent.email}</span>
                    </div>
                    <span class="badge" classList={{ brand: agent.role === 'admin' }}>
                      {t(`team.role.${agent.role}`)}
                    </span>
                    <span class="badge" classList={{ muted: !agent.active }}>
                      {agent.active ? t('team.active') : t('team.inactive')}
                    </span>
                    <div class="row-actions">
                      <button type="button" class="button" onClick={() => setEditing(agent)} aria-label={t('team.editNamed', { name: agent.name })}>
                        {t('common.edit')}
                      </button>
                      <Show
                        when={agent.active}
                        fallback={
                          <button
                            type="button"
                            class="button"
                            disabled={busy()}
                            onClick={() => setActive(agent, true)}
                            aria-label={t('team.reactivateNamed', { name: agent.name })}
                          >
                            {t('team.reactivate')}
                          </button>
                        }
                      >
                        <button
                          type="button"
                          class="button danger"
                          disabled={busy()}
                          onClick={() => {
                            activation.reset();
                            setDeactivating(agent);
                          }}
                          aria-label={t('team.deactivateNamed', { name: agent.name })}
                        >
                          {t('team.deactivate')}
                        </button>
                      </Show>
                    </div>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>

      <Dialog
        open={editing() !== null}
        title={editing() === 'new' ? t('team.newTitle') : t('team.editTitle')}
        onClose={() => setEditing(null)}
      >
        <AgentForm
          agent={editing() === 'new' ? undefined : (editing() as Agent)}
          onDone={(message) => {
            setEditing(null);
            if (message) setStatus(message);
          }}
        />
      </Dialog>

      <Show when={deactivating()}>
        {(agent) => (
          <ConfirmDialog
            open
            title={t('team.deactivateTitle')}
            message={t('team.deactivateMessage', { name: agent().name })}
            confirmLabel={t('team.deactivate')}
            busy={busy()}
            onConfirm={() => setActive(agent(), false)}
            onClose={() => setDeactivating(null)}
          />
        )}
      </Show>
    </section>
  );
}

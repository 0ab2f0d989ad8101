import { DeskIntegrationInput, type ZendeskIntegrationId, type ZendeskIntegrationView } from '@desk/core';
import { createSignal, For, Show } from 'solid-js';
import { isApiError } from '../../api/client.ts';
import { TextField } from '../../components/Field.tsx';
import { requestErrorText } from '../../components/online.ts';
import { type MessageKey, t } from '../../i18n/index.ts';
import { type FieldMessages, parseMessages } from '../../components/form-messages.ts';
import { CredentialField, changedCredentials, credentialFieldMessages } from './CredentialField.tsx';
import { createZendeskCards, createZendeskConnection } from '../../server-data/integrations.ts';
import { joinTags, splitTags } from './tags.ts';

const TITLES: Record<ZendeskIntegrationId, MessageKey> = { support: 'zendesk.supportTitle', messaging: 'zendesk.messagingTitle' };
const DESCRIPTIONS: Record<ZendeskIntegrationId, MessageKey> = { support: 'zendesk.supportDescription', messaging: 'zendesk.messagingDescription' };
const FIELD_LABELS: Record<string, MessageKey> = {
  subdomain: 'zendesk.field.subdomain',
  oauthToken: 'zendesk.field.oauthToken',
  email: 'zendesk.field.email',
  apiToken: 'zendesk.field.apiToken',
  appId: 'zendesk.field.appId',
  keyId: 'zendesk.field.keyId',
  keySecret: 'zendesk.field.keySecret',
  switchboardIntegration: 'zendesk.field.switchboardIntegration',
  webhookSecret: 'zendesk.field.webhookSecret',
};


function ZendeskCard(props: { card: ZendeskIntegrationView }) {
  const id = (name: string) => `zendesk-${props.card.id}-${name}`;
  const title = () => t(TITLES[props.card.id]);
  const [typed, setTyped] = createSignal<Record<string, string>>({});
  const [subject, setSubject] = createSignal(props.card.subject);
  const [tags, setTags] = createSignal(joinTags(props.card.tags));
  // The subject and tags are checked here before anything is sent; the server's refusals come from the mutation.
  const [localErrors, setLocalErrors] = createSignal<FieldMessages>({});
  const [status, setStatus] = createSignal('');
  const connection = createZendeskConnection();
  const busy = () => connection.isPending;
  const fieldErrors = (): FieldMessages => (isApiError(connection.error) ? credentialFieldMessages(connection.error.fields) : localErrors());
  const error = () => {
    if (connection.error) return requestErrorText(connection.error);
    const answer = connection.data;
    return answer && !answer.ok ? t('zendesk.connectFailed', { reason: answer.description ?? '' }) : '';
  };

  const connect = (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setStatus('');
    connection.reset();
    const card = DeskIntegrationInput.pick({ subject: true, tags: true }).safeParse({ subject: subject(), tags: splitTags(tags()) });
    setLocalErrors(card.success ? {} : parseMessages(card));
    if (!card.success) return;
    connection.mutate(
      { id: props.card.id, connect: { ...card.data, values: changedCredentials(props.card.fields, typed()) } },
      {
        onSuccess: (answer) => {
          setTyped({});
          if (answer.ok) setStatus(answer.description ?? '');
        },
      },
    );
  };

  const disconnect = () => {
    if (busy()) return;
    setStatus('');
    setLocalErrors({});
    connection.mutate({ id: props.card.id, disconnect: true }, { onSuccess: () => setStatus(t('zendesk.disconnected', { name: title() })) });
  };

  return (
    <section class="card integration-card" aria-labelledby={id('title')}>
      <form class="channel-settings" onSubmit={connect} novalidate>
        <header class="card-header">
          <h2 id={id('title')}>{title()}</h2>
          <span class="badge" classList={{ ok: props.card.connected, muted: !props.card.connected }}>
            {props.card.connected ? t('integrations.connected') : t('integrations.notConnected')}
          </span>
        </header>
        <p class="hint">{t(DESCRIPTIONS[props.card.id])}</p>
        <Show when={props.card.id === 'support'}>
          <p class="hint" classList={{ warning: props.card.usesApiToken }}>
            {t('zendesk.apiTokenWarning')}
          </p>
        </Show>
        <Show when={props.card.id === 'messaging'}>
          <p class="hint">{t('zendesk.webhookUrl', { url: props.card.webhookUrl })}</p>
        </Show>
        <TextField id={id('subject')} label={t('integrations.subject')} autocomplete="off" value={subject()} onValue={setSubject} hint={t('integrations.subjectHint')}
          error={fieldErrors().subject} />
        <TextField id={id('tags')} label={t('integrations.tags')} autocomplete="off" value={tags()} onValue={setTags} hint={t('integrations.tagsHint')}
          error={fieldErrors().tags ?? Object.entries(fieldErrors()).find(([key]) => key.startsWith('tags.'))?.[1]} />
        <For each={props.card.fields}>
          {(field) => (
            <CredentialField
              id={id(field.name)}
              label={FIELD_LABELS[field.name] ? t(FIELD_LABELS[field.name] as MessageKey) : field.name}
              field={field}
              typed={typed()[field.name]}
              error={fieldErrors()[field.name]}
              onValue={(value) => setTyped((current) => ({ ...current, [field.name]: value }))}
            />
          )}
        </For>
        <Show when={props.card.lastError && !error()}>
          <p class="error">{t('zendesk.lastError', { error: props.card.lastError ?? '' })}</p>
        </Show>
        <p class="page-status" role="status">
          {status()}
        </p>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy()}>
            {t('zendesk.connect', { name: title() })}
          </button>
          <Show when={props.card.connected}>
            <button type="button" class="button" disabled={busy()} onClick={disconnect}>
              {t('zendesk.disconnect', { name: title() })}
            </button>
          </Show>
        </div>
      </form>
    </section>
  );
}

/** The Zendesk Support and Zendesk messaging cards, beside the Desk card. Admins only. */
export function ZendeskIntegrationCards() {
  const cards = createZendeskCards();
  return (
    <Show
      when={!cards.isError}
      fallback={
        <section class="card integration-card">
          <p class="error" role="alert">
            {requestErrorText(cards.error)}
          </p>
          <button type="button" class="button" onClick={() => void cards.refetch()}>
            {t('common.retry')}
          </button>
        </section>
      }
    >
      <Show when={cards.data} fallback={<p class="hint">{t('app.loading')}</p>}>
        {(current) => (
          <>
            <ZendeskCard card={current().support} />
            <ZendeskCard card={current().messaging} />
          </>
        )}
      </Show>
    </Show>
  );
}

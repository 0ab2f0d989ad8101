import { createSignal, For, Show } from 'solid-js';
import { isApiError } from '../../api/client.ts';
import { requestErrorText } from '../../components/online.ts';
import { type MessageKey, t } from '../../i18n/index.ts';
import type { FieldMessages } from '../../components/form-messages.ts';
import { type ChannelGroupView, createChannelSave, createChannelSettings, createTelegramWebhookRegistration } from '../../server-data/integrations.ts';
import { CredentialField, changedCredentials, credentialFieldMessages } from './CredentialField.tsx';

export type { ChannelGroupView } from '../../server-data/integrations.ts';

const GROUP_TITLES: Record<ChannelGroupView['id'], MessageKey> = {
  telegram: 'channels.group.telegram',
  meta: 'channels.group.meta',
  whatsapp: 'channels.group.whatsapp',
  messenger: 'channels.group.messenger',
  instagram: 'channels.group.instagram',
  smooch: 'channels.group.smooch',
};

const FIELD_LABELS: Record<string, MessageKey> = {
  botToken: 'channels.field.botToken',
  webhookSecret: 'channels.field.webhookSecret',
  appSecret: 'channels.field.appSecret',
  verifyToken: 'channels.field.verifyToken',
  phoneNumberId: 'channels.field.phoneNumberId',
  accessToken: 'channels.field.accessToken',
  pageAccessToken: 'channels.field.pageAccessToken',
  appId: 'channels.field.appId',
  keyId: 'channels.field.keyId',
  keySecret: 'channels.field.keySecret',
};

const labelOf = (name: string) => (FIELD_LABELS[name] ? t(FIELD_LABELS[name]) : name);

/** What a save sends: secrets only when typed (empty keeps the saved one), other fields when changed. */
export function settingsUpdate(group: ChannelGroupView, typed: Record<string, string>, enabled: boolean) {
  return { enabled, values: changedCredentials(group.fields, typed) };
}

function ChannelGroupForm(props: { group: ChannelGroupView }) {
  const [typed, setTyped] = createSignal<Record<string, string>>({});
  const [enabled, setEnabled] = createSignal(props.group.enabled);
  const [status, setStatus] = createSignal('');
  const saving = createChannelSave();
  const registration = createTelegramWebhookRegistration();
  const busy = () => saving.isPending || registration.isPending;
  const fieldErrors = (): FieldMessages => (isApiError(saving.error) ? credentialFieldMessages(saving.error.fields) : {});
  const error = () => {
    if (saving.error) return requestErrorText(saving.error);
    if (registration.error) return requestErrorText(registration.error);
    const answer = registration.data;
    return answer && !answer.ok ? t('channels.registerFailed', { reason: answer.description ?? '' }) : '';
  };
  const id = (name: string) => `channel-${props.group.id}-${name}`;
  const title = () => t(GROUP_TITLES[props.group.id]);

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setStatus('');
    registration.reset();
    saving.mutate(
      { id: props.group.id, body: settingsUpdate(props.group, typed(), enabled()) },
      {
        onSuccess: () => {
          setTyped({});
          setStatus(t('channels.saved', { channel: title() }));
        },
      },
    );
  };

  const registerWebhook = () => {
    if (busy()) return;
    setStatus('');
    saving.reset();
    registration.mutate(undefined, {
      onSuccess: (answer) => {
        if (answer.ok) setStatus(t('channels.registered', { url: answer.url }));
      },
    });
  };

  return (
    <form class="channel-settings" aria-labelledby={id('title')} onSubmit={save} novalidate>
      <header class="card-header">
        <h3 id={id('title')}>{title()}</h3>
        <span class="badge" classList={{ ok: props.group.active, muted: !props.group.active }}>
          {props.group.active ? t('channels.on') : props.group.configured ? t('channels.off') : t('channels.notConfigured')}
        </span>
      </header>
      <Show when={props.group.requires === 'meta'}>
        <p class="hint">{t('channels.requiresMeta')}</p>
      </Show>
      <Show when={props.group.id === 'telegram' || props.group.id === 'meta' || props.group.id === 'smooch'}>
        <p class="hint">{t('channels.webhookUrl', { url: props.group.webhookUrl })}</p>
      </Show>
      <For each={props.group.fields}>
        {(field) => (
          <CredentialField
            id={id(field.name)}
            label={labelOf(field.name)}
            field={field}
            typed={typed()[field.name]}
            error={fieldErrors()[field.name]}
            onValue={(value) => setTyped((current) => ({ ...current, [field.name]: value }))}
          />
        )}
      </For>
      <div class="field checkbox">
        <input id={id('enabled')} type="checkbox" checked={enabled()} onChange={(event) => setEnabled(event.currentTarget.checked)} />
        <label for={id('enabled')}>{t('channels.enabled')}</label>
      </div>
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
          {t('channels.save', { channel: title() })}
        </button>
        <Show when={props.group.id === 'telegram'}>
          <button type="button" class="button" disabled={busy() || !props.group.configured} onClick={() => void registerWebhook()}>
            {t('channels.registerWebhook')}
          </button>
        </Show>
      </div>
    </form>
  );
}

/** Messaging channels (Telegram, Meta, Sunshine Conversations): credentials, on/off, Telegram's webhook. Admins only. */
export function ChannelSettingsCard() {
  const channels = createChannelSettings();
  return (
    <section class="card integration-card" aria-labelledby="channel-settings-title">
      <header class="card-header">
        <h2 id="channel-settings-title">{t('channels.title')}</h2>
      </header>
      <p class="hint">{t('channels.description')}</p>
      <Show
        when={!channels.isError}
        fallback={
          <div>
            <p class="error" role="alert">
              {requestErrorText(channels.error)}
            </p>
            <button type="button" class="button" onClick={() => void channels.refetch()}>
              {t('common.retry')}
            </button>
          </div>
        }
      >
        <Show when={channels.data} fallback={<p class="hint">{t('app.loading')}</p>}>
          {(list) => <For each={list()}>{(group) => <ChannelGroupForm group={group} />}</For>}
        </Show>
      </Show>
    </section>
  );
}

export default ChannelSettingsCard;

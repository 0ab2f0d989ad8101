import { createResource, createSignal, For, Show } from 'solid-js';
import { api, isApiError } from '../../api/client.ts';
import { requestErrorText } from '../../components/online.ts';
import { type MessageKey, t } from '../../i18n/index.ts';
import type { FieldMessages } from '../../components/form-messages.ts';
import { type CredentialView, CredentialField, changedCredentials, credentialFieldMessages } from './CredentialField.tsx';

/** `GET /api/integrations/channels`: one entry per settings group, secrets masked. */
export type ChannelFieldView = CredentialView;
export interface ChannelGroupView {
  id: 'telegram' | 'meta' | 'whatsapp' | 'messenger' | 'instagram' | 'smooch';
  configured: boolean;
  enabled: boolean;
  active: boolean;
  envOverrides: string[];
  requires: string | null;
  webhookUrl: string;
  fields: ChannelFieldView[];
}

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

function ChannelGroupForm(props: { group: ChannelGroupView; onSaved: (group: ChannelGroupView) => void }) {
  const [typed, setTyped] = createSignal<Record<string, string>>({});
  const [enabled, setEnabled] = createSignal(props.group.enabled);
  const [fieldErrors, setFieldErrors] = createSignal<FieldMessages>({});
  const [error, setError] = createSignal('');
  const [status, setStatus] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const id = (name: string) => `channel-${props.group.id}-${name}`;
  const title = () => t(GROUP_TITLES[props.group.id]);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setBusy(true);
    setError('');
    setStatus('');
    setFieldErrors({});
    try {
      const answer = await api<{ channel: ChannelGroupView }>(`/api/integrations/channels/${props.group.id}`, {
        method: 'PUT',
        body: settingsUpdate(props.group, typed(), enabled()),
      });
      setTyped({});
      props.onSaved(answer.channel);
      setStatus(t('channels.saved', { channel: title() }));
    } catch (err) {
      if (isApiError(err)) {
        setFieldErrors(credentialFieldMessages(err.fields));
      }
      setError(requestErrorText(err));
    } finally {
      setBusy(false);
    }
  };

  const registerWebhook = async () => {
    if (busy()) return;
    setBusy(true);
    setError('');
    setStatus('');
    try {
      const answer = await api<{ ok: boolean; url: string; description: string | null }>('/api/integrations/channels/telegram/register-webhook', {
        method: 'POST',
      });
      if (answer.ok) setStatus(t('channels.registered', { url: answer.url }));
      else setError(t('channels.registerFailed', { reason: answer.description ?? '' }));
    } catch (err) {
      setError(requestErrorText(err));
    } finally {
      setBusy(false);
    }
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
  const [channels, { mutate, refetch }] = createResource(() =>
    api<{ channels: ChannelGroupView[] }>('/api/integrations/channels').then((answer) => answer.channels),
  );
  const replace = (saved: ChannelGroupView) => {
    // A saved Meta webhook changes whether WhatsApp, Messenger and Instagram are on: reload them all.
    if (saved.id === 'meta') void refetch();
    else mutate((list) => list?.map((group) => (group.id === saved.id ? saved : group)));
  };
  return (
    <section class="card integration-card" aria-labelledby="channel-settings-title">
      <header class="card-header">
        <h2 id="channel-settings-title">{t('channels.title')}</h2>
      </header>
      <p class="hint">{t('channels.description')}</p>
      <Show
        when={!channels.error}
        fallback={
          <div>
            <p class="error" role="alert">
              {requestErrorText(channels.error)}
            </p>
            <button type="button" class="button" onClick={() => void refetch()}>
              {t('common.retry')}
            </button>
          </div>
        }
      >
        <Show when={channels()} fallback={<p class="hint">{t('app.loading')}</p>}>
          {(list) => <For each={list()}>{(group) => <ChannelGroupForm group={group} onSaved={replace} />}</For>}
        </Show>
      </Show>
    </section>
  );
}

export default ChannelSettingsCard;

import { type DeskIntegration, DeskIntegrationInput } from '@desk/core';
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { api, isApiError } from '../../api/client.ts';
import { focusFirstInvalid, TextField } from '../../components/Field.tsx';
import { type FieldMessages, fieldMessagesOf, serverFieldMessages, visibleMessages } from '../../components/form-messages.ts';
import { requestErrorText } from '../../components/online.ts';
import { t } from '../../i18n/index.ts';
import { joinTags, splitTags } from './tags.ts';

/** The first message about the tags ("tags" or one tag, "tags.2"). */
function tagsMessage(errors: FieldMessages) {
  const key = Object.keys(errors).find((k) => k === 'tags' || k.startsWith('tags.'));
  return key ? errors[key] : undefined;
}

/** The Desk integration: the subject that starts every ticket's subject and the tags every ticket gets. */
export function DeskIntegrationCard() {
  const [integration, { mutate, refetch }] = createResource(() =>
    api<{ integration: DeskIntegration }>('/api/integrations/desk').then((answer) => answer.integration),
  );
  const [editing, setEditing] = createSignal(false);
  const [subject, setSubject] = createSignal('');
  const [tags, setTags] = createSignal('');
  const [touched, setTouched] = createSignal<Set<string>>(new Set());
  const [submitted, setSubmitted] = createSignal(false);
  const [serverErrors, setServerErrors] = createSignal<FieldMessages>({});
  const [formError, setFormError] = createSignal('');
  const [saving, setSaving] = createSignal(false);
  const [status, setStatus] = createSignal('');
  let form: HTMLFormElement | undefined;

  const startEditing = () => {
    const current = integration();
    setSubject(current?.subject ?? '');
    setTags(joinTags(current?.tags ?? []));
    setTouched(new Set<string>());
    setSubmitted(false);
    setServerErrors({});
    setFormError('');
    setStatus('');
    setEditing(true);
    queueMicrotask(() => document.getElementById('desk-subject')?.focus());
  };

  const body = createMemo(() => ({ subject: subject(), tags: splitTags(tags()), enabled: true }));
  const parsed = createMemo(() => DeskIntegrationInput.safeParse(body()));
  const errors = createMemo(() => {
    const result = parsed();
    return visibleMessages(result.success ? {} : fieldMessagesOf(result.error.issues), serverErrors(), touched(), submitted());
  });
  const edit = (field: 'subject' | 'tags', set: (value: string) => void) => (value: string) => {
    set(value);
    setTouched((s) => new Set(s).add(field));
    setServerErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([key]) => !key.startsWith(field))));
  };

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (saving()) return;
    setSubmitted(true);
    setFormError('');
    if (!parsed().success) {
      focusFirstInvalid(form);
      return;
    }
    setSaving(true);
    try {
      const answer = await api<{ integration: DeskIntegration }>('/api/integrations/desk', { method: 'PUT', body: body() });
      mutate(answer.integration);
      setEditing(false);
      setStatus(t('integrations.saved'));
    } catch (error) {
      if (isApiError(error)) setServerErrors(serverFieldMessages(error.fields));
      setFormError(requestErrorText(error));
      focusFirstInvalid(form);
    } finally {
      setSaving(false);
    }
  };

  const connected = () => integration()?.enabled === true;

  return (
    <section class="card integration-card" aria-labelledby="desk-integration-title">
      <header class="card-header">
        <h2 id="desk-integration-title">{t('integrations.deskTitle')}</h2>
        <Show when={integration()}>
          <span class="badge" classList={{ ok: connected(), muted: !connected() }}>
            {connected() ? t('integrations.connected') : t('integrations.notConnected')}
          </span>
        </Show>
      </header>
      <p class="hint">{t('integrations.deskDescription')}</p>
      <p class="page-status" role="status">
        {status()}
      </p>
      <Show when={!integration.error} fallback={
        <div>
          <p class="error" role="alert">{requestErrorText(integration.error)}</p>
          <button type="button" class="button" onClick={() => void refetch()}>{t('common.retry')}</button>
        </div>
      }>
        <Show
          when={editing()}
          fallback={
            <Show when={integration()} fallback={<p class="hint">{t('app.loading')}</p>}>
              {(current) => (
                <>
                  <dl class="details">
                    <dt>{t('integrations.subject')}</dt>
                    <dd>{current().subject}</dd>
                    <dt>{t('integrations.tags')}</dt>
                    <dd>
                      <Show when={current().tags.length > 0} fallback="—">
                        <ul class="chips" aria-label={t('integrations.tags')}>
                          <For each={current().tags}>{(tag) => <li class="chip">{tag}</li>}</For>
                        </ul>
                      </Show>
                    </dd>
                  </dl>
                  <button type="button" class="button" onClick={startEditing} aria-label={t('integrations.editDesk')}>
                    {t('common.edit')}
                  </button>
                </>
              )}
            </Show>
          }
        >
          <form ref={form} class="admin-form" onSubmit={onSubmit} noValidate>
            <div role="alert">
              <Show when={formError()}>
                <p class="error">{formError()}</p>
              </Show>
            </div>
            <TextField
              id="desk-subject"
              label={t('integrations.subject')}
              autocomplete="off"
              value={subject()}
              onValue={edit('subject', setSubject)}
              error={errors().subject}
              hint={t('integrations.subjectHint')}
            />
            <TextField
              id="desk-tags"
              label={t('integrations.tags')}
              autocomplete="off"
              value={tags()}
              onValue={edit('tags', setTags)}
              error={tagsMessage(errors())}
              hint={t('integrations.tagsHint')}
            />
            <div class="form-actions">
              <span class="spacer" />
              <button type="button" class="button" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </button>
              <button type="submit" class="button primary" disabled={saving()} aria-busy={saving()}>
                {saving() ? t('common.saving') : t('integrations.saveConnect')}
              </button>
            </div>
          </form>
        </Show>
      </Show>
    </section>
  );
}

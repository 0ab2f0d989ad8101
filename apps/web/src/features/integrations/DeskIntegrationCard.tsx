import { DEFAULT_OFFER_PERSON, type DeskIntegration, DeskIntegrationInput, type HandOffDestination, type OfferPerson } from '@desk/core';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { createFormState, FormError, SelectField, SubmitButton, TextField } from '../../components/Field.tsx';
import { type FieldMessages, parseMessages } from '../../components/form-messages.ts';
import { requestErrorText } from '../../components/online.ts';
import { t } from '../../i18n/index.ts';
import { createDeskIntegration, createDeskIntegrationSave, createZendeskConnections } from '../../server-data/integrations.ts';
import { destinationName, destinationOptions } from './destination-options.ts';
import { joinTags, splitTags } from './tags.ts';

/** The first message about the tags ("tags" or one tag, "tags.2"). */
function tagsMessage(errors: FieldMessages) {
  const key = Object.keys(errors).find((k) => k === 'tags' || k.startsWith('tags.'));
  return key ? errors[key] : undefined;
}

/** The Desk integration: the subject that starts every ticket's subject and the tags every ticket gets. */
export function DeskIntegrationCard() {
  const query = createDeskIntegration();
  const integration = (): DeskIntegration | undefined => query.data;
  const save = createDeskIntegrationSave();
  const [editing, setEditing] = createSignal(false);
  const [subject, setSubject] = createSignal('');
  const [tags, setTags] = createSignal('');
  const state = createFormState();
  const [status, setStatus] = createSignal('');
  const [offer, setOffer] = createSignal<OfferPerson>(DEFAULT_OFFER_PERSON);
  const connections = createZendeskConnections(() => true);
  const startEditing = () => {
    const current = integration();
    setSubject(current?.subject ?? '');
    setTags(joinTags(current?.tags ?? []));
    setOffer(current?.offerPerson ?? DEFAULT_OFFER_PERSON);
    state.reset();
    setStatus('');
    setEditing(true);
    queueMicrotask(() => document.getElementById('desk-subject')?.focus());
  };

  const body = createMemo(() => ({ subject: subject(), tags: splitTags(tags()), enabled: true, offerPerson: offer() }));
  const parsed = createMemo(() => DeskIntegrationInput.safeParse(body()));
  const errors = createMemo(() => state.visible(parseMessages(parsed())));
  const edit = (field: 'subject' | 'tags', set: (value: string) => void) => (value: string) => {
    set(value);
    state.touch(field);
  };

  const onSubmit = (event: SubmitEvent) =>
    state.submit(
      event,
      () => parsed().success,
      async () => {
        await save.mutateAsync(body());
        setEditing(false);
        setStatus(t('integrations.saved'));
      },
    );

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
      <Show when={!query.isError} fallback={
        <div>
          <p class="error" role="alert">{requestErrorText(query.error)}</p>
          <button type="button" class="button" onClick={() => void query.refetch()}>{t('common.retry')}</button>
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
                    <dt>{t('integrations.offerPerson')}</dt>
                    <dd>
                      {current().offerPerson.enabled
                        ? t('integrations.offerPersonSummary', {
                            count: String(current().offerPerson.afterMisses),
                            destination: destinationName(current().offerPerson.destination),
                          })
                        : t('integrations.offerPersonOff')}
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
          <form ref={state.ref} class="admin-form" onSubmit={onSubmit} noValidate>
            <FormError message={state.formError()} />
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
            <fieldset class="field">
              <legend>{t('integrations.offerPerson')}</legend>
              <label class="switch">
                <input
                  type="checkbox"
                  role="switch"
                  checked={offer().enabled}
                  aria-checked={offer().enabled}
                  aria-describedby="desk-offer-hint"
                  onChange={(event) => setOffer((o) => ({ ...o, enabled: event.currentTarget.checked }))}
                />
                <span>{t('integrations.offerPersonEnabled')}</span>
              </label>
              <p class="hint" id="desk-offer-hint">
                {t('integrations.offerPersonHint')}
              </p>
              <Show when={offer().enabled}>
                <TextField
                  id="desk-offer-misses"
                  label={t('integrations.offerPersonMisses')}
                  type="number"
                  min="1"
                  max="10"
                  inputmode="numeric"
                  value={String(offer().afterMisses)}
                  onValue={(value) => setOffer((o) => ({ ...o, afterMisses: Number(value) }))}
                  error={errors()['offerPerson.afterMisses']}
                />
                <SelectField
                  id="desk-offer-destination"
                  label={t('intents.destination')}
                  value={offer().destination}
                  options={destinationOptions(connections(), offer().destination)}
                  onValue={(value) => setOffer((o) => ({ ...o, destination: value as HandOffDestination }))}
                />
              </Show>
            </fieldset>
            <div class="form-actions">
              <span class="spacer" />
              <button type="button" class="button" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </button>
              <SubmitButton saving={state.saving()} label={t('integrations.saveConnect')} />
            </div>
          </form>
        </Show>
      </Show>
    </section>
  );
}

import {
  type Agent,
  type ConnectedIntegrations,
  type HandOffDestination,
  INTENT_TICKET_STATUSES,
  type Intent,
  IntentInput,
  type IntentTicketStatus,
  intentDestination,
  TICKET_PRIORITIES,
  type TicketPriority,
} from '@desk/core';
import { createMemo, createSignal, Index, Show, untrack } from 'solid-js';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { destinationOptions } from '../integrations/destination-options.ts';
import { createFormState, FormError, messageText, type Option, SelectField, SubmitButton, TextField } from '../../components/Field.tsx';
import { type FieldMessages, parseMessages } from '../../components/form-messages.ts';
import { createLiveQuery } from '../../components/live-query.ts';
import { requestErrorText } from '../../components/online.ts';
import { t } from '../../i18n/index.ts';
import type { DeskDb } from '../../local/db.ts';
import { intentById } from '../../local/ticket-data.ts';
import { createIntentDelete, createIntentSave } from '../../server-data/intents.ts';
import { PageHeader } from '../../shell/Page.tsx';
import { TryIt } from './TryIt.tsx';

interface Props {
  db: DeskDb;
  /** null for a new intent. */
  intentId: string | null;
  agents: readonly Agent[];
  canManage: boolean;
  /** Which Zendesk integrations are connected (null while unknown): the destinations offered. */
  connected: ConnectedIntegrations | null;
  onCreated: (id: string) => void;
  onClose: (status?: string) => void;
}

/** Loads the intent from the local store once, then edits its own copy. */
export function IntentEditor(props: Props) {
  const id = untrack(() => props.intentId);
  if (id === null) return <IntentForm {...props} initial={null} />;
  const intent = createLiveQuery(
    () => ({ id }),
    async ({ id }) => (await intentById(props.db, id)) ?? null,
    undefined as Intent | null | undefined,
  );
  return (
    <Show
      when={intent()}
      fallback={
        <section class="admin-page">
          <PageHeader title={t('intents.editTitle')} />
          <p class="hint">{intent() === null ? t('intents.notFound') : t('app.loading')}</p>
          <button type="button" class="button" onClick={() => props.onClose()}>
            {t('intents.back')}
          </button>
        </section>
      }
    >
      {(loaded) => <IntentForm {...props} initial={untrack(loaded)} />}
    </Show>
  );
}

interface DeskValues {
  enabled: boolean;
  agentId: string;
  status: IntentTicketStatus;
  priority: TicketPriority;
  destination: HandOffDestination;
  /** As typed: digits, or empty for none. */
  zendeskGroupId: string;
}

function IntentForm(props: Props & { initial: Intent | null }) {
  const state = createFormState();
  const readOnly = !untrack(() => props.canManage);
  const [savedId, setSavedId] = createSignal<string | null>(props.initial?.id ?? null);
  const [name, setName] = createSignal(props.initial?.name ?? '');
  const [phrases, setPhrases] = createSignal<string[]>(props.initial?.phrases.length ? [...props.initial.phrases] : ['']);
  const [answers, setAnswers] = createSignal<string[]>(props.initial?.answers.length ? [...props.initial.answers] : ['']);
  const [desk, setDesk] = createSignal<DeskValues>({
    enabled: props.initial?.desk.enabled ?? false,
    agentId: props.initial?.desk.agentId ?? '',
    status: props.initial?.desk.status ?? 'new',
    priority: props.initial?.desk.priority ?? 'normal',
    destination: props.initial ? intentDestination(props.initial.desk) : 'desk',
    zendeskGroupId: props.initial?.desk.zendeskGroupId ? String(props.initial.desk.zendeskGroupId) : '',
  });
  const [status, setStatus] = createSignal('');
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const save = createIntentSave();
  const removal = createIntentDelete();
  const deleteError = () => (removal.error ? requestErrorText(removal.error) : '');

  const touch = (field: string) => {
    state.touch(field);
    setStatus('');
  };

  const input = createMemo(() => ({
    name: name(),
    phrases: phrases(),
    // A blank answer row is not an answer: the bot may have none.
    answers: answers().filter((answer) => answer.trim() !== ''),
    desk: { ...desk(), agentId: desk().agentId || null, zendeskGroupId: desk().zendeskGroupId.trim() ? Number(desk().zendeskGroupId.trim()) : null },
  }));
  const groupIdValid = () => /^\d{0,15}$/.test(desk().zendeskGroupId.trim()) && desk().zendeskGroupId.trim() !== '0';
  const parsed = createMemo(() => IntentInput.safeParse(input()));
  const errors = createMemo(() => state.visible(parseMessages(parsed())));

  const agentOptions = (): Option[] => {
    const current = props.initial?.desk.agentId ?? null;
    const options: Option[] = [{ value: '', label: t('intents.anyAgent') }];
    for (const agent of props.agents) {
      if (agent.active) options.push({ value: agent.id, label: agent.name });
      else if (agent.id === current) options.push({ value: agent.id, label: t('team.inactiveName', { name: agent.name }) });
    }
    return options;
  };

  const onSubmit = (event: SubmitEvent) => {
    if (readOnly) return event.preventDefault();
    return state.submit(
      event,
      () => {
        setStatus(''); // a save was tried: the last "saved" no longer stands
        return parsed().success && groupIdValid();
      },
      async () => {
        const created = await save.mutateAsync({ id: savedId(), body: input() });
        if (created) {
          setSavedId(created.id);
          props.onCreated(created.id);
        }
        state.setSubmitted(false);
        state.setTouched(new Set<string>());
        setStatus(t('intents.saved'));
      },
    );
  };

  const onDelete = () => {
    const id = savedId();
    if (!id || removal.isPending) return;
    removal.mutate(id, {
      onSuccess: () => {
        setConfirmDelete(false);
        props.onClose(t('intents.deleted', { name: name() }));
      },
    });
  };

  const title = () => (readOnly ? t('intents.viewTitle') : savedId() ? t('intents.editTitle') : t('intents.newTitle'));

  return (
    <section class="admin-page intent-editor">
      <PageHeader title={title()}>
        <button type="button" class="button" onClick={() => props.onClose()}>
          <span aria-hidden="true">←</span> {t('intents.back')}
        </button>
      </PageHeader>
      <form ref={state.ref} class="admin-form" onSubmit={onSubmit} noValidate>
        <fieldset class="plain" disabled={readOnly}>
          <FormError message={state.formError()} />
          <div class="card">
            <TextField
              id="intent-name"
              label={t('intents.name')}
              autocomplete="off"
              value={name()}
              onValue={(v) => {
                setName(v);
                touch('name');
              }}
              error={errors().name}
            />
          </div>

          <RowsEditor
            id="intent-phrases"
            legend={t('intents.phrases')}
            hint={t('intents.phrasesHint')}
            rowLabel={(n) => t('intents.phraseN', { n })}
            addLabel={t('intents.addPhrase')}
            removeLabel={(n) => t('intents.removePhraseN', { n })}
            rows={phrases()}
            readOnly={readOnly}
            errors={errors()}
            field="phrases"
            onRows={(rows) => {
              setPhrases(rows);
              touch('phrases');
            }}
          />

          <RowsEditor
            id="intent-answers"
            legend={t('intents.answers')}
            hint={t('intents.answersHint')}
            rowLabel={(n) => t('intents.answerN', { n })}
            addLabel={t('intents.addAnswer')}
            removeLabel={(n) => t('intents.removeAnswerN', { n })}
            rows={answers()}
            readOnly={readOnly}
            errors={{}}
            field="answers"
            multiline
            onRows={(rows) => {
              setAnswers(rows);
              touch('answers');
            }}
          />

          <fieldset class="card desk-panel">
            <legend>{t('intents.deskPanel')}</legend>
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                checked={desk().enabled}
                aria-checked={desk().enabled}
                aria-describedby="intent-desk-hint"
                onChange={(event) => {
                  setDesk((d) => ({ ...d, enabled: event.currentTarget.checked }));
                  touch('desk');
                }}
              />
              <span class="switch-track" aria-hidden="true" />
              <span>{t('intents.handOff')}</span>
            </label>
            <p id="intent-desk-hint" class="hint">
              {t('intents.handOffHint')}
            </p>
            <div class="desk-fields">
              <SelectField
                id="intent-destination"
                label={t('intents.destination')}
                value={desk().destination}
                options={destinationOptions(props.connected, desk().destination)}
                disabled={!desk().enabled}
                hint={t('intents.destinationHint')}
                onValue={(value) => {
                  setDesk((d) => ({ ...d, destination: value as HandOffDestination }));
                  touch('desk');
                }}
              />
              <Show when={desk().destination === 'zendesk_support'}>
                <TextField
                  id="intent-zendesk-group"
                  label={t('intents.zendeskGroup')}
                  inputmode="numeric"
                  autocomplete="off"
                  value={desk().zendeskGroupId}
                  disabled={!desk().enabled}
                  hint={t('intents.zendeskGroupHint')}
                  error={groupIdValid() ? errors()['desk.zendeskGroupId'] : { text: t('intents.zendeskGroupInvalid') }}
                  onValue={(zendeskGroupId) => {
                    setDesk((d) => ({ ...d, zendeskGroupId }));
                    touch('desk');
                  }}
                />
              </Show>
              <Show when={desk().destination === 'desk'}>
              <SelectField
                id="intent-agent"
                label={t('intents.agent')}
                value={desk().agentId}
                options={agentOptions()}
                disabled={!desk().enabled}
                error={errors()['desk.agentId']}
                hint={t('intents.agentHint')}
                onValue={(agentId) => {
                  setDesk((d) => ({ ...d, agentId }));
                  touch('desk');
                }}
              />
              </Show>
              <SelectField
                id="intent-status"
                label={t('intents.ticketStatus')}
                value={desk().status}
                options={INTENT_TICKET_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
                disabled={!desk().enabled}
                error={errors()['desk.status']}
                onValue={(value) => {
                  setDesk((d) => ({ ...d, status: value as IntentTicketStatus }));
                  touch('desk');
                }}
              />
              <SelectField
                id="intent-priority"
                label={t('intents.priority')}
                value={desk().priority}
                options={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                disabled={!desk().enabled}
                error={errors()['desk.priority']}
                onValue={(value) => {
                  setDesk((d) => ({ ...d, priority: value as TicketPriority }));
                  touch('desk');
                }}
              />
            </div>
          </fieldset>
        </fieldset>

        <p class="page-status" role="status">
          {status()}
        </p>
        <Show when={!readOnly}>
          <div class="form-actions">
            <Show when={savedId()}>
              <button
                type="button"
                class="button danger"
                onClick={() => {
                  removal.reset();
                  setConfirmDelete(true);
                }}
              >
                {t('intents.delete')}
              </button>
            </Show>
            <span class="spacer" />
            <SubmitButton saving={state.saving()} label={t('intents.save')} />
          </div>
        </Show>
      </form>

      <TryIt />

      <ConfirmDialog
        open={confirmDelete()}
        title={t('intents.deleteTitle')}
        message={t('intents.deleteMessage', { name: name() })}
        confirmLabel={t('intents.delete')}
        busy={removal.isPending}
        error={deleteError()}
        onConfirm={onDelete}
        onClose={() => setConfirmDelete(false)}
      />
    </section>
  );
}

/** A list of text rows (training phrases, answers) with add and remove buttons. */
function RowsEditor(props: {
  id: string;
  legend: string;
  hint: string;
  rowLabel: (n: number) => string;
  addLabel: string;
  removeLabel: (n: number) => string;
  rows: readonly string[];
  readOnly: boolean;
  errors: FieldMessages;
  field: string;
  multiline?: boolean;
  onRows: (rows: string[]) => void;
}) {
  const update = (index: number, value: string) => props.onRows(props.rows.map((row, i) => (i === index ? value : row)));
  const remove = (index: number) => props.onRows(props.rows.filter((_, i) => i !== index));
  const add = () => {
    props.onRows([...props.rows, '']);
    queueMicrotask(() => document.getElementById(`${props.id}-${props.rows.length - 1}`)?.focus());
  };
  return (
    <fieldset class="card rows-editor" aria-describedby={`${props.id}-hint`}>
      <legend>{props.legend}</legend>
      <p id={`${props.id}-hint`} class="hint">
        {props.hint}
      </p>
      <Show when={props.errors[props.field]}>
        <p class="field-error" id={`${props.id}-error`}>
          {messageText(props.errors[props.field])}
        </p>
      </Show>
      <ol class="rows">
        <Index each={props.rows}>
          {(row, index) => {
            const error = () => props.errors[`${props.field}.${index}`];
            const inputId = `${props.id}-${index}`;
            return (
              <li>
                <div class="inline-row">
                  <label for={inputId} class="visually-hidden">
                    {props.rowLabel(index + 1)}
                  </label>
                  {props.multiline ? (
                    <textarea
                      id={inputId}
                      rows="2"
                      value={row()}
                      onInput={(event) => update(index, event.currentTarget.value)}
                      aria-invalid={error() ? 'true' : undefined}
                      aria-describedby={error() ? `${inputId}-error` : undefined}
                    />
                  ) : (
                    <input
                      id={inputId}
                      type="text"
                      autocomplete="off"
                      value={row()}
                      onInput={(event) => update(index, event.currentTarget.value)}
                      aria-invalid={error() ? 'true' : undefined}
                      aria-describedby={error() ? `${inputId}-error` : undefined}
                    />
                  )}
                  <Show when={!props.readOnly}>
                    <button type="button" class="button ghost icon-button" aria-label={props.removeLabel(index + 1)} onClick={() => remove(index)}>
                      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                        <path d="M6 6l12 12M18 6L6 18" />
                      </svg>
                    </button>
                  </Show>
                </div>
                <Show when={error()}>
                  <p id={`${inputId}-error`} class="field-error">
                    {messageText(error())}
                  </p>
                </Show>
              </li>
            );
          }}
        </Index>
      </ol>
      <Show when={!props.readOnly}>
        <button type="button" class="button" onClick={add}>
          <span aria-hidden="true">+</span> {props.addLabel}
        </button>
      </Show>
    </fieldset>
  );
}

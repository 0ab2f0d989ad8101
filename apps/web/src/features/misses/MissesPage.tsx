import { type Intent, INTENT_TICKET_STATUSES, type IntentTicketStatus, type MissAction, type MissGroup, TICKET_PRIORITIES, type TicketPriority } from '@desk/core';
import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { SelectField, TextField } from '../../components/Field.tsx';
import { createLiveQuery } from '../../components/live-query.ts';
import { requestErrorText } from '../../components/online.ts';
import { language, t } from '../../i18n/index.ts';
import { localSync } from '../../local/solid.ts';
import { createMissAction, createMissGroups } from '../../server-data/misses.ts';
import { EmptyState, PageHeader } from '../../shell/Page.tsx';
import { ReportSettingsCard } from './ReportSettingsCard.tsx';

/**
 * The misses inbox (admins): what users said that the bot did not understand, similar messages
 * grouped. Each group goes to an existing intent as phrases, becomes a new intent, or is dismissed;
 * the bot retrains in the background.
 */
export default function MissesPage() {
  const db = () => localSync()?.db;
  const intents = createLiveQuery(db, (database) => database.intents.orderBy('name').toArray(), [] as Intent[]);
  const query = createMissGroups();
  const missAction = createMissAction();
  const [status, setStatus] = createSignal('');

  const act = async (action: MissAction, done: string) => {
    try {
      await missAction.mutateAsync(action);
      setStatus(done);
      return null;
    } catch (error) {
      return requestErrorText(error);
    }
  };

  return (
    <section class="admin-page misses-page">
      <PageHeader title={t('nav.misses')} />
      <p class="hint">{t('misses.intro')}</p>
      <p class="page-status" role="status">
        {status()}
      </p>
      <Show when={query.data} fallback={<p class="hint">{query.isError ? requestErrorText(query.error) : t('app.loading')}</p>}>
        {(data) => (
          <Show when={data().groups.length > 0} fallback={<EmptyState message={t('misses.empty')} />}>
            <p class="hint">{t('misses.total', { count: data().total, groups: t('misses.groups', { count: data().groups.length }) })}</p>
            <ul class="miss-groups">
              <For each={data().groups}>{(group) => <MissGroupCard group={group} intents={intents()} act={act} />}</For>
            </ul>
          </Show>
        )}
      </Show>
      <ReportSettingsCard />
    </section>
  );
}

function MissGroupCard(props: { group: MissGroup; intents: readonly Intent[]; act: (action: MissAction, done: string) => Promise<string | null> }) {
  const [intentId, setIntentId] = createSignal('');
  const [creating, setCreating] = createSignal(false);
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const id = () => props.group.id;
  const run = async (action: MissAction, done: string) => {
    setBusy(true);
    setError((await props.act(action, done)) ?? '');
    setBusy(false);
  };
  const when = (iso: string) => new Intl.DateTimeFormat(language(), { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

  return (
    <li class="card miss-group" aria-labelledby={`miss-${id()}-title`}>
      <h2 id={`miss-${id()}-title`} class="miss-title">
        <span class="miss-label">{props.group.label}</span> <span class="badge">{t('misses.size', { count: props.group.size })}</span>
      </h2>
      <ul class="miss-examples" aria-label={t('misses.examples')}>
        <For each={props.group.examples}>
          {(entry) => (
            <li>
              <q>{entry.text}</q>{' '}
              <span class="hint">
                {[entry.language ?? '—', t(`reports.channel.${entry.channel}`), t(`misses.reason.${entry.reason}`), when(entry.createdAt)].join(' · ')}
              </span>{' '}
              {/* A ticket opens in the ticket view; a conversation the bot kept to itself, as a read-only transcript. */}
              <A
                href={entry.ticketId ? `/tickets?ticket=${encodeURIComponent(entry.ticketId)}` : `/misses/conversations/${encodeURIComponent(entry.conversationId)}`}
                aria-label={t('misses.openConversationOf', { text: entry.text.slice(0, 60) })}
              >
                {t('misses.openConversation')}
              </A>
            </li>
          )}
        </For>
      </ul>
      <div class="miss-actions">
        <SelectField
          id={`miss-${id()}-intent`}
          label={t('misses.intentLabel')}
          value={intentId()}
          onValue={setIntentId}
          options={[{ value: '', label: t('misses.chooseIntent') }, ...props.intents.map((intent) => ({ value: intent.id, label: intent.name }))]}
        />
        <button
          type="button"
          class="button primary"
          disabled={busy() || intentId() === ''}
          onClick={() => {
            const name = props.intents.find((i) => i.id === intentId())?.name ?? '';
            void run({ action: 'add_to_intent', entryIds: props.group.entryIds, intentId: intentId() }, t('misses.added', { count: props.group.size, name }));
          }}
        >
          {t('misses.addToIntent')}
        </button>
        <button type="button" class="button" aria-expanded={creating()} onClick={() => setCreating(!creating())}>
          {t('misses.createIntent')}
        </button>
        <button type="button" class="button" disabled={busy()} onClick={() => void run({ action: 'dismiss', entryIds: props.group.entryIds }, t('misses.dismissed', { count: props.group.size }))}>
          {t('misses.dismiss')}
        </button>
      </div>
      <Show when={creating()}>
        <NewIntentForm groupId={id()} busy={busy()} onCreate={(intent) => run({ action: 'create_intent', entryIds: props.group.entryIds, intent }, t('misses.created', { name: intent.name }))} />
      </Show>
      <p class="field-error" role="alert">
        {error()}
      </p>
    </li>
  );
}

type NewIntent = Extract<MissAction, { action: 'create_intent' }>['intent'];

/** A new intent from the group: its name, an answer per language, and the Desk panel's hand-off. */
function NewIntentForm(props: { groupId: string; busy: boolean; onCreate: (intent: NewIntent) => Promise<void> }) {
  const [name, setName] = createSignal('');
  const [answers, setAnswers] = createSignal({ pt: '', es: '', en: '' });
  const [handOff, setHandOff] = createSignal(false);
  const [status, setStatus] = createSignal<IntentTicketStatus>('new');
  const [priority, setPriority] = createSignal<TicketPriority>('normal');
  const prefix = () => `miss-${props.groupId}-new`;
  const answer = (lang: 'pt' | 'es' | 'en') => (
    <TextField id={`${prefix()}-answer-${lang}`} label={t(`misses.answerIn.${lang}`)} value={answers()[lang]} onValue={(value) => setAnswers({ ...answers(), [lang]: value })} />
  );
  return (
    <form
      class="miss-new-intent"
      aria-label={t('misses.createIntent')}
      onSubmit={(event) => {
        event.preventDefault();
        void props.onCreate({
          name: name().trim(),
          answers: Object.values(answers()).map((a) => a.trim()).filter((a) => a !== ''),
          desk: { enabled: handOff(), agentId: null, status: status(), priority: priority() },
        });
      }}
    >
      <TextField id={`${prefix()}-name`} label={t('misses.intentName')} value={name()} onValue={setName} required maxLength={80} />
      {answer('pt')}
      {answer('es')}
      {answer('en')}
      <div class="field checkbox-field">
        <input id={`${prefix()}-handoff`} type="checkbox" checked={handOff()} onChange={(event) => setHandOff(event.currentTarget.checked)} />
        <label for={`${prefix()}-handoff`}>{t('misses.handOff')}</label>
      </div>
      <Show when={handOff()}>
        <SelectField id={`${prefix()}-status`} label={t('misses.status')} value={status()} onValue={(v) => setStatus(v as IntentTicketStatus)} options={INTENT_TICKET_STATUSES.map((s) => ({ value: s, label: t(`reports.status.${s}`) }))} />
        <SelectField id={`${prefix()}-priority`} label={t('misses.priority')} value={priority()} onValue={(v) => setPriority(v as TicketPriority)} options={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`misses.priorityName.${p}`) }))} />
      </Show>
      <button type="submit" class="button primary" disabled={props.busy || name().trim() === ''}>
        {t('misses.createSubmit')}
      </button>
    </form>
  );
}

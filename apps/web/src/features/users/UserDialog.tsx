import { type Agent, type Contact, ContactInput, formatPhone, normalizePhone } from '@desk/core';
import { A } from '@solidjs/router';
import { createMemo, createSignal, Match, Show, Switch } from 'solid-js';
import { ConfirmDialog, Dialog } from '../../components/Dialog.tsx';
import { createFormState, FormError, type Option, SelectField, SubmitButton, TextField } from '../../components/Field.tsx';
import { type FieldMessages, parseMessages } from '../../components/form-messages.ts';
import { createLiveQuery } from '../../components/live-query.ts';
import { isOnline, requestErrorText } from '../../components/online.ts';
import { t } from '../../i18n/index.ts';
import { ContactZendeskHandOffs } from './ContactZendeskHandOffs.tsx';
import { contactWithPhone, mutationOutcome, ticketCountOf } from '../../local/admin-queries.ts';
import { localSync } from '../../local/solid.ts';
import { createContactDelete } from '../../server-data/contacts.ts';
import { contactById } from '../../local/ticket-data.ts';
import type { DeskDb } from '../../local/db.ts';
import { channelsOf } from './contact-search.ts';

interface Props {
  db: DeskDb;
  /** `new`, a contact id, or nothing (closed). */
  userParam: string | undefined;
  agents: readonly Agent[];
  canManage: boolean;
  onOpenUser: (id: string) => void;
  onClose: (status?: string) => void;
}

/** The user dialog: the new-user form, the editor (admins) or the details (agents). */
export function UserDialog(props: Props) {
  const editingId = () => (props.userParam && props.userParam !== 'new' ? props.userParam : null);
  const contact = createLiveQuery(
    () => {
      const id = editingId();
      return id ? { id } : null;
    },
    async ({ id }) => (await contactById(props.db, id)) ?? null,
    undefined as Contact | null | undefined,
  );
  const shown = () => {
    const c = contact();
    return c && c.id === editingId() ? c : undefined;
  };
  const agentName = (id: string | null) => (id ? (props.agents.find((a) => a.id === id)?.name ?? '') : '');
  const title = () => (props.userParam === 'new' ? t('users.newTitle') : props.canManage ? t('users.editTitle') : t('users.detailsTitle'));

  return (
    <Dialog open={props.userParam !== undefined} title={title()} onClose={() => props.onClose()} wide>
      <Switch>
        <Match when={props.userParam === 'new' && props.canManage}>
          <UserForm db={props.db} agents={props.agents} onDone={props.onClose} />
        </Match>
        <Match when={shown()}>
          {(current) =>
            props.canManage ? (
              <UserForm db={props.db} agents={props.agents} contact={current()} onDone={props.onClose} />
            ) : (
              <dl class="details">
                <dt>{t('users.name')}</dt>
                <dd>{current().name}</dd>
                <dt>{t('users.phone')}</dt>
                <dd>{current().phone ? formatPhone(current().phone ?? '') : '—'}</dd>
                <dt>{t('users.email')}</dt>
                <dd>{current().email ?? '—'}</dd>
                <dt>{t('users.channels')}</dt>
                <dd>{channelsOf(current()).map((channel) => t(`users.channel.${channel}`)).join(', ') || '—'}</dd>
                <dt>{t('users.designatedAgent')}</dt>
                <dd>{agentName(current().designatedAgentId) || '—'}</dd>
              </dl>
            )
          }
        </Match>
        <Match when={editingId() && contact() === null}>
          <p class="hint">{t('users.notFound')}</p>
        </Match>
      </Switch>
    </Dialog>
  );
}

interface FormValues {
  name: string;
  phone: string;
  email: string;
  designatedAgentId: string;
}

function initialValues(contact: Contact | undefined): FormValues {
  return {
    name: contact?.name ?? '',
    phone: contact?.phone ? formatPhone(contact.phone) : '',
    email: contact?.email ?? '',
    designatedAgentId: contact?.designatedAgentId ?? '',
  };
}

/** Create or edit a user through the sync mutations (works offline); delete through the API. */
function UserForm(props: { db: DeskDb; agents: readonly Agent[]; contact?: Contact; onDone: (status?: string) => void }) {
  const state = createFormState();
  // The form keeps its own copy: what the admin typed survives a refused save and other agents' edits.
  const [values, setValues] = createSignal<FormValues>(initialValues(props.contact));
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const [deleteError, setDeleteError] = createSignal('');
  const [deleting, setDeleting] = createSignal(false);
  const [conflictWith, setConflictWith] = createSignal<Contact | undefined>();

  const set = (field: keyof FormValues) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    state.touch(field);
    if (field === 'phone') setConflictWith(undefined);
  };

  const parsed = createMemo(() => ContactInput.safeParse(values()));
  const localErrors = createMemo<FieldMessages>(() => parseMessages(parsed()));
  const e164 = createMemo(() => {
    const check = normalizePhone(values().phone);
    return check.ok ? check.e164 : null;
  });
  // Phones are unique: warn as soon as the number is complete, from this device's copy.
  const holder = createLiveQuery(
    () => {
      const phone = e164();
      return phone ? { phone } : null;
    },
    ({ phone }) => contactWithPhone(props.db, phone, props.contact?.id),
    undefined as Contact | undefined,
  );
  const duplicate = () => (e164() && holder()?.phone === e164() ? holder() : undefined);
  const errors = createMemo<FieldMessages>(() => {
    const shown = state.visible(localErrors());
    const other = duplicate();
    if (other && !shown.phone) shown.phone = { key: 'users.phoneTaken', params: { name: other.name } };
    return shown;
  });

  const agentOptions = (): Option[] => {
    const current = props.contact?.designatedAgentId ?? null;
    const options: Option[] = [{ value: '', label: t('users.noDesignatedAgent') }];
    for (const agent of props.agents) {
      if (agent.active) options.push({ value: agent.id, label: agent.name });
      else if (agent.id === current) options.push({ value: agent.id, label: t('team.inactiveName', { name: agent.name }) });
    }
    return options;
  };

  const onSubmit = async (event: SubmitEvent) => {
    const sync = localSync();
    if (!state.start(event, () => parsed().success && !duplicate() && sync !== null) || !sync) return;
    state.setSaving(true);
    try {
      const since = new Date().toISOString();
      const raw = values();
      const result = props.contact
        ? await sync.act('contact.update', { id: props.contact.id, ...raw })
        : await sync.act('contact.create', { id: crypto.randomUUID(), ...raw });
      if (!result.ok) {
        state.refuse(result.error.message);
        return;
      }
      // Online, wait for the server's verdict so a refusal is shown here, with the typed values kept.
      const outcome = await mutationOutcome(props.db, result.mutationId, since, navigator.onLine ? 8000 : 0);
      if (outcome.status === 'rejected') {
        // For a user, the server's only conflict is a phone another user already has.
        const fields: FieldMessages = outcome.error.code === 'conflict' ? { phone: { text: outcome.error.message } } : {};
        const phone = e164();
        const other = phone && fields.phone ? await contactWithPhone(props.db, phone, props.contact?.id) : undefined;
        if (other) fields.phone = { key: 'users.phoneTaken', params: { name: other.name } };
        setConflictWith(other);
        state.refuse(outcome.error.message, fields);
        return;
      }
      const name = parsed().data?.name ?? raw.name;
      props.onDone(outcome.status === 'pending' ? t('users.savedOffline', { name }) : t('users.saved', { name }));
    } finally {
      state.setSaving(false);
    }
  };

  const ticketCount = createLiveQuery(
    () => (props.contact && confirmDelete() ? { id: props.contact.id } : null),
    ({ id }) => ticketCountOf(props.db, id),
    0,
  );
  const contactDelete = createContactDelete();
  const onDelete = async () => {
    const contact = props.contact;
    if (!contact) return;
    setDeleting(true);
    setDeleteError('');
    try {
      await contactDelete.mutateAsync(contact.id);
      setConfirmDelete(false);
      props.onDone(t('users.deleted', { name: contact.name }));
    } catch (error) {
      setDeleteError(requestErrorText(error));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <form ref={state.ref} class="admin-form" onSubmit={onSubmit} noValidate>
      <FormError message={state.formError()} />
      <TextField id="user-name" label={t('users.name')} autocomplete="off" value={values().name} onValue={set('name')} error={errors().name} />
      <TextField
        id="user-phone"
        label={t('users.phone')}
        type="tel"
        inputmode="tel"
        autocomplete="off"
        placeholder="+55 11 91234-5678"
        value={values().phone}
        onValue={set('phone')}
        error={errors().phone}
        hint={e164() && !errors().phone ? t('users.phoneSavedAs', { phone: e164() ?? '' }) : t('users.phoneHint')}
        errorExtra={
          <Show when={duplicate() ?? conflictWith()}>
            {(other) => <A href={`/users?user=${encodeURIComponent(other().id)}`}>{t('users.openExisting', { name: other().name })}</A>}
          </Show>
        }
      />
      <TextField
        id="user-email"
        label={t('users.email')}
        type="email"
        inputmode="email"
        autocomplete="off"
        value={values().email}
        onValue={set('email')}
        error={errors().email}
      />
      <SelectField
        id="user-agent"
        label={t('users.designatedAgent')}
        value={values().designatedAgentId}
        onValue={set('designatedAgentId')}
        options={agentOptions()}
        error={errors().designatedAgentId}
        hint={t('users.designatedAgentHint')}
      />
      <Show when={props.contact}>{(contact) => <ContactZendeskHandOffs contactId={contact().id} />}</Show>
      <div class="form-actions">
        <Show when={props.contact}>
          <button
            type="button"
            class="button danger"
            disabled={!isOnline()}
            aria-describedby={isOnline() ? undefined : 'user-delete-offline'}
            onClick={() => setConfirmDelete(true)}
          >
            {t('users.delete')}
          </button>
          <Show when={!isOnline()}>
            <span id="user-delete-offline" class="hint">
              {t('users.deleteNeedsConnection')}
            </span>
          </Show>
        </Show>
        <span class="spacer" />
        <button type="button" class="button" onClick={() => props.onDone()}>
          {t('common.cancel')}
        </button>
        <SubmitButton saving={state.saving()} label={t('common.save')} />
      </div>
      <Show when={props.contact}>
        {(contact) => (
          <ConfirmDialog
            open={confirmDelete()}
            title={t('users.deleteTitle')}
            message={
              ticketCount() > 0
                ? t('users.deleteKeepsTickets', { name: contact().name, count: ticketCount() })
                : t('users.deleteNoTickets', { name: contact().name })
            }
            confirmLabel={t('users.deleteConfirm')}
            busy={deleting()}
            error={deleteError()}
            onConfirm={onDelete}
            onClose={() => setConfirmDelete(false)}
          />
        )}
      </Show>
    </form>
  );
}

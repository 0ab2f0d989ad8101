import { type Agent, AgentInput, AgentPatch, ROLES } from '@desk/core';
import { createMemo, createSignal, Show } from 'solid-js';
import { isApiError } from '../../api/client.ts';
import { createFormState, FormError, SelectField, SubmitButton, TextField } from '../../components/Field.tsx';
import { parseMessages } from '../../components/form-messages.ts';
import { requestErrorText } from '../../components/online.ts';
import { t } from '../../i18n/index.ts';
import { createAgentSave } from '../../server-data/team.ts';

/** The server refuses to remove or demote the last active admin (409 without field errors). */
export function lastAdminText(error: unknown): string | null {
  return isApiError(error) && error.status === 409 && Object.keys(error.fields).length === 0 ? t('team.lastAdmin') : null;
}

type Access = 'password' | 'link';

interface Values {
  name: string;
  email: string;
  role: string;
  password: string;
}

/** Invite or create an agent (initial password or a one-time link), or edit one. */
export function AgentForm(props: { agent?: Agent | undefined; onDone: (status?: string) => void }) {
  const state = createFormState();
  const save = createAgentSave();
  const editing = props.agent;
  const [values, setValues] = createSignal<Values>({
    name: editing?.name ?? '',
    email: editing?.email ?? '',
    role: editing?.role ?? 'agent',
    password: '',
  });
  const [access, setAccess] = createSignal<Access>('link');
  const [invite, setInvite] = createSignal<{ name: string; url: string } | null>(null);
  const [copied, setCopied] = createSignal(false);

  const set = (field: keyof Values) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    state.touch(field);
  };

  /** What is sent: the password only when one is being set. */
  const body = createMemo(() => {
    const v = values();
    const password = editing ? v.password || undefined : access() === 'password' ? v.password : undefined;
    return { name: v.name, email: v.email, role: v.role, ...(password !== undefined && { password }) };
  });
  const parsed = createMemo(() => (editing ? AgentPatch : AgentInput).safeParse(body()));
  const errors = createMemo(() => state.visible(parseMessages(parsed())));

  const onSubmit = (event: SubmitEvent) =>
    state.submit(
      event,
      () => parsed().success,
      async () => {
        if (editing) {
          await save.mutateAsync({ id: editing.id, patch: body() });
          props.onDone(t('team.saved', { name: values().name }));
        } else {
          const answer = await save.mutateAsync({ create: body() });
          if (answer.setPasswordUrl) setInvite({ name: answer.agent.name, url: answer.setPasswordUrl });
          else props.onDone(t('team.created', { name: answer.agent.name }));
        }
      },
      (error) => lastAdminText(error) ?? requestErrorText(error),
    );

  const copy = async () => {
    const link = invite();
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      // No clipboard permission: select the text so it can be copied by hand.
      document.querySelector<HTMLInputElement>('#agent-invite-link')?.select();
    }
  };

  return (
    <Show
      when={!invite()}
      fallback={
        <div class="admin-form">
          <p>{t('team.inviteReady', { name: invite()?.name ?? '' })}</p>
          <div class="field">
            <label for="agent-invite-link">{t('team.inviteLink')}</label>
            <div class="inline-row">
              <input id="agent-invite-link" type="text" readonly value={invite()?.url ?? ''} onFocus={(e) => e.currentTarget.select()} />
              <button type="button" class="button" onClick={() => void copy()}>
                {t('team.copyLink')}
              </button>
            </div>
            <p class="hint" role="status">
              {copied() ? t('team.copied') : t('team.inviteOnce')}
            </p>
          </div>
          <div class="form-actions">
            <span class="spacer" />
            <button type="button" class="button primary" onClick={() => props.onDone(t('team.created', { name: invite()?.name ?? '' }))}>
              {t('common.done')}
            </button>
          </div>
        </div>
      }
    >
      <form ref={state.ref} class="admin-form" onSubmit={onSubmit} noValidate>
        <FormError message={state.formError()} />
        <TextField id="agent-name" label={t('team.name')} autocomplete="off" value={values().name} onValue={set('name')} error={errors().name} />
        <TextField
          id="agent-email"
          label={t('team.email')}
          type="email"
          inputmode="email"
          autocomplete="off"
          value={values().email}
          onValue={set('email')}
          error={errors().email}
        />
        <SelectField
          id="agent-role"
          label={t('team.roleLabel')}
          value={values().role}
          onValue={set('role')}
          options={ROLES.map((role) => ({ value: role, label: t(`team.role.${role}`) }))}
          error={errors().role}
        />
        <Show
          when={editing}
          fallback={
            <fieldset class="choice">
              <legend>{t('team.access')}</legend>
              <label class="check">
                <input type="radio" name="agent-access" value="link" checked={access() === 'link'} onChange={() => setAccess('link')} />
                {t('team.accessLink')}
              </label>
              <label class="check">
                <input type="radio" name="agent-access" value="password" checked={access() === 'password'} onChange={() => setAccess('password')} />
                {t('team.accessPassword')}
              </label>
            </fieldset>
          }
        >
          {null}
        </Show>
        <Show when={editing || access() === 'password'}>
          <TextField
            id="agent-password"
            label={editing ? t('team.newPassword') : t('team.initialPassword')}
            type="password"
            autocomplete="new-password"
            value={values().password}
            onValue={set('password')}
            error={errors().password}
            hint={editing ? t('team.newPasswordHint') : undefined}
          />
        </Show>
        <div class="form-actions">
          <span class="spacer" />
          <button type="button" class="button" onClick={() => props.onDone()}>
            {t('common.cancel')}
          </button>
          <SubmitButton saving={state.saving()} label={editing ? t('common.save') : t('team.create')} />
        </div>
      </form>
    </Show>
  );
}

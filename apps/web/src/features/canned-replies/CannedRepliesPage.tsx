import { CANNED_LANGUAGES, CANNED_PLACEHOLDERS, type CannedLanguage, type CannedReply, can, CannedReplyInput, fieldErrorsOf } from '@desk/core';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { currentUser } from '../../auth/session.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { FormError, TextField } from '../../components/Field.tsx';
import { LANGUAGE_NAMES, t } from '../../i18n/index.ts';
import { localSync, useLiveQuery } from '../../local/solid.ts';
import { cannedReplies } from '../../local/team-data.ts';
import { EmptyState, PageHeader } from '../../shell/Page.tsx';

type Scope = 'shared' | 'personal';
type Draft = { id: string; isNew: boolean; scope: Scope; shortcut: string; title: string; texts: Record<CannedLanguage, string> };

const emptyTexts = (): Record<CannedLanguage, string> => ({ 'pt-BR': '', es: '', en: '' });

/**
 * Canned replies: admins manage the team's shared ones, every agent may keep personal ones. Each
 * change is a sync mutation, so this page works offline too; the list comes from IndexedDB.
 */
export default function CannedRepliesPage() {
  const list = useLiveQuery(() => {
    const sync = localSync();
    return sync ? () => cannedReplies(sync.db) : null;
  }, [] as CannedReply[]);
  const isAdmin = () => {
    const user = currentUser();
    return user ? can(user.role, 'cannedReplies.manage') : false;
  };
  const me = () => currentUser()?.id ?? '';
  const shared = createMemo(() => list().filter((r) => r.ownerId === null));
  const personal = createMemo(() => list().filter((r) => r.ownerId === me()));
  const [draft, setDraft] = createSignal<Draft | null>(null);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal('');
  const [status, setStatus] = createSignal('');

  const startNew = () => {
    setErrors({});
    setError('');
    setDraft({ id: crypto.randomUUID(), isNew: true, scope: isAdmin() ? 'shared' : 'personal', shortcut: '', title: '', texts: emptyTexts() });
  };
  const edit = (reply: CannedReply) => {
    setErrors({});
    setError('');
    setDraft({ id: reply.id, isNew: false, scope: reply.ownerId === null ? 'shared' : 'personal', shortcut: reply.shortcut, title: reply.title, texts: { ...reply.texts } });
  };
  const save = async () => {
    const current = draft();
    const sync = localSync();
    if (!current || !sync) return;
    const parsed = CannedReplyInput.safeParse({ shortcut: current.shortcut, title: current.title, texts: current.texts });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      return;
    }
    const args = { id: current.id, ...parsed.data };
    const result = await sync.act(current.scope === 'shared' ? 'cannedReply.saveShared' : 'cannedReply.savePersonal', args);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setDraft(null);
    setStatus(t('replies.saved'));
  };
  const remove = async (reply: CannedReply) => {
    const sync = localSync();
    if (!sync) return;
    const result = await sync.act(reply.ownerId === null ? 'cannedReply.deleteShared' : 'cannedReply.deletePersonal', { id: reply.id });
    if (!result.ok) setError(result.error.message);
  };
  const mayChange = (reply: CannedReply) => (reply.ownerId === null ? isAdmin() : reply.ownerId === me());

  const section = (title: string, replies: () => CannedReply[], id: string) => (
    <section class="canned-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <Show when={replies().length > 0} fallback={<EmptyState message={t('replies.empty')} />}>
        <ul class="card-list canned-cards" aria-labelledby={id}>
          <For each={replies()}>
            {(reply) => (
              <li class="team-row" data-shortcut={reply.shortcut}>
                <div class="team-who">
                  <strong>/{reply.shortcut}</strong> <span>{reply.title}</span>
                  <span class="hint">{reply.texts.en || reply.texts['pt-BR'] || reply.texts.es}</span>
                </div>
                <Show when={mayChange(reply)}>
                  <div class="row-actions">
                    <button type="button" class="button" onClick={() => edit(reply)} aria-label={t('replies.edit', { title: reply.title })}>
                      {t('common.edit')}
                    </button>
                    <button type="button" class="button danger" onClick={() => void remove(reply)} aria-label={t('replies.delete', { title: reply.title })}>
                      {t('replies.remove')}
                    </button>
                  </div>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );

  return (
    <section class="admin-page canned-page">
      <PageHeader title={t('replies.title')}>
        <button type="button" class="button primary" onClick={startNew}>
          <span aria-hidden="true">+</span> {t('replies.new')}
        </button>
      </PageHeader>
      <p class="hint">{t('replies.intro', { list: CANNED_PLACEHOLDERS.join(', ') })}</p>
      <FormError message={draft() ? '' : error()} />
      <p class="page-status" role="status">
        {status()}
      </p>
      {section(t('replies.shared'), shared, 'canned-shared')}
      {section(t('replies.personal'), personal, 'canned-personal')}

      <Dialog open={draft() !== null} title={draft()?.isNew === false ? t('replies.editTitle') : t('replies.new')} onClose={() => setDraft(null)} wide>
        <Show when={draft()}>
          {(current) => (
            <form
              class="form canned-form"
              novalidate
              onSubmit={(event) => {
                event.preventDefault();
                void save();
              }}
            >
              <FormError message={error()} />
              <fieldset class="field">
                <legend>{t('replies.scope')}</legend>
                <label>
                  <input
                    type="radio"
                    name="canned-scope"
                    value="shared"
                    checked={current().scope === 'shared'}
                    disabled={!isAdmin() || !current().isNew}
                    onChange={() => setDraft({ ...current(), scope: 'shared' })}
                  />{' '}
                  {t('replies.shared')}
                </label>{' '}
                <label>
                  <input type="radio" name="canned-scope" value="personal" checked={current().scope === 'personal'} disabled={!current().isNew} onChange={() => setDraft({ ...current(), scope: 'personal' })} />{' '}
                  {t('replies.personal')}
                </label>
              </fieldset>
              <TextField
                id="canned-shortcut"
                label={t('replies.shortcut')}
                value={current().shortcut}
                onValue={(shortcut) => setDraft({ ...current(), shortcut })}
                error={errors().shortcut ? { text: errors().shortcut as string } : undefined}
                autocomplete="off"
              />
              <TextField
                id="canned-title"
                label={t('replies.titleField')}
                value={current().title}
                onValue={(title) => setDraft({ ...current(), title })}
                error={errors().title ? { text: errors().title as string } : undefined}
                autocomplete="off"
              />
              <For each={CANNED_LANGUAGES}>
                {(lang) => (
                  <div class="field">
                    <label for={`canned-text-${lang}`}>{t('replies.text', { language: LANGUAGE_NAMES[lang] })}</label>
                    <textarea
                      id={`canned-text-${lang}`}
                      rows={3}
                      maxLength={4000}
                      value={current().texts[lang]}
                      aria-describedby={errors().texts ? 'canned-texts-error' : undefined}
                      onInput={(event) => setDraft({ ...current(), texts: { ...current().texts, [lang]: event.currentTarget.value } })}
                    />
                  </div>
                )}
              </For>
              <Show when={errors().texts}>
                <p id="canned-texts-error" class="field-error">
                  {errors().texts}
                </p>
              </Show>
              <div class="form-actions">
                <button type="button" class="button" onClick={() => setDraft(null)}>
                  {t('replies.cancel')}
                </button>
                <button type="submit" class="button primary">
                  {t('replies.save')}
                </button>
              </div>
            </form>
          )}
        </Show>
      </Dialog>
    </section>
  );
}

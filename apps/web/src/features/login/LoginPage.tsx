import { Navigate, useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, Show } from 'solid-js';
import { isApiError, isNetworkError } from '../../api/client.ts';
import { currentUser, signIn } from '../../auth/session.ts';
import { type MessageKey, t } from '../../i18n/index.ts';

/** Only same-app paths are followed after signing in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')
    ? next
    : '/tickets';
}

type Field = 'email' | 'password';

export default function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [submitting, setSubmitting] = createSignal(false);
  // Local checks are message keys (re-translated on language switch); server messages are text.
  const [fieldErrors, setFieldErrors] = createSignal<Partial<Record<Field, { key?: MessageKey; text?: string }>>>({});
  const [formError, setFormError] = createSignal<{ key?: MessageKey; text?: string } | null>(null);

  createEffect(() => {
    document.title = `${t('login.title')}`;
  });

  const message = (m: { key?: MessageKey; text?: string } | null | undefined) =>
    m ? (m.key ? t(m.key) : (m.text ?? '')) : '';

  const validate = (): boolean => {
    const errors: Partial<Record<Field, { key: MessageKey }>> = {};
    const value = email().trim();
    if (!value) errors.email = { key: 'login.emailRequired' };
    else if (!/^[^\s@]+@[^\s@]+$/.test(value)) errors.email = { key: 'login.emailInvalid' };
    if (!password()) errors.password = { key: 'login.passwordRequired' };
    setFieldErrors(errors);
    return Object.keys(errors).length === 0;
  };

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (submitting()) return;
    setFormError(null);
    if (!validate()) {
      const first = document.querySelector<HTMLInputElement>('[aria-invalid="true"]');
      first?.focus();
      return;
    }
    setSubmitting(true);
    try {
      await signIn(email().trim(), password());
      navigate(safeNext(params.next), { replace: true });
    } catch (error) {
      if (isApiError(error)) {
        const fields: Partial<Record<Field, { text: string }>> = {};
        if (error.fields.email) fields.email = { text: error.fields.email };
        if (error.fields.password) fields.password = { text: error.fields.password };
        setFieldErrors(fields);
        // The server words the reason: wrong credentials, deactivated, too many attempts.
        setFormError({ text: error.message });
      } else if (isNetworkError(error)) {
        setFormError({ key: 'errors.network' });
      } else {
        setFormError({ key: 'errors.unexpected' });
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Show when={!currentUser()} fallback={<Navigate href={safeNext(params.next)} />}>
      <main id="main" class="login">
        <form class="login-card" onSubmit={onSubmit} noValidate aria-labelledby="login-title">
          <div class="brand">
            <img src="/icons/icon-192.png" alt="" width="40" height="40" />
            <h1 id="login-title">{t('login.title')}</h1>
          </div>
          <div class="form-error" role="alert">
            <Show when={formError()}>
              <p class="error">{message(formError())}</p>
            </Show>
          </div>
          <div class="field">
            <label for="login-email">{t('login.email')}</label>
            <input
              id="login-email"
              name="email"
              type="email"
              autocomplete="username"
              inputmode="email"
              required
              value={email()}
              onInput={(event) => setEmail(event.currentTarget.value)}
              aria-invalid={fieldErrors().email ? 'true' : undefined}
              aria-describedby={fieldErrors().email ? 'login-email-error' : undefined}
            />
            <Show when={fieldErrors().email}>
              <p id="login-email-error" class="field-error">
                {message(fieldErrors().email)}
              </p>
            </Show>
          </div>
          <div class="field">
            <label for="login-password">{t('login.password')}</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password()}
              onInput={(event) => setPassword(event.currentTarget.value)}
              aria-invalid={fieldErrors().password ? 'true' : undefined}
              aria-describedby={fieldErrors().password ? 'login-password-error' : undefined}
            />
            <Show when={fieldErrors().password}>
              <p id="login-password-error" class="field-error">
                {message(fieldErrors().password)}
              </p>
            </Show>
          </div>
          <button type="submit" class="button primary block" disabled={submitting()} aria-busy={submitting()}>
            {t('login.submit')}
          </button>
        </form>
      </main>
    </Show>
  );
}

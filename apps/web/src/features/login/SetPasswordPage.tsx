import { PASSWORD_MIN } from '@desk/core';
import { A, useNavigate } from '@solidjs/router';
import { createEffect, createSignal, Match, onMount, Switch } from 'solid-js';
import { isApiError, isNetworkError } from '../../api/client.ts';
import { checkPasswordLink, type PasswordLinkState, setPasswordWithLink } from '../../auth/session.ts';
import { type MessageKey, t } from '../../i18n/index.ts';

/** The token of an invitation link (`/set-password#token=…`): in the fragment, so it never reaches a server log. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.length >= 10 ? token : null;
}

const LINK_PROBLEM: Record<Exclude<PasswordLinkState, 'valid'>, MessageKey> = {
  used: 'setPassword.used',
  expired: 'setPassword.expired',
  unknown: 'setPassword.invalid',
};

type Field = 'password' | 'confirm';

/** An invited agent (or one whose password was reset) chooses a password, then is signed in. */
export default function SetPasswordPage() {
  const navigate = useNavigate();
  const token = tokenFromHash(typeof location === 'undefined' ? '' : location.hash);
  const [link, setLink] = createSignal<PasswordLinkState | 'checking'>(token ? 'checking' : 'unknown');
  const [password, setPassword] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [submitting, setSubmitting] = createSignal(false);
  const [fieldErrors, setFieldErrors] = createSignal<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = createSignal<string | null>(null);

  createEffect(() => {
    document.title = t('setPassword.title');
  });

  onMount(async () => {
    // The secret leaves the address bar (and so the history) at once.
    if (location.hash) history.replaceState(null, '', location.pathname);
    if (!token) return;
    try {
      setLink(await checkPasswordLink(token));
    } catch {
      // Offline or server down: let the visitor try; the submit explains what goes wrong.
      setLink('valid');
    }
  });

  const problem = (): MessageKey | null => {
    const state = link();
    return state === 'checking' || state === 'valid' ? null : LINK_PROBLEM[state];
  };

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (submitting() || !token) return;
    setFormError(null);
    const errors: Partial<Record<Field, string>> = {};
    if (password().length < PASSWORD_MIN) errors.password = t('setPassword.tooShort', { min: PASSWORD_MIN });
    else if (confirm() !== password()) errors.confirm = t('setPassword.mismatch');
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      document.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setSubmitting(true);
    try {
      await setPasswordWithLink(token, password());
      navigate('/tickets', { replace: true });
    } catch (error) {
      if (isApiError(error) && error.fields.token) {
        // Used or expired meanwhile (in another tab): say which.
        setLink(await checkPasswordLink(token).catch((): PasswordLinkState => 'unknown'));
      } else if (isApiError(error)) {
        setFieldErrors(error.fields.password ? { password: error.fields.password } : {});
        setFormError(error.message);
      } else setFormError(t(isNetworkError(error) ? 'errors.network' : 'errors.unexpected'));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <main id="main" class="login">
      <div class="login-card">
        <div class="brand">
          <img src="/icons/icon-192.png" alt="" width="40" height="40" />
          <h1 id="set-password-title">{t('setPassword.title')}</h1>
        </div>
        <Switch>
          <Match when={link() === 'checking'}>
            <p role="status">{t('setPassword.checking')}</p>
          </Match>
          <Match when={problem()}>
            {(key) => (
              <>
                <p class="error" role="alert">
                  {t(key())}
                </p>
                <A href="/login" class="button primary block">
                  {t('setPassword.toLogin')}
                </A>
              </>
            )}
          </Match>
          <Match when={link() === 'valid'}>
            <form onSubmit={onSubmit} noValidate aria-labelledby="set-password-title">
              <p>{t('setPassword.intro')}</p>
              <div class="form-error" role="alert">
                {formError() ? <p class="error">{formError()}</p> : null}
              </div>
              <div class="field">
                <label for="set-password-new">{t('setPassword.password')}</label>
                <input
                  id="set-password-new"
                  type="password"
                  autocomplete="new-password"
                  required
                  minLength={PASSWORD_MIN}
                  value={password()}
                  onInput={(event) => setPassword(event.currentTarget.value)}
                  aria-invalid={fieldErrors().password ? 'true' : undefined}
                  aria-describedby={fieldErrors().password ? 'set-password-new-error' : undefined}
                />
                {fieldErrors().password ? (
                  <p id="set-password-new-error" class="field-error">
                    {fieldErrors().password}
                  </p>
                ) : null}
              </div>
              <div class="field">
                <label for="set-password-confirm">{t('setPassword.confirm')}</label>
                <input
                  id="set-password-confirm"
                  type="password"
                  autocomplete="new-password"
                  required
                  value={confirm()}
                  onInput={(event) => setConfirm(event.currentTarget.value)}
                  aria-invalid={fieldErrors().confirm ? 'true' : undefined}
                  aria-describedby={fieldErrors().confirm ? 'set-password-confirm-error' : undefined}
                />
                {fieldErrors().confirm ? (
                  <p id="set-password-confirm-error" class="field-error">
                    {fieldErrors().confirm}
                  </p>
                ) : null}
              </div>
              <button type="submit" class="button primary block" disabled={submitting()} aria-busy={submitting()}>
                {t('setPassword.submit')}
              </button>
            </form>
          </Match>
        </Switch>
      </div>
    </main>
  );
}

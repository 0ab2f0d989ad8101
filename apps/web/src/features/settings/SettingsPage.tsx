import { useNavigate } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { isNetworkError } from '../../api/client.ts';
import { currentUser, signOut } from '../../auth/session.ts';
import { LANGUAGE_NAMES, LANGUAGES, type Language, language, setLanguage, t } from '../../i18n/index.ts';
import { PageHeader } from '../../shell/Page.tsx';
import { THEME_CHOICES, type ThemeChoice, setThemeChoice, themeChoice } from '../../shell/theme.ts';
import { playAlertSound, setSoundMuted, soundMuted } from '../alerts/sound.ts';
import { PushToggle } from '../notifications/PushToggle.tsx';
import { StorageCard } from './StorageCard.tsx';

const THEME_LABELS = { system: 'settings.themeSystem', light: 'settings.themeLight', dark: 'settings.themeDark' } as const satisfies Record<ThemeChoice, string>;

export default function SettingsPage() {
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = createSignal(false);
  const [error, setError] = createSignal('');
  const [soundOn, setSoundOn] = createSignal(!soundMuted());

  const onSignOut = async () => {
    setSigningOut(true);
    setError('');
    try {
      await signOut();
      navigate('/login', { replace: true });
    } catch (err) {
      setError(isNetworkError(err) ? t('errors.network') : t('errors.unexpected'));
    } finally {
      setSigningOut(false);
    }
  };

  return (
    <section>
      <PageHeader title={t('nav.settings')} />

      <section class="card">
        <h2 id="settings-language">{t('settings.language')}</h2>
        <div class="field">
          <label for="language-select" class="visually-hidden">{t('settings.language')}</label>
          <select
            id="language-select"
            aria-describedby="language-help"
            value={language()}
            onChange={(event) => setLanguage(event.currentTarget.value as Language)}
          >
            <For each={LANGUAGES}>
              {(lang) => (
                <option value={lang} lang={lang}>
                  {LANGUAGE_NAMES[lang]}
                </option>
              )}
            </For>
          </select>
          <p id="language-help" class="hint">
            {t('settings.languageHelp')}
          </p>
        </div>
      </section>

      <section class="card" aria-labelledby="settings-theme">
        <h2 id="settings-theme">{t('settings.theme')}</h2>
        <div class="field">
          <label for="theme-select" class="visually-hidden">
            {t('settings.theme')}
          </label>
          <select id="theme-select" aria-describedby="theme-help" value={themeChoice()} onChange={(event) => setThemeChoice(event.currentTarget.value as ThemeChoice)}>
            <For each={THEME_CHOICES}>
              {(choice) => <option value={choice}>{t(THEME_LABELS[choice])}</option>}
            </For>
          </select>
          <p id="theme-help" class="hint">
            {t('settings.themeHelp')}
          </p>
        </div>
      </section>

      <StorageCard />

      <section class="card" aria-labelledby="settings-sound">
        <h2 id="settings-sound">{t('settings.sound')}</h2>
        <div class="field">
          <label class="check">
            <input
              type="checkbox"
              checked={soundOn()}
              aria-describedby="sound-help"
              onChange={(event) => {
                setSoundMuted(!event.currentTarget.checked);
                setSoundOn(event.currentTarget.checked);
              }}
            />{' '}
            {t('settings.soundOn')}
          </label>
          <p id="sound-help" class="hint">
            {t('settings.soundHelp')}
          </p>
        </div>
        <button type="button" class="button" onClick={() => playAlertSound({ force: true })}>
          {t('settings.soundTest')}
        </button>
      </section>

      <section class="card" aria-labelledby="settings-push">
        <h2 id="settings-push">{t('push.title')}</h2>
        <PushToggle />
      </section>

      <section class="card">
        <h2 id="settings-account">{t('settings.account')}</h2>
        <Show when={currentUser()}>
          {(user) => <p>{t('settings.signedInAs', { name: user().name, email: user().email })}</p>}
        </Show>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="button" class="button danger" onClick={onSignOut} disabled={signingOut()}>
          {signingOut() ? t('settings.signingOut') : t('settings.signOut')}
        </button>
      </section>
    </section>
  );
}

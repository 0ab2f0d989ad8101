import { type Accessor, createRoot, createSignal } from 'solid-js';

/** The agent's theme choice on this device: follow the system (`prefers-color-scheme`), or force one. */
export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

const STORAGE_KEY = 'desk.theme';

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEME_CHOICES as readonly string[]).includes(value);
}

function storedChoice(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isThemeChoice(value) ? value : 'system';
  } catch {
    return 'system';
  }
}

/**
 * The stylesheets follow the system by themselves (a media query); a forced choice is the
 * `data-theme` attribute on <html>, which wins over the media query (see theme.css).
 */
function applyToDocument(choice: ThemeChoice): void {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  switch (choice) {
    case 'system':
      delete root.dataset.theme;
      break;
    case 'light':
    case 'dark':
      root.dataset.theme = choice;
      break;
    default: {
      const unreachable: never = choice;
      throw new Error(`unknown theme ${String(unreachable)}`);
    }
  }
}

const [choice, setChoiceSignal] = createRoot(() => createSignal<ThemeChoice>(typeof window === 'undefined' ? 'system' : storedChoice()));

/** The theme choice (reactive). */
export const themeChoice: Accessor<ThemeChoice> = choice;

/** Applies the stored choice; called once from main.tsx before the first render. */
export function applyStoredTheme(): void {
  applyToDocument(choice());
}

/** Switches the theme and remembers it on this device. */
export function setThemeChoice(next: ThemeChoice): void {
  setChoiceSignal(next);
  applyToDocument(next);
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // private mode or storage full: the choice lasts for this visit only
  }
}

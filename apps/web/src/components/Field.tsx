import { For, type JSX, Show, splitProps } from 'solid-js';
import { t } from '../i18n/index.ts';
import type { FieldMessage } from './form-messages.ts';

/** A field message in the current language. */
export function messageText(message: FieldMessage | undefined): string {
  if (!message) return '';
  return 'key' in message ? t(message.key, message.params) : message.text;
}

interface FieldFrame {
  id: string;
  label: string;
  error?: FieldMessage | undefined;
  hint?: JSX.Element;
  /** Shown under the error (e.g. a link to the record that conflicts). */
  errorExtra?: JSX.Element;
}

function describedBy(props: FieldFrame): string | undefined {
  const ids = [props.error ? `${props.id}-error` : '', props.hint ? `${props.id}-hint` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Messages(props: FieldFrame) {
  return (
    <>
      <Show when={props.hint}>
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      </Show>
      <Show when={props.error}>
        <p id={`${props.id}-error`} class="field-error">
          {messageText(props.error)}
          <Show when={props.errorExtra}> {props.errorExtra}</Show>
        </p>
      </Show>
    </>
  );
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onInput'>;

/** A labelled text input with its hint and error, wired for screen readers. */
export function TextField(props: FieldFrame & InputProps & { value: string; onValue: (value: string) => void }) {
  const [frame, input] = splitProps(props, ['id', 'label', 'error', 'hint', 'errorExtra', 'value', 'onValue']);
  return (
    <div class="field">
      <label for={frame.id}>{frame.label}</label>
      <input
        {...input}
        id={frame.id}
        value={frame.value}
        onInput={(event) => frame.onValue(event.currentTarget.value)}
        aria-invalid={frame.error ? 'true' : undefined}
        aria-describedby={describedBy(frame)}
      />
      <Messages {...frame} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** A labelled select. */
export function SelectField(
  props: FieldFrame & { value: string; onValue: (value: string) => void; options: readonly Option[]; disabled?: boolean },
) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        onChange={(event) => props.onValue(event.currentTarget.value)}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props)}
      >
        <For each={props.options}>{(option) => <option value={option.value}>{option.label}</option>}</For>
      </select>
      <Messages {...props} />
    </div>
  );
}

/** Moves focus to the first field marked invalid inside `root` (after a refused save). */
export function focusFirstInvalid(root: ParentNode | undefined): void {
  queueMicrotask(() => root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

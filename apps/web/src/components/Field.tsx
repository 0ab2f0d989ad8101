import { createSignal, For, type JSX, Show, splitProps } from 'solid-js';
import { isApiError } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { type FieldMessage, type FieldMessages, serverFieldMessages, visibleMessages } from './form-messages.ts';
import { requestErrorText } from './online.ts';

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

/** A form's (or page's) error, in a live region that is always in the page (so it is announced). */
export function FormError(props: { message: string }) {
  return (
    <div role="alert">
      <Show when={props.message}>
        <p class="error">{props.message}</p>
      </Show>
    </div>
  );
}

/** The submit button of a form: disabled and "Saving…" while a save runs. */
export function SubmitButton(props: { saving: boolean; label: string }) {
  return (
    <button type="submit" class="button primary" disabled={props.saving} aria-busy={props.saving}>
      {props.saving ? t('common.saving') : props.label}
    </button>
  );
}

/**
 * What every edit form keeps: the fields touched, whether a save was tried, the server's field
 * messages (each stands until its field changes), the form's error and the save in flight. The
 * typed values stay with the form, so a refused save keeps them.
 */
export function createFormState() {
  let form: HTMLFormElement | undefined;
  const [touched, setTouched] = createSignal<Set<string>>(new Set());
  const [submitted, setSubmitted] = createSignal(false);
  const [serverErrors, setServerErrors] = createSignal<FieldMessages>({});
  const [formError, setFormError] = createSignal('');
  const [saving, setSaving] = createSignal(false);

  /** Shows a refusal: the message, the server's field messages when given, focus on the first invalid field. */
  const refuse = (message: string, fields?: FieldMessages) => {
    if (fields) setServerErrors(fields);
    setFormError(message);
    focusFirstInvalid(form);
  };
  /** Starts a save from the submit event; false when it must not go ahead (one is running, or the values are invalid). */
  const start = (event: SubmitEvent, valid: () => boolean): boolean => {
    event.preventDefault();
    if (saving()) return false;
    setSubmitted(true);
    setFormError('');
    if (valid()) return true;
    focusFirstInvalid(form);
    return false;
  };

  return {
    ref: (element: HTMLFormElement) => {
      form = element;
    },
    saving,
    setSaving,
    formError,
    setSubmitted,
    setTouched,
    refuse,
    start,
    /** Marks a field as changed and drops the server's messages about it (and its items: "tags.2"). */
    touch(field: string) {
      setTouched((s) => new Set(s).add(field));
      setServerErrors((errors) => Object.fromEntries(Object.entries(errors).filter(([key]) => key !== field && !key.startsWith(`${field}.`))));
    },
    /** The messages to show, given the local validation's. */
    visible: (local: FieldMessages) => visibleMessages(local, serverErrors(), touched(), submitted()),
    /** Back to a fresh form (no messages). */
    reset() {
      setTouched(new Set<string>());
      setSubmitted(false);
      setServerErrors({});
      setFormError('');
    },
    /** A save through the API: a refusal shows the server's field messages and its error text. */
    async submit(event: SubmitEvent, valid: () => boolean, save: () => Promise<void>, errorText: (error: unknown) => string = requestErrorText) {
      if (!start(event, valid)) return;
      setSaving(true);
      try {
        await save();
      } catch (error) {
        refuse(errorText(error), isApiError(error) ? serverFieldMessages(error.fields) : undefined);
      } finally {
        setSaving(false);
      }
    },
  };
}

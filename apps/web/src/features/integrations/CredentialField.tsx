import { TextField } from '../../components/Field.tsx';
import { type FieldMessage, type FieldMessages, serverFieldMessages } from '../../components/form-messages.ts';
import { t } from '../../i18n/index.ts';

/** A credential as the server shows it: secrets masked, the environment's values fixed. */
export interface CredentialView {
  name: string;
  envVar: string;
  secret: boolean;
  value: string | null;
  fromEnv: boolean;
}

/** What a save sends: secrets only when typed (empty keeps the saved one), other fields when changed. */
export function changedCredentials(fields: readonly CredentialView[], typed: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = typed[field.name];
    if (value === undefined || field.fromEnv) continue;
    if (field.secret ? value.trim() !== '' : value !== (field.value ?? '')) values[field.name] = value.trim();
  }
  return values;
}

/** A server's field errors for a credentials form, keyed by credential name (the API nests them under `values.`). */
export function credentialFieldMessages(fields: Record<string, string> | undefined): FieldMessages {
  return serverFieldMessages(Object.fromEntries(Object.entries(fields ?? {}).map(([key, message]) => [key.replace(/^values\./, ''), message])));
}

/** One credential input: a secret is write-only (its masked value is only a placeholder); an environment value can't be edited here. */
export function CredentialField(props: { id: string; label: string; field: CredentialView; typed: string | undefined; error?: FieldMessage | undefined; onValue: (value: string) => void }) {
  return (
    <TextField
      id={props.id}
      label={props.label}
      type={props.field.secret ? 'password' : 'text'}
      autocomplete={props.field.secret ? 'new-password' : 'off'}
      spellcheck={false}
      placeholder={props.field.secret ? (props.field.value ?? '') : ''}
      value={props.typed ?? (props.field.secret ? '' : (props.field.value ?? ''))}
      onValue={props.onValue}
      disabled={props.field.fromEnv}
      hint={props.field.fromEnv ? t('channels.fromEnv', { name: props.field.envVar }) : props.field.secret ? t('channels.secretHint') : undefined}
      error={props.error}
    />
  );
}

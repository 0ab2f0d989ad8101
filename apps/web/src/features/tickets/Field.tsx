import { createUniqueId, type JSX } from 'solid-js';

/** A label tied to its control by id, so the control's accessible name is exactly the label. */
export function Field(props: { label: string; children: (id: string) => JSX.Element }) {
  const id = createUniqueId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id)}
    </div>
  );
}

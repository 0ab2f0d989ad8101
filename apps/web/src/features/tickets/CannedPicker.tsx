import type { CannedReply } from '@desk/core';
import { For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';

export const CANNED_LIST_ID = 'canned-list';
export const cannedOptionId = (index: number) => `canned-option-${index}`;

/**
 * The list `/` opens in the composer, filtered as the agent types. The textarea keeps the focus
 * (arrows move the active option, Enter inserts, Esc closes): it points at the active option with
 * aria-activedescendant, and a polite status says how many match.
 */
export function CannedPicker(props: { replies: readonly CannedReply[]; active: number; onPick: (reply: CannedReply) => void }) {
  return (
    <div class="canned-picker">
      <p class="visually-hidden" role="status">
        {props.replies.length > 0 ? t('canned.count', { count: props.replies.length }) : t('canned.none')}
      </p>
      <Show when={props.replies.length > 0} fallback={<p class="canned-none">{t('canned.none')}</p>}>
        <div id={CANNED_LIST_ID} role="listbox" aria-label={t('canned.list')} class="canned-list">
          <For each={props.replies}>
            {(reply, index) => (
              <div
                id={cannedOptionId(index())}
                role="option"
                tabIndex={-1}
                aria-selected={index() === props.active ? 'true' : 'false'}
                classList={{ active: index() === props.active }}
                onPointerDown={(event) => {
                  // Keep the focus in the textarea.
                  event.preventDefault();
                  props.onPick(reply);
                }}
              >
                <span class="canned-shortcut">/{reply.shortcut}</span> <span class="canned-title">{reply.title}</span>
              </div>
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}

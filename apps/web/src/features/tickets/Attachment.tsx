import type { Attachment } from '@desk/core';
import { Match, Switch } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { fileSize } from './format.ts';

/**
 * An inbound file, shown in place: images as previews that open in the app's image viewer (still a
 * link, for a new tab), audio and video with players that play inline, anything else as a download
 * under its own name. `/media/:id` needs the session cookie, which same-origin requests carry.
 */
export function AttachmentView(props: { file: Attachment; onOpenImage?: () => void }) {
  const state = () => props.file.download?.state ?? 'stored';
  const label = () => `${props.file.name} (${fileSize(props.file.size)})`;
  return (
    <div class={`attachment attachment-${props.file.kind}`} data-kind={props.file.kind}>
      <Switch>
        <Match when={state() === 'pending'}>
          <p class="hint">{t('ws.fileDownloading', { name: props.file.name })}</p>
        </Match>
        <Match when={state() === 'failed'}>
          <p class="form-error">{t('ws.fileFailed', { name: props.file.name })}</p>
        </Match>
        <Match when={props.file.kind === 'image'}>
          <a
            href={props.file.url}
            target="_blank"
            rel="noopener"
            aria-label={t('ws.openImage', { name: props.file.name })}
            onClick={(event) => {
              if (!props.onOpenImage || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              props.onOpenImage();
            }}
          >
            <img src={props.file.url} alt={props.file.name} loading="lazy" />
          </a>
        </Match>
        <Match when={props.file.kind === 'audio'}>
          <audio controls preload="metadata" src={props.file.url} aria-label={props.file.name}>
            <track kind="captions" />
          </audio>
          <a class="file-name" href={props.file.url} download={props.file.name}>
            {label()}
          </a>
        </Match>
        <Match when={props.file.kind === 'video'}>
          <video controls playsinline preload="metadata" src={props.file.url} aria-label={props.file.name}>
            <track kind="captions" />
          </video>
          <a class="file-name" href={props.file.url} download={props.file.name}>
            {label()}
          </a>
        </Match>
        <Match when={true}>
          <a class="file-download" href={props.file.url} download={props.file.name} aria-label={t('ws.download', { name: label() })}>
            <span aria-hidden="true">⬇</span> <span class="file-name">{props.file.name}</span> <span class="file-size">{fileSize(props.file.size)}</span>
          </a>
        </Match>
      </Switch>
    </div>
  );
}

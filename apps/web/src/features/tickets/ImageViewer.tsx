import type { Attachment } from '@desk/core';
import { createEffect, createSignal, onCleanup, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { useBackCloses } from '../../shell/back-closes.ts';
import { IDENTITY, pinched, swipeDirection, toggledZoom, type View } from './zoom.ts';

/**
 * The conversation's images, full screen, in the app: pinch (or double-tap, or + and -) to zoom, drag
 * to pan a zoomed image, swipe (or ← →, or the buttons) to the other images. Closes with its button,
 * Esc, or back. A modal <dialog>: focus stays inside and the page behind is inert.
 */
export function ImageViewer(props: { images: readonly Attachment[]; index: number | null; onIndex: (index: number | null) => void }) {
  let dialog: HTMLDialogElement | undefined;
  let stage: HTMLDivElement | undefined;
  const [view, setView] = createSignal<View>(IDENTITY);
  const open = () => props.index !== null;
  const current = () => (props.index === null ? undefined : props.images[props.index]);
  const close = () => props.onIndex(null);
  const go = (step: -1 | 1) => {
    const at = props.index;
    if (at === null) return;
    const next = at + step;
    if (next < 0 || next >= props.images.length) return;
    setView(IDENTITY);
    props.onIndex(next);
  };
  useBackCloses(open, close);
  createEffect(() => {
    if (!dialog) return;
    if (open() && !dialog.open) {
      setView(IDENTITY);
      dialog.showModal();
    } else if (!open() && dialog.open) dialog.close();
  });
  onCleanup(() => dialog?.open && dialog.close());

  // Pointers on the stage: one finger pans (zoomed) or swipes (at fit), two pinch.
  const pointers = new Map<number, { x: number; y: number }>();
  let gesture: { view: View; distance: number; start: { x: number; y: number } } | null = null;
  let lastTap = 0;
  const centreOf = () => {
    const box = stage?.getBoundingClientRect();
    return box ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : { x: 0, y: 0 };
  };
  const distance = () => {
    const [a, b] = [...pointers.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  };
  const midpoint = () => {
    const points = [...pointers.values()];
    const c = centreOf();
    return { x: points.reduce((s, p) => s + p.x, 0) / points.length - c.x, y: points.reduce((s, p) => s + p.y, 0) / points.length - c.y };
  };
  const onDown = (event: PointerEvent) => {
    stage?.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    gesture = { view: view(), distance: distance(), start: { x: event.clientX, y: event.clientY } };
  };
  const onMove = (event: PointerEvent) => {
    if (!pointers.has(event.pointerId) || !gesture) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size >= 2) setView(pinched(gesture.view, gesture.distance, distance(), midpoint()));
    else if (gesture.view.scale > 1) setView({ ...gesture.view, x: gesture.view.x + event.clientX - gesture.start.x, y: gesture.view.y + event.clientY - gesture.start.y });
  };
  const onUp = (event: PointerEvent) => {
    if (!pointers.delete(event.pointerId) || !gesture) return;
    const moved = { x: event.clientX - gesture.start.x, y: event.clientY - gesture.start.y };
    if (pointers.size === 0 && gesture.view.scale === 1 && gesture.distance === 0) {
      const direction = swipeDirection(moved.x, moved.y);
      if (direction !== 0) go(direction);
      else if (Math.hypot(moved.x, moved.y) < 10) {
        // A second tap within 300 ms: zoom in there, or back to fit.
        if (event.timeStamp - lastTap < 300) {
          const c = centreOf();
          setView(toggledZoom(view(), { x: event.clientX - c.x, y: event.clientY - c.y }));
          lastTap = 0;
        } else lastTap = event.timeStamp;
      }
    }
    gesture = pointers.size > 0 ? { view: view(), distance: distance(), start: [...pointers.values()][0] ?? { x: 0, y: 0 } } : null;
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowLeft') go(-1);
    else if (event.key === 'ArrowRight') go(1);
    else if (event.key === '+' || event.key === '=') setView((v) => ({ ...v, scale: Math.min(5, v.scale * 1.5) }));
    else if (event.key === '-') setView((v) => (v.scale / 1.5 <= 1 ? IDENTITY : { ...v, scale: v.scale / 1.5 }));
    else return;
    event.preventDefault();
  };

  return (
    <dialog
      ref={dialog}
      class="viewer"
      aria-label={t('viewer.label')}
      aria-describedby="viewer-hint"
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
      onKeyDown={onKey}
    >
      <Show when={current()}>
        {(image) => (
          <>
            <header class="viewer-bar">
              <p class="viewer-position" aria-live="polite">
                {t('viewer.position', { n: (props.index ?? 0) + 1, total: props.images.length, name: image().name })}
              </p>
              <a class="button ghost icon-button" href={image().url} download={image().name}>
                <span aria-hidden="true">⬇</span>
                <span class="visually-hidden">{t('ws.download', { name: image().name })}</span>
              </a>
              <button type="button" class="button ghost icon-button" aria-label={t('common.close')} onClick={close}>
                <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                  <path d="M6 6l12 12M18 6L6 18" />
                </svg>
              </button>
            </header>
            <div ref={stage} class="viewer-stage" onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} onPointerCancel={onUp}>
              <img
                src={image().url}
                alt={image().name}
                draggable={false}
                style={{ transform: `translate(${view().x}px, ${view().y}px) scale(${view().scale})` }}
                data-scale={view().scale.toFixed(2)}
              />
            </div>
            <p id="viewer-hint" class="viewer-hint">
              {t('viewer.hint')}
            </p>
            <button type="button" class="viewer-nav previous" aria-label={t('viewer.previous')} disabled={(props.index ?? 0) === 0} onClick={() => go(-1)}>
              <span aria-hidden="true">‹</span>
            </button>
            <button type="button" class="viewer-nav next" aria-label={t('viewer.next')} disabled={(props.index ?? 0) >= props.images.length - 1} onClick={() => go(1)}>
              <span aria-hidden="true">›</span>
            </button>
          </>
        )}
      </Show>
    </dialog>
  );
}

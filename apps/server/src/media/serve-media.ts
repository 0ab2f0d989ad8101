import { notFound } from '../http/api-error.ts';
import type { MediaRecord } from './media-repo.ts';
import type { MediaStore } from './media-store.ts';
import { servedInline } from './media-types.ts';

/** Streams a stored file with headers that stop the browser from guessing or running it. */
export function serveMedia(store: MediaStore, media: MediaRecord | null): Response {
  if (!media) throw notFound('No such file.');
  const disposition = servedInline(media.mimeType) ? 'inline' : 'attachment';
  return new Response(store.stream(media.id), {
    status: 200,
    headers: {
      'Content-Type': media.mimeType,
      'Content-Length': String(media.size),
      'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(media.name)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=3600',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  });
}

/**
 * What end users may send. SVG and HTML are left out on purpose: a browser would run their
 * scripts if one were ever opened inline.
 */
const ALLOWED_EXACT = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/heif',
  'application/pdf',
  'text/plain',
  'application/zip',
  'application/x-zip-compressed',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'text/csv',
]);

/** The MIME type without parameters, lower-case ("text/plain; charset=utf-8" → "text/plain"). */
export function baseMimeType(type: string): string {
  return (type.split(';')[0] ?? '').trim().toLowerCase();
}

export function isAllowedMediaType(type: string): boolean {
  const base = baseMimeType(type);
  return ALLOWED_EXACT.has(base) || /^(audio|video)\/[\w.+-]+$/.test(base);
}

/** Images, audio and video open in the browser; everything else downloads. */
export function servedInline(type: string): boolean {
  return /^(image|audio|video)\//.test(baseMimeType(type));
}

/** Magic numbers of the file types users send most; answers null when the bytes say nothing known. */
export function sniffMediaType(bytes: Uint8Array): string | null {
  const starts = (offset: number, ...sig: number[]) => sig.every((b, i) => bytes[offset + i] === b);
  const ascii = (offset: number, text: string) => starts(offset, ...Array.from(text, (ch) => ch.charCodeAt(0)));
  if (starts(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  if (ascii(0, 'RIFF') && ascii(8, 'WAVE')) return 'audio/wav';
  if (ascii(0, '%PDF-')) return 'application/pdf';
  if (ascii(0, 'OggS')) return 'audio/ogg';
  if (ascii(0, 'ID3') || starts(0, 0xff, 0xfb) || starts(0, 0xff, 0xf3)) return 'audio/mpeg';
  if (starts(0, 0x1a, 0x45, 0xdf, 0xa3)) return 'video/webm';
  if (ascii(4, 'ftypheic') || ascii(4, 'ftypheix')) return 'image/heic';
  if (ascii(4, 'ftypM4A')) return 'audio/mp4';
  if (ascii(4, 'ftyp')) return 'video/mp4';
  if (starts(0, 0x50, 0x4b, 0x03, 0x04) || starts(0, 0x50, 0x4b, 0x05, 0x06)) return 'application/zip';
  if (starts(0, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'application/x-ole-storage';
  // Markup and JSON are what internal services answer: name them so they are never taken for text.
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<script') || head.startsWith('<?xml') || head.startsWith('<svg')) return 'text/html';
  if (head.startsWith('{') || head.startsWith('[')) return 'application/json';
  return null;
}

/** Formats stored as a zip (Office Open XML, OpenDocument) or as OLE (old Office) share those magic numbers. */
const CONTAINER_FAMILIES: Record<string, RegExp> = {
  'application/zip': /^application\/(zip|x-zip-compressed|vnd\.openxmlformats-officedocument\..+|vnd\.oasis\.opendocument\..+)$/,
  'application/x-ole-storage': /^application\/(msword|vnd\.ms-excel|vnd\.ms-powerpoint)$/,
  'audio/ogg': /^(audio|video)\/ogg$/,
  'video/mp4': /^(audio|video)\/(mp4|quicktime|3gpp|x-m4a)$/,
  'audio/mp4': /^audio\/(mp4|x-m4a|aac)$/,
  'video/webm': /^(audio|video)\/webm$/,
  'image/heic': /^image\/hei[cf]$/,
};

/**
 * The type a downloaded file is stored as: what its bytes say first (a more precise claim of the
 * same family may refine it), else the response's type, else the platform's. Never trusts a claim
 * the bytes contradict. The caller checks the result against the allow-list.
 */
export function decideMediaType(sniffed: string | null, responseType: string | null, declaredType: string | null): string {
  const claims = [responseType, declaredType].filter((t): t is string => !!t && t !== 'application/octet-stream');
  if (sniffed) {
    const family = CONTAINER_FAMILIES[sniffed];
    const refined = family ? claims.find((claim) => family.test(claim)) : undefined;
    return refined ?? (sniffed === 'application/x-ole-storage' ? 'application/octet-stream' : sniffed);
  }
  return claims[0] ?? 'application/octet-stream';
}

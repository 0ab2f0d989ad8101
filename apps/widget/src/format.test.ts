import { describe, expect, it } from 'vitest';
import { ApiError, deriveBase, describeError, formatSize, safeUrl } from './format.ts';
import { STRINGS } from './i18n.ts';

describe('formatSize', () => {
  it('uses B, KB, MB and GB with the language decimal separator', () => {
    expect(formatSize(0, 'en')).toBe('0 B');
    expect(formatSize(532, 'en')).toBe('532 B');
    expect(formatSize(1536, 'en')).toBe('1.5 KB');
    expect(formatSize(1536, 'pt-BR')).toBe('1,5 KB');
    expect(formatSize(1536, 'es')).toBe('1,5 KB');
    expect(formatSize(25 * 1024 * 1024, 'en')).toBe('25 MB');
    expect(formatSize(3.2 * 1024 ** 3, 'en')).toBe('3.2 GB');
  });

  it('rounds large values to whole units and rejects nonsense', () => {
    expect(formatSize(123.4 * 1024, 'en')).toBe('123 KB');
    expect(formatSize(-1, 'en')).toBe('');
    expect(formatSize(Number.NaN, 'en')).toBe('');
  });
});

describe('deriveBase', () => {
  it('takes the folder the script came from', () => {
    expect(deriveBase('https://desk.example/widget.js', null, 'https://shop.example/p')).toBe('https://desk.example/');
    expect(deriveBase('https://desk.example/support/widget.js?v=3', undefined, 'https://shop.example/')).toBe('https://desk.example/support/');
  });

  it('prefers data-desk-url, with or without a trailing slash', () => {
    expect(deriveBase('https://cdn.example/widget.js', 'https://desk.example', 'https://shop.example/')).toBe('https://desk.example/');
    expect(deriveBase('https://cdn.example/widget.js', 'https://desk.example/sub', 'https://shop.example/')).toBe('https://desk.example/sub/');
  });

  it('falls back to the page origin', () => {
    expect(deriveBase(null, '', 'http://localhost:8080/demo?lang=es')).toBe('http://localhost:8080/');
  });
});

describe('safeUrl', () => {
  it('resolves relative attachment urls against the API base and refuses script urls', () => {
    expect(safeUrl('/channels/webchat/media/1', 'https://desk.example/')).toBe('https://desk.example/channels/webchat/media/1');
    expect(safeUrl('javascript:alert(1)', 'https://desk.example/')).toBeNull();
    expect(safeUrl('data:text/html,x', 'https://desk.example/')).toBeNull();
  });
});

describe('describeError', () => {
  const t = STRINGS['pt-BR'];
  it('explains a too-large or disallowed file in the visitor language, keeping the server detail', () => {
    expect(describeError(new ApiError(413, 'payload_too_large', 'The file is larger than 25 MB.'), t)).toEqual({
      text: t.tooLarge,
      detail: 'The file is larger than 25 MB.',
      retryable: false,
    });
    expect(describeError(new ApiError(415, null, ''), t)).toEqual({ text: t.badType, retryable: false });
  });

  it('offers a retry for network and server failures', () => {
    expect(describeError(new TypeError('fetch failed'), t)).toEqual({ text: t.network, retryable: true });
    expect(describeError(new ApiError(503, null, ''), t).retryable).toBe(true);
  });

  it('shows the server message for other client errors', () => {
    expect(describeError(new ApiError(400, 'validation', 'Write a message or attach a file.'), t)).toEqual({
      text: 'Write a message or attach a file.',
      retryable: false,
    });
  });
});

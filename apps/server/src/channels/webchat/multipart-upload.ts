import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { DeskError, ErrorCode, timeOrderedId } from '@desk/core';
import Busboy from 'busboy';
import type { MediaStore } from '../../media/media-store.ts';
import { baseMimeType, isAllowedMediaType } from '../../media/media-types.ts';
import { decideMediaType, sniffMediaType } from '../../media/sniff-media-type.ts';

export interface StreamedFile {
  mediaId: string;
  mimeType: string;
  size: number;
  name: string;
}

export interface MultipartLimits {
  /** Largest file, in bytes (`MEDIA_MAX_BYTES`): past it, 413. */
  maxFileBytes: number;
  /** What the quota still allows; past it, `overQuota`. */
  allowanceBytes: number;
  overQuota: DeskError;
}

const SNIFF_BYTES = 512;

/**
 * Reads a multipart form (text fields and at most one `file`) straight from the request stream,
 * writing the file to the media store as it arrives: the size limit and the quota are enforced
 * while streaming, so an oversized upload is cut off without filling memory or disk. A file refused
 * half-way is removed. The stored type is what the bytes show (the browser's claim only refines it).
 */
export function receiveMultipart(request: Request, store: MediaStore, limits: MultipartLimits): Promise<{ fields: Record<string, string>; file: StreamedFile | null }> {
  const contentType = request.headers.get('content-type') ?? '';
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: StreamedFile | null = null;
    let writing: Promise<void> | null = null;
    let failed: Error | null = null;
    let parser: Busboy.Busboy;
    try {
      parser = Busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 10, fieldSize: 64 * 1024, fileSize: limits.maxFileBytes } });
    } catch {
      reject(new DeskError(ErrorCode.invalidInput, 'The multipart body could not be read.'));
      return;
    }
    const source = request.body ? Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>) : Readable.from([]);
    const fail = (err: Error) => {
      if (failed) return;
      failed = err;
      source.unpipe(parser);
      source.destroy();
      const cleanup = file ? store.remove(file.mediaId) : Promise.resolve();
      void (writing ?? Promise.resolve()).catch(() => undefined).then(() => cleanup).finally(() => reject(err));
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      const declared = baseMimeType(info.mimeType || 'application/octet-stream');
      if (!isAllowedMediaType(declared) && declared !== 'application/octet-stream') {
        stream.resume();
        fail(new DeskError(ErrorCode.unsupportedMediaType, 'This kind of file is not accepted. Send an image, audio, video, PDF, text, office document or zip.'));
        return;
      }
      const current: StreamedFile = { mediaId: timeOrderedId(), mimeType: declared, size: 0, name: (info.filename || 'file').slice(0, 200) };
      file = current;
      const head: Buffer[] = [];
      let headBytes = 0;
      const out = createWriteStream(store.pathOf(current.mediaId), { flags: 'wx', mode: 0o600 });
      writing = new Promise<void>((done, broke) => {
        out.on('close', done);
        out.on('error', broke);
      });
      writing.catch((err: Error) => fail(err));
      stream.on('data', (chunk: Buffer) => {
        current.size += chunk.byteLength;
        if (headBytes < SNIFF_BYTES) {
          head.push(chunk);
          headBytes += chunk.byteLength;
        }
        if (current.size > limits.allowanceBytes) {
          stream.unpipe(out);
          out.destroy();
          fail(limits.overQuota);
        }
      });
      stream.on('limit', () => {
        stream.unpipe(out);
        out.destroy();
        fail(new DeskError(ErrorCode.payloadTooLarge, `Files may be up to ${Math.max(1, Math.floor(limits.maxFileBytes / 1024 / 1024))} MB.`));
      });
      stream.on('end', () => {
        current.mimeType = decideMediaType(sniffMediaType(Buffer.concat(head).subarray(0, SNIFF_BYTES)), null, declared);
      });
      stream.pipe(out);
    });
    parser.on('error', (err: Error) => fail(err instanceof DeskError ? err : new DeskError(ErrorCode.invalidInput, 'The multipart body could not be read.')));
    parser.on('close', () => {
      if (failed) return;
      void (writing ?? Promise.resolve()).then(
        () => {
          if (failed) return;
          if (file && !isAllowedMediaType(file.mimeType)) {
            fail(new DeskError(ErrorCode.unsupportedMediaType, 'This kind of file is not accepted. Send an image, audio, video, PDF, text, office document or zip.'));
            return;
          }
          resolve({ fields, file });
        },
        (err: Error) => fail(err),
      );
    });
    source.on('error', (err) => fail(err instanceof DeskError ? err : (err as Error)));
    source.pipe(parser);
  });
}

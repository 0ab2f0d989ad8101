import { timeOrderedId } from '@desk/core';
import { createReadStream, mkdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/**
 * Files under MEDIA_DIR/<uuid> (default DATA_DIR/media; several instances mount one shared
 * directory): names never come from the user, so no path tricks.
 */
export class MediaStore {
  constructor(readonly dir: string) {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  async write(bytes: Uint8Array): Promise<string> {
    const id = timeOrderedId();
    await writeFile(this.pathOf(id), bytes, { flag: 'wx', mode: 0o600 });
    return id;
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  stream(id: string): ReadableStream<Uint8Array> {
    return Readable.toWeb(createReadStream(this.pathOf(id))) as ReadableStream<Uint8Array>;
  }

  pathOf(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`Not a media id: ${id}`);
    return join(this.dir, id);
  }
}

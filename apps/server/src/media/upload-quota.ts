import { DeskError, ErrorCode } from '@desk/core';
import type { Db } from '../db/database.ts';

export interface QuotaLimits {
  /** All stored media together (`MEDIA_QUOTA_BYTES`); over it: 507. */
  globalBytes: number;
  /** What one address may upload in a day (`MEDIA_QUOTA_PER_ADDRESS_BYTES`); over it: 429. */
  perAddressBytes: number;
}

const DAY_MS = 86_400_000;
const gb = (bytes: number) => `${Math.round((bytes / 1024 ** 3) * 10) / 10} GB`;
const mb = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;

/**
 * Storage quotas for anonymous uploads: the whole media store, and what one address uploaded in the
 * last day. A full disk would stop SQLite too, so these are checked before a byte is written and
 * again while the file streams in.
 */
export class UploadQuota {
  constructor(
    private readonly db: Db,
    private readonly limits: QuotaLimits,
  ) {}

  /** Bytes all media together may still grow by (channel downloads count too). */
  async globalLeft(): Promise<number> {
    const row = await this.db.q.selectFrom('media').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes')).executeTakeFirst();
    return this.limits.globalBytes - Number(row?.bytes ?? 0);
  }

  /** Bytes this address may still upload now, and the error to answer past them; throws when none. */
  async allowance(address: string, now = Date.now()): Promise<{ bytes: number; exceeded: DeskError }> {
    const globalLeft = await this.globalLeft();
    if (globalLeft <= 0) throw this.storageFull();
    const since = new Date(now - DAY_MS).toISOString();
    const row = await this.db.q
      .selectFrom('upload_ledger')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('bytes'), eb.lit(0)).as('bytes'))
      .where('address', '=', address)
      .where('created_at', '>', since)
      .executeTakeFirst();
    const uploaded = Number(row?.bytes ?? 0);
    const addressLeft = this.limits.perAddressBytes - uploaded;
    if (addressLeft <= 0) throw this.addressFull();
    return globalLeft < addressLeft ? { bytes: globalLeft, exceeded: this.storageFull() } : { bytes: addressLeft, exceeded: this.addressFull() };
  }

  async record(address: string, bytes: number, now = Date.now()): Promise<void> {
    await this.db.q.insertInto('upload_ledger').values({ address, bytes, created_at: new Date(now).toISOString() }).execute();
    // The ledger only needs a day.
    await this.db.q.deleteFrom('upload_ledger').where('created_at', '<=', new Date(now - DAY_MS).toISOString()).execute();
  }

  private storageFull(): DeskError {
    return new DeskError(ErrorCode.insufficientStorage, `File storage is full (${gb(this.limits.globalBytes)}). Send text, or try again later.`);
  }

  private addressFull(): DeskError {
    return new DeskError(ErrorCode.tooManyRequests, `Too many files from this network today (at most ${mb(this.limits.perAddressBytes)} a day). Try again tomorrow.`);
  }
}

import { DeskError, ErrorCode } from '@desk/core';
import type { Db } from '../db/database.ts';
import { statement } from '../db/statements.ts';

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
  globalLeft(): number {
    const stored = (statement(this.db, 'SELECT COALESCE(SUM(size), 0) AS bytes FROM media').get() as { bytes: number }).bytes;
    return this.limits.globalBytes - stored;
  }

  /** Bytes this address may still upload now, and the error to answer past them; throws when none. */
  allowance(address: string, now = Date.now()): { bytes: number; exceeded: DeskError } {
    const globalLeft = this.globalLeft();
    if (globalLeft <= 0) throw this.storageFull();
    const since = new Date(now - DAY_MS).toISOString();
    const uploaded = (
      statement(this.db, 'SELECT COALESCE(SUM(bytes), 0) AS bytes FROM upload_ledger WHERE address = ? AND created_at > ?').get(address, since) as { bytes: number }
    ).bytes;
    const addressLeft = this.limits.perAddressBytes - uploaded;
    if (addressLeft <= 0) throw this.addressFull();
    return globalLeft < addressLeft ? { bytes: globalLeft, exceeded: this.storageFull() } : { bytes: addressLeft, exceeded: this.addressFull() };
  }

  record(address: string, bytes: number, now = Date.now()): void {
    statement(this.db, 'INSERT INTO upload_ledger (address, bytes, created_at) VALUES (?, ?, ?)').run(address, bytes, new Date(now).toISOString());
    // The ledger only needs a day.
    statement(this.db, 'DELETE FROM upload_ledger WHERE created_at <= ?').run(new Date(now - DAY_MS).toISOString());
  }

  private storageFull(): DeskError {
    return new DeskError(ErrorCode.insufficientStorage, `File storage is full (${gb(this.limits.globalBytes)}). Send text, or try again later.`);
  }

  private addressFull(): DeskError {
    return new DeskError(ErrorCode.tooManyRequests, `Too many files from this network today (at most ${mb(this.limits.perAddressBytes)} a day). Try again tomorrow.`);
  }
}

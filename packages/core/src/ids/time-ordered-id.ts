/**
 * Ids for rows the server creates (messages, conversations, contacts, tickets...): UUIDv7 (RFC 9562,
 * section 5.7). The first 48 bits are the Unix time in milliseconds, so ids made one after the other
 * sort in the order they were made: a table's primary-key index (a B-tree) grows at its right edge
 * instead of taking each insert on a random page, and a commit rewrites one or two index pages
 * rather than one per row all over the file (and its WAL).
 *
 * Within one millisecond the 12 bits after the version (`rand_a`) count up from a random start
 * (RFC 9562 6.2, method 1); when they run out, the time borrows the next millisecond. The clock going
 * back is treated the same way, so ids from one process keep increasing. The last 62 bits are random.
 * They are still valid UUIDs (version 7, variant 10): every `z.uuid()` check accepts them.
 */

/** Web Crypto's random source: globalThis.crypto in browsers and in Node 20. */
interface RandomSource {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

const random: RandomSource = (globalThis as unknown as { crypto: RandomSource }).crypto;

const COUNTER_MAX = 0xfff;
/** A new millisecond's counter starts below this: at least 2,048 more ids fit before it would overflow. */
const COUNTER_START_SPAN = 0x800;
const ID_BYTES = 16;

/**
 * Random bytes for 256 ids, drawn from Web Crypto at once and used up 16 bytes per id: on Node 20 a
 * `getRandomValues` call costs several microseconds whatever its size (a crypto job each time), and the
 * inbox processor makes two or three ids per message, so one call per id was a tenth of its storage
 * CPU. The bytes are the same CSPRNG output, each used for one id only.
 */
const pool = new Uint8Array(ID_BYTES * 256);
let poolAt = pool.length;

let lastMs = -1;
let counter = 0;

const HEX: string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The next UUIDv7 (lower-case text): greater than every one this process made before. `now` is for tests. */
export function timeOrderedId(now: number = Date.now()): string {
  if (poolAt === pool.length) {
    random.getRandomValues(pool);
    poolAt = 0;
  }
  const bytes = pool.subarray(poolAt, poolAt + ID_BYTES);
  poolAt += ID_BYTES;
  if (now > lastMs) {
    lastMs = now;
    counter = (((bytes[6] as number) << 8) | (bytes[7] as number)) % COUNTER_START_SPAN;
  } else if (counter < COUNTER_MAX) {
    counter += 1;
  } else {
    lastMs += 1;
    counter = (((bytes[6] as number) << 8) | (bytes[7] as number)) % COUNTER_START_SPAN;
  }
  const ms = lastMs;
  // 48-bit big-endian milliseconds: the high 16 bits apart, as bitwise operators work on 32 bits.
  const high = Math.floor(ms / 0x1_0000_0000);
  const low = ms >>> 0;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = (low >>> 24) & 0xff;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = 0x70 | (counter >>> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  let text = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text += '-';
    text += HEX[bytes[i] as number];
  }
  return text;
}

/** The millisecond a UUIDv7 was made at (its first 48 bits), or null for any other string. */
export function timeOfId(id: string): number | null {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return null;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

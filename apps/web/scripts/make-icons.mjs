// Writes the PWA icons (public/icons/*.png) with node built-ins only.
// The shape: a white speech bubble on the brand colour. Run: node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const BRAND = [79, 70, 229]; // #4f46e5
const WHITE = [255, 255, 255];

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Inside a rounded rectangle centred at (cx, cy) with half sizes (hw, hh) and corner radius r. */
function inRoundRect(x, y, cx, cy, hw, hh, r) {
  const dx = Math.max(Math.abs(x - cx) - (hw - r), 0);
  const dy = Math.max(Math.abs(y - cy) - (hh - r), 0);
  return dx * dx + dy * dy <= r * r;
}
/** Inside the triangle a-b-c. */
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const s = (p, q, r) => (p[0] - r[0]) * (q[1] - r[1]) - (q[0] - r[0]) * (p[1] - r[1]);
  const pt = [x, y];
  const d1 = s(pt, [ax, ay], [bx, by]);
  const d2 = s(pt, [bx, by], [cx, cy]);
  const d3 = s(pt, [cx, cy], [ax, ay]);
  const neg = d1 < 0 || d2 < 0 || d3 < 0;
  const pos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
}

/**
 * Draws one icon in unit coordinates (0..1).
 * @param {number} size pixels
 * @param {{ bgRadius: number, scale: number }} opts bgRadius: corner radius of the background
 *   (0 = full bleed square); scale: size of the bubble relative to the icon.
 */
function drawIcon(size, { bgRadius, scale }) {
  const rgba = Buffer.alloc(size * size * 4);
  const S = 4; // supersampling per axis
  const bubble = (x, y) => {
    // work in bubble space centred at 0.5, 0.5
    const u = 0.5 + (x - 0.5) / scale;
    const v = 0.5 + (y - 0.5) / scale;
    const body = inRoundRect(u, v, 0.5, 0.44, 0.42, 0.3, 0.14);
    const tail = inTriangle(u, v, [0.26, 0.66], [0.46, 0.66], [0.22, 0.92]);
    // three dots cut out of the bubble
    const dot = [0.3, 0.5, 0.7].some((cx) => (u - cx) ** 2 + (v - 0.44) ** 2 <= 0.055 ** 2);
    return (body || tail) && !dot;
  };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bgCover = 0;
      let fgCover = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          const inBg = bgRadius === 0 || inRoundRect(x, y, 0.5, 0.5, 0.5, 0.5, bgRadius);
          if (!inBg) continue;
          bgCover++;
          if (bubble(x, y)) fgCover++;
        }
      }
      const n = S * S;
      const i = (py * size + px) * 4;
      const a = bgCover / n;
      const f = bgCover === 0 ? 0 : fgCover / bgCover;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(BRAND[c] * (1 - f) + WHITE[c] * f);
      rgba[i + 3] = Math.round(a * 255);
    }
  }
  return png(size, rgba);
}

mkdirSync(OUT, { recursive: true });
const icons = [
  ['icon-192.png', 192, { bgRadius: 0.2, scale: 0.72 }],
  ['icon-512.png', 512, { bgRadius: 0.2, scale: 0.72 }],
  // maskable: full bleed, the shape inside the 80 % safe zone
  ['maskable-512.png', 512, { bgRadius: 0, scale: 0.56 }],
  // iOS rounds the corners itself and shows transparency as black
  ['apple-touch-icon.png', 180, { bgRadius: 0, scale: 0.68 }],
];
for (const [name, size, opts] of icons) {
  writeFileSync(join(OUT, name), drawIcon(size, opts));
  console.log(`wrote public/icons/${name}`);
}

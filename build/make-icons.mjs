#!/usr/bin/env node
// Draws Kense Office's icons (a white К on a teal rounded square; the tray's monochrome template for macOS) and
// writes them as PNG: build/icon.png for electron-builder (it derives .ico/.icns), the window and tray icons under
// electron/main/assets. Run again after changing the drawing: `node build/make-icons.mjs`.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, rgba) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// Shapes in a unit square (0..1).
const inRoundedSquare = (x, y, r) => {
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
function inPolygon(x, y, poly) {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
// The letter К: a stem and two arms.
const K = [
  [[0.30, 0.24], [0.41, 0.24], [0.41, 0.76], [0.30, 0.76]],
  [[0.41, 0.47], [0.60, 0.24], [0.73, 0.24], [0.49, 0.52], [0.41, 0.56]],
  [[0.45, 0.49], [0.53, 0.44], [0.74, 0.76], [0.61, 0.76]],
];
const inK = (x, y) => K.some((p) => inPolygon(x, y, p));

/** Supersampled drawing: colour(x, y) → [r, g, b, a] or null. */
function draw(size, colour, samples = 4) {
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++) {
          const c = colour((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!c) continue;
          r += c[0] * c[3]; g += c[1] * c[3]; b += c[2] * c[3]; a += c[3];
        }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a); out[i + 1] = Math.round(g / a); out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round((a / (samples * samples)) * 255);
    }
  return out;
}

const TEAL = [15, 118, 110, 1];
const WHITE = [255, 255, 255, 1];
const BLACK = [0, 0, 0, 1];
const appIcon = (x, y) => (inRoundedSquare(x, y, 0.22) ? (inK(x, y) ? WHITE : TEAL) : null);
// macOS template: the shape in black, the letter cut out (the system colours it for light and dark menus).
const template = (x, y) => (inRoundedSquare(x, y, 0.22) && !inK(x, y) ? BLACK : null);

const write = (file, size, colour) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, png(size, draw(size, colour)));
  console.log(`${path.relative(root, file)} (${size}×${size})`);
};
write(path.join(root, 'build', 'icon.png'), 1024, appIcon);
const assets = path.join(root, 'electron', 'main', 'assets');
write(path.join(assets, 'icon.png'), 256, appIcon);
write(path.join(assets, 'tray.png'), 16, appIcon);
write(path.join(assets, 'tray@2x.png'), 32, appIcon);
write(path.join(assets, 'trayTemplate.png'), 16, template);
write(path.join(assets, 'trayTemplate@2x.png'), 32, template);

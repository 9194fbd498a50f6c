// The kernel's logos (logo-32x32.png, logo-64x64.png), drawn at install time: a TypeScript-blue rounded
// square with a white packet path — three hops joined by a line, the last one crossed out (a drop).
// A minimal PNG writer (RGBA, one IDAT, zlib from node) is smaller than shipping binary files.
import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG file from RGBA pixels, row-major, `width * height * 4` bytes. */
export function encodePNG(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** Distance from point p to segment ab. */
function segDist(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The logo at `size` pixels, drawn in unit coordinates and antialiased by 4×4 supersampling. */
export function logoPNG(size: number): Buffer {
  const blue = [0x31, 0x78, 0xc6];
  const hops: [number, number][] = [
    [0.22, 0.68],
    [0.46, 0.36],
    [0.7, 0.6],
  ];
  const inside = (x: number, y: number): "bg" | "fg" | "out" => {
    const r = 0.18; // rounded corners
    const cx = Math.min(Math.max(x, r), 1 - r);
    const cy = Math.min(Math.max(y, r), 1 - r);
    if (Math.hypot(x - cx, y - cy) > r) return "out";
    const w = 0.045;
    for (let i = 0; i + 1 < hops.length; i++) if (segDist(x, y, ...hops[i]!, ...hops[i + 1]!) < w) return "fg";
    for (const [hx, hy] of hops.slice(0, 2)) if (Math.hypot(x - hx, y - hy) < 0.085) return "fg";
    // The last hop is a cross: the packet was dropped there.
    const [lx, ly] = hops[2]!;
    const d = 0.1;
    if (segDist(x, y, lx - d, ly - d, lx + d, ly + d) < w || segDist(x, y, lx - d, ly + d, lx + d, ly - d) < w) return "fg";
    return "bg";
  };
  const px = new Uint8Array(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const k = inside((x + (sx + 0.5) / n) / size, (y + (sy + 0.5) / n) / size);
          if (k === "out") continue;
          const c = k === "fg" ? [255, 255, 255] : blue;
          r += c[0]!;
          g += c[1]!;
          b += c[2]!;
          a += 1;
        }
      }
      const o = (y * size + x) * 4;
      if (a > 0) {
        px[o] = Math.round(r / a);
        px[o + 1] = Math.round(g / a);
        px[o + 2] = Math.round(b / a);
      }
      px[o + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return encodePNG(size, size, px);
}

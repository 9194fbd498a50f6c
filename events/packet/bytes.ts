// Big-endian reads on a Uint8Array. Callers check lengths first; these never allocate.

export function u16(data: Uint8Array, at: number): number {
  return (data[at]! << 8) | data[at + 1]!;
}

export function u24(data: Uint8Array, at: number): number {
  return (data[at]! << 16) | (data[at + 1]! << 8) | data[at + 2]!;
}

export function u32(data: Uint8Array, at: number): number {
  // `>>> 0` keeps values above 2^31 positive.
  return ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
}

/** `data[from, to)` clamped to the array, empty when `from` is past the end (the way pnet slices payloads). */
export function clampedSlice(data: Uint8Array, from: number, to: number): Uint8Array {
  const end = Math.min(to, data.length);
  return from >= end ? data.subarray(0, 0) : data.subarray(from, end);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Two lowercase hex digits per byte, no separator. */
export function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b];
  return out;
}

/** `aa:bb:cc:dd:ee:ff` from the 6 bytes at `at`. */
export function macAt(data: Uint8Array, at: number): string {
  return `${HEX[data[at]!]}:${HEX[data[at + 1]!]}:${HEX[data[at + 2]!]}:${HEX[data[at + 3]!]}:${HEX[data[at + 4]!]}:${HEX[data[at + 5]!]}`;
}

/** Dotted decimal from the 4 bytes at `at`. */
export function ipv4At(data: Uint8Array, at: number): string {
  return `${data[at]}.${data[at + 1]}.${data[at + 2]}.${data[at + 3]}`;
}

/**
 * RFC 5952 text from the 16 bytes at `at`, as Rust's `Ipv6Addr` prints it: IPv4-mapped addresses as
 * `::ffff:a.b.c.d`, the first longest run of two or more zero groups as `::`, lowercase hex.
 */
export function ipv6At(data: Uint8Array, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(u16(data, at + 2 * i));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${ipv4At(data, at + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const text = (gs: number[]): string => gs.map((g) => g.toString(16)).join(":");
  if (bestLen < 2) return text(groups);
  return `${text(groups.slice(0, bestStart))}::${text(groups.slice(bestStart + bestLen))}`;
}

// SCTP common header and chunks.
import type { SctpChunk, SctpLayer } from "../../typings/packet-layers.js";
import { clampedSlice, u16, u32 } from "./bytes.js";
import type { Dissection } from "./dissection.js";
import { sctpChunkName } from "./names.js";

const SCTP_SIZE = 12;
const CHUNK_HEADER_SIZE = 4;

/** A chunk's length field rounded up to its 4-byte padding: the room it takes. */
export function paddedChunkLength(chunkLength: number): number {
  return (chunkLength + 3) & ~3;
}

/** `declaredEnd` is where the IP length says the chunks end: chunks missing before it make the packet truncated. */
export function parseSctp(d: Dissection, at: number, end: number, declaredEnd: number): undefined {
  if (d.available(at, end) < SCTP_SIZE) return d.cut("sctp", at, SCTP_SIZE, end);
  const data = d.data;
  const chunks: SctpChunk[] = [];
  let i = at + SCTP_SIZE;
  while (i < end) {
    if (end - i < CHUNK_HEADER_SIZE) {
      d.cut("sctp", at, i + CHUNK_HEADER_SIZE - at, end);
      break;
    }
    const chunkLength = u16(data, i + 2);
    const room = Math.max(0, paddedChunkLength(chunkLength) - CHUNK_HEADER_SIZE);
    if (i + CHUNK_HEADER_SIZE + room > end) d.cut("sctp", at, i + CHUNK_HEADER_SIZE + room - at, end);
    chunks.push(decodeChunk(data, i, chunkLength, clampedSlice(data, i + CHUNK_HEADER_SIZE, Math.min(i + CHUNK_HEADER_SIZE + room, end))));
    i = Math.min(i + CHUNK_HEADER_SIZE + room, end);
  }
  const layer: SctpLayer = {
    layer: "sctp",
    offset: at,
    length: i - at,
    sourcePort: u16(data, at),
    destinationPort: u16(data, at + 2),
    verificationTag: u32(data, at + 4),
    checksum: u32(data, at + 8),
    chunks,
  };
  d.add(layer, i, end);
  if (i < declaredEnd) d.cut("sctp", at, declaredEnd - at, end);
  return undefined;
}

/**
 * `padded` is the value with its padding, as far as captured. Fixed fields are decoded only when `padded` holds
 * them: that is the test Retis applies before printing them.
 */
function decodeChunk(data: Uint8Array, at: number, chunkLength: number, padded: Uint8Array): SctpChunk {
  const type = data[at]!;
  const flags = data[at + 1]!;
  const value = padded.subarray(0, Math.max(0, chunkLength - CHUNK_HEADER_SIZE));
  const base = { type, flags, chunkLength, value };
  const has = (n: number): boolean => padded.length >= n;
  switch (type) {
    case 0:
      return {
        chunk: "DATA",
        ...base,
        unordered: (flags & 0x04) !== 0,
        beginning: (flags & 0x02) !== 0,
        ending: (flags & 0x01) !== 0,
        tsn: has(12) ? u32(padded, 0) : undefined,
        streamId: has(12) ? u16(padded, 4) : undefined,
        streamSequence: has(12) ? u16(padded, 6) : undefined,
        ppid: has(12) ? u32(padded, 8) : undefined,
      };
    case 1:
    case 2:
      return {
        chunk: type === 1 ? "INIT" : "INIT_ACK",
        ...base,
        initiateTag: has(16) ? u32(padded, 0) : undefined,
        advertisedWindow: has(16) ? u32(padded, 4) : undefined,
        outboundStreams: has(16) ? u16(padded, 8) : undefined,
        inboundStreams: has(16) ? u16(padded, 10) : undefined,
        initialTsn: has(16) ? u32(padded, 12) : undefined,
      };
    case 3:
      return {
        chunk: "SACK",
        ...base,
        cumulativeTsnAck: has(12) ? u32(padded, 0) : undefined,
        advertisedWindow: has(12) ? u32(padded, 4) : undefined,
        gapAckBlocks: has(12) ? u16(padded, 8) : undefined,
        duplicateTsns: has(12) ? u16(padded, 10) : undefined,
      };
    default:
      return { chunk: "other", ...base, name: sctpChunkName(type) };
  }
}

// TCP header and its options.
import type { SackBlock, TcpLayer, TcpOption } from "../../typings/packet-layers.js";
import { clampedSlice, u16, u32 } from "./bytes.js";
import type { Dissection } from "./dissection.js";

const TCP_SIZE = 20;

export function parseTcp(d: Dissection, at: number, end: number): undefined {
  if (d.available(at, end) < TCP_SIZE) return d.cut("tcp", at, TCP_SIZE, end);
  const data = d.data;
  const dataOffset = data[at + 12]! >> 4;
  const headerEnd = at + Math.max(TCP_SIZE, dataOffset * 4);
  const rawFlags = ((data[at + 12]! & 0x01) << 8) | data[at + 13]!;
  const layer: TcpLayer = {
    layer: "tcp",
    offset: at,
    length: Math.min(headerEnd, end) - at,
    sourcePort: u16(data, at),
    destinationPort: u16(data, at + 2),
    sequence: u32(data, at + 4),
    acknowledgment: u32(data, at + 8),
    dataOffset,
    rawFlags,
    flags: {
      fin: (rawFlags & 0x01) !== 0,
      syn: (rawFlags & 0x02) !== 0,
      rst: (rawFlags & 0x04) !== 0,
      psh: (rawFlags & 0x08) !== 0,
      ack: (rawFlags & 0x10) !== 0,
      urg: (rawFlags & 0x20) !== 0,
      ece: (rawFlags & 0x40) !== 0,
      cwr: (rawFlags & 0x80) !== 0,
      ae: (rawFlags & 0x100) !== 0,
    },
    window: u16(data, at + 14),
    checksum: u16(data, at + 16),
    urgentPointer: u16(data, at + 18),
    options: tcpOptions(clampedSlice(data, at + TCP_SIZE, Math.min(headerEnd, end))),
  };
  d.add(layer, headerEnd, end);
  if (headerEnd > end) d.cut("tcp", at, headerEnd - at, end);
  return undefined;
}

/** Options in wire order. EOL does not end the walk: what follows it (padding) is listed too, as Retis does. */
function tcpOptions(bytes: Uint8Array): TcpOption[] {
  const options: TcpOption[] = [];
  let i = 0;
  while (i < bytes.length) {
    const number = bytes[i]!;
    if (number === 0 || number === 1) {
      options.push({ kind: number === 0 ? "eol" : "nop", number, optionLength: undefined, data: bytes.subarray(i + 1, i + 1) });
      i += 1;
      continue;
    }
    const optionLength = bytes[i + 1];
    const dataLength = optionLength !== undefined && optionLength >= 2 ? optionLength - 2 : 0;
    const data = clampedSlice(bytes, i + 2, i + 2 + dataLength);
    options.push(decodeOption(number, optionLength, data));
    i += 2 + dataLength;
  }
  return options;
}

function decodeOption(number: number, optionLength: number | undefined, data: Uint8Array): TcpOption {
  const base = { number, optionLength, data };
  switch (number) {
    case 2:
      return { kind: "mss", ...base, mss: data.length >= 2 ? u16(data, 0) : undefined };
    case 3:
      return { kind: "wscale", ...base, shift: data[0] };
    case 4:
      return { kind: "sackOK", ...base };
    case 5: {
      const blocks: SackBlock[] = [];
      for (let j = 0; j + 8 <= data.length; j += 8) blocks.push({ left: u32(data, j), right: u32(data, j + 4) });
      return { kind: "sack", ...base, blocks };
    }
    case 8:
      return {
        kind: "timestamps",
        ...base,
        value: data.length >= 4 ? u32(data, 0) : undefined,
        echoReply: data.length >= 8 ? u32(data, 4) : undefined,
      };
    case 34:
      return { kind: "tfo", ...base };
    default:
      return { kind: "other", ...base };
  }
}

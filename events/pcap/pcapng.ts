// A pcapng writer for what `retis pcap` needs (IETF draft-ietf-opsawg-pcapng): a section header, interface
// description blocks (name, description, nanosecond resolution) and enhanced packet blocks with options.
// Little-endian, as the files Retis writes; every block and option is padded to 32 bits.

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Option codes. */
export const OPT_COMMENT = 1;
export const IF_NAME = 2;
export const IF_DESCRIPTION = 3;
export const IF_TSRESOL = 9;
/** A custom UTF-8 option that may be copied: a Private Enterprise Number, then the text. */
export const OPT_CUSTOM_UTF8_COPIABLE = 2988;
export const LINKTYPE_ETHERNET = 1;

export interface Option {
  code: number;
  value: Uint8Array;
}

const pad4 = (n: number) => (n + 3) & ~3;

export function textOption(code: number, text: string): Option {
  return { code, value: Buffer.from(text, "utf8") };
}

export function customUtf8Option(pen: number, text: string): Option {
  const t = Buffer.from(text, "utf8");
  const v = Buffer.alloc(4 + t.length);
  v.writeUInt32LE(pen, 0);
  t.copy(v, 4);
  return { code: OPT_CUSTOM_UTF8_COPIABLE, value: v };
}

function optionsBytes(options: readonly Option[]): Buffer {
  if (options.length === 0) return Buffer.alloc(0);
  const size = options.reduce((n, o) => n + 4 + pad4(o.value.length), 0) + 4; // + opt_endofopt
  const b = Buffer.alloc(size);
  let at = 0;
  for (const o of options) {
    if (o.value.length > 0xffff) throw new RangeError(`pcapng option ${o.code} is ${o.value.length} bytes; at most 65535 fit`);
    b.writeUInt16LE(o.code, at);
    b.writeUInt16LE(o.value.length, at + 2);
    b.set(o.value, at + 4);
    at += 4 + pad4(o.value.length);
  }
  return b; // the zeroed tail is opt_endofopt
}

/** A block: type, total length, body (padded), total length again. */
function block(type: number, body: Buffer): Buffer {
  const len = 12 + pad4(body.length);
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  body.copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}

/** Section Header Block, version 1.0, section length unknown (-1), no options. */
export function sectionHeader(): Buffer {
  const body = Buffer.alloc(16);
  body.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  body.writeUInt16LE(1, 4);
  body.writeUInt16LE(0, 6);
  body.writeBigInt64LE(-1n, 8);
  return block(SHB, body);
}

export function interfaceDescription(linktype: number, snaplen: number, options: readonly Option[]): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(linktype, 0);
  head.writeUInt32LE(snaplen, 4);
  return block(IDB, Buffer.concat([head, optionsBytes(options)]));
}

/** Enhanced Packet Block; `timestamp` in units of the interface's resolution (ns with if_tsresol 9). */
export function enhancedPacket(interfaceId: number, timestamp: bigint, data: Uint8Array, originalLength: number, options: readonly Option[]): Buffer {
  const head = Buffer.alloc(20);
  head.writeUInt32LE(interfaceId, 0);
  head.writeUInt32LE(Number((timestamp >> 32n) & 0xffffffffn), 4);
  head.writeUInt32LE(Number(timestamp & 0xffffffffn), 8);
  head.writeUInt32LE(data.length, 12);
  head.writeUInt32LE(originalLength, 16);
  const packet = Buffer.alloc(pad4(data.length));
  packet.set(data, 0);
  return block(EPB, Buffer.concat([head, packet, optionsBytes(options)]));
}

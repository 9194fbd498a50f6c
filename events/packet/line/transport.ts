// The transport part of Retis's packet line: TCP, UDP, ICMP, ESP, SCTP.
import type { EspLayer, IcmpLayer, Icmpv6Layer, SctpChunk, SctpLayer, TcpLayer, TcpOption, UdpLayer } from "../../../typings/packet-layers.js";
import { udpTunnel } from "../dispatch.js";
import { tcpOptionName } from "../names.js";
import { paddedChunkLength } from "../sctp.js";
import { hexNumber, Line, Outcome, TRUNCATED } from "./context.js";
import { formatGeneve, formatVxlan } from "./link.js";

const TCP_FLAGS: readonly [number, string][] = [
  [0x01, "F"],
  [0x02, "S"],
  [0x04, "R"],
  [0x08, "P"],
  [0x10, "."],
  [0x20, "U"],
  [0x40, "E"],
  [0x80, "W"],
  [0x100, "e"],
];

/** `length` is what the IP header says is left from the TCP header on: the segment's data is what is past the TCP header. */
export function formatTcp(line: Line, tcp: TcpLayer, length: number): Outcome {
  line.write(` flags [${TCP_FLAGS.filter(([bit]) => (tcp.rawFlags & bit) !== 0).map(([, c]) => c).join("")}]`);
  const dataLength = Math.max(0, length - tcp.dataOffset * 4);
  // u32 arithmetic: the end of the range wraps like the sequence space.
  line.write(dataLength > 0 ? ` seq ${tcp.sequence}:${(tcp.sequence + dataLength) >>> 0}` : ` seq ${tcp.sequence}`);
  if (tcp.flags.ack) line.write(` ack ${tcp.acknowledgment}`);
  line.write(` win ${tcp.window}`);
  if (tcp.dataOffset > 5) line.write(` [${tcp.options.map(tcpOptionText).join(",")}]`);
  return undefined;
}

function tcpOptionText(option: TcpOption): string {
  const name = tcpOptionName(option.number);
  const { data } = option;
  const declared = option.optionLength !== undefined && option.optionLength >= 2 ? option.optionLength - 2 : 0;
  switch (option.kind) {
    case "mss":
      return option.mss === undefined ? name : `${name} ${option.mss}`;
    case "wscale":
      return option.shift === undefined ? name : `${name} ${option.shift}`;
    case "sack":
      if (declared % 8 !== 0) return `${name} invalid`;
      return `${name} ${declared / 8} ${option.blocks.map((b) => `{${b.left}:${b.right}}`).join("")}`;
    case "timestamps":
      return option.echoReply === undefined ? name : `${name} val ${option.value} ecr ${option.echoReply}`;
    case "tfo": {
      if (declared === 0) return `${name} cookiereq`;
      let cookie = "";
      for (let i = 0; i < declared; i++) cookie += i < data.length ? hexNumber(data[i]!) : "??";
      return `${name} cookie ${cookie}`;
    }
    case "other":
      // Echo, echo reply and the connection-count options carry one 32-bit value.
      if ([6, 7, 11, 12, 13].includes(option.number) && data.length >= 4) {
        return `${name} ${new DataView(data.buffer, data.byteOffset, 4).getUint32(0)}`;
      }
      return name;
    default:
      return name;
  }
}

export function formatUdp(line: Line, udp: UdpLayer): Outcome {
  line.write(` len ${Math.max(0, udp.udpLength - 8)}`);
  switch (udpTunnel(udp.destinationPort)) {
    case "vxlan":
      return line.expect("vxlan", (vxlan) => formatVxlan(line, vxlan));
    case "geneve":
      return line.expect("geneve", (geneve) => formatGeneve(line, geneve));
    default:
      return undefined;
  }
}

export function formatIcmp(line: Line, icmp: IcmpLayer | Icmpv6Layer): Outcome {
  line.write(` type ${icmp.type} code ${icmp.code}`);
  return undefined;
}

export function formatEsp(line: Line, esp: EspLayer): Outcome {
  line.write(` spi 0x${esp.spi.toString(16).padStart(8, "0")} seq ${hexNumber(esp.sequence)}`);
  return undefined;
}

/** `length` is what the IP header says is left from the SCTP header on; chunks must account for all of it. */
export function formatSctp(line: Line, sctp: SctpLayer, length: number): Outcome {
  line.write(` vtag ${hexNumber(sctp.verificationTag)}`);
  let left = Math.max(0, length - 12);
  for (const chunk of sctp.chunks) {
    const text = sctpChunkText(chunk);
    if (text === undefined) return TRUNCATED;
    line.write(text);
    left = Math.max(0, left - paddedChunkLength(chunk.chunkLength));
  }
  return left === 0 ? undefined : TRUNCATED;
}

/** Undefined when the chunk's fixed fields were not captured. */
function sctpChunkText(chunk: SctpChunk): string | undefined {
  switch (chunk.chunk) {
    case "INIT":
    case "INIT_ACK":
      if (chunk.initiateTag === undefined) return undefined;
      return ` [${chunk.chunk} init_tag ${hexNumber(chunk.initiateTag)} rwnd ${chunk.advertisedWindow} OS ${chunk.outboundStreams} MIS ${chunk.inboundStreams} init_TSN ${chunk.initialTsn}]`;
    case "DATA": {
      if (chunk.tsn === undefined) return undefined;
      const flags = (chunk.unordered ? "U" : "") + (chunk.beginning ? "B" : "") + (chunk.ending ? "E" : "");
      return ` [DATA${flags === "" ? "" : ` (${flags})`} TSN ${chunk.tsn} SID ${chunk.streamId} SSEQ ${chunk.streamSequence} PPID ${hexNumber(chunk.ppid!)}]`;
    }
    case "SACK":
      if (chunk.cumulativeTsnAck === undefined) return undefined;
      return ` [SACK cum_ack ${chunk.cumulativeTsnAck} a_rwnd ${chunk.advertisedWindow} #gap_acks ${chunk.gapAckBlocks} #dup_tsns ${chunk.duplicateTsns}]`;
    case "other":
      return chunk.name === "UNKNOWN" ? ` [UNKNOWN:${chunk.type}]` : ` [${chunk.name}]`;
  }
}

// The link-layer part of Retis's packet line, and the tunnels that lead back to it.
import type { ArpLayer, EthernetLayer, GeneveLayer, GeneveOption, MacsecLayer, VlanLayer, VxlanLayer } from "../../../typings/packet-layers.js";
import { ethertypeStep, unsupportedEthertype } from "../dispatch.js";
import { EtherType, ethertypeName } from "../names.js";
import { hex4, hexNumber, Line, Outcome, TRUNCATED, unsupported } from "./context.js";
import { formatIpv4, formatIpv6 } from "./network.js";

export function formatEthernet(line: Line, eth: EthernetLayer): Outcome {
  const name = ethertypeName(eth.ethertype);
  // Frames whose EtherType Retis cannot name are probably not Ethernet at all: it prints nothing of them.
  if (name === undefined) return unsupported(unsupportedEthertype(eth.ethertype));
  if (line.linkLayer) line.write(`${eth.source} > ${eth.destination} ethertype ${name} (${hex4(eth.ethertype)})`);
  return walkVlans(line, eth.ethertype);
}

function walkVlans(line: Line, ethertype: number): Outcome {
  if (ethertypeStep(ethertype, true) !== "vlan") return formatEthertype(line, ethertype);
  return line.expect("vlan", (vlan) => {
    if (line.linkLayer) writeVlan(line, vlan);
    return walkVlans(line, vlan.ethertype);
  });
}

function writeVlan(line: Line, vlan: VlanLayer): void {
  line.write(` vlan ${vlan.vid} p ${vlan.pcp}${vlan.dei ? " DEI" : ""}`);
  const name = ethertypeName(vlan.ethertype);
  line.write(name === undefined ? ` ethertype (${hex4(vlan.ethertype)})` : ` ethertype ${name} (${hex4(vlan.ethertype)})`);
}

/** What an EtherType announces, VLAN tags excluded (they were walked before, or are not walked: inside Geneve). */
function formatEthertype(line: Line, ethertype: number): Outcome {
  // With the link layer printed, this is not the start of the line.
  if (line.linkLayer) line.write(" ");
  switch (ethertypeStep(ethertype, false)) {
    case "macsec":
      return line.expect("macsec", (macsec) => formatMacsec(line, macsec));
    case "arp":
      return line.expect("arp", (arp) => formatArp(line, arp));
    case "ipv4":
      return line.expect("ipv4", (ip) => formatIpv4(line, ip));
    case "ipv6":
      return line.expect("ipv6", (ip) => formatIpv6(line, ip));
    default:
      return unsupported(unsupportedEthertype(ethertype));
  }
}

function formatMacsec(line: Line, macsec: MacsecLayer): Outcome {
  if (line.linkLayer) {
    line.write(`an ${macsec.associationNumber} pn ${macsec.packetNumber}`);
    const flags =
      (macsec.encrypted ? "E" : "") +
      (macsec.changed ? "C" : "") +
      (macsec.endStation ? "S" : "") +
      (macsec.singleCopyBroadcast ? "B" : "") +
      (macsec.sciPresent ? "I" : "");
    line.write(` flags [${flags}]`);
    if (macsec.shortLength > 0) line.write(` sl ${macsec.shortLength}`);
    if (macsec.sci !== undefined) line.write(` sci 0x${macsec.sci}`);
  }
  if (macsec.encrypted || macsec.changed) {
    // Nothing more can be read; without the link layer, say at least what it was.
    if (!line.linkLayer) line.write("802.1AE MACsec frame");
    return undefined;
  }
  return macsec.ethertype === undefined ? TRUNCATED : walkVlans(line, macsec.ethertype);
}

function formatArp(line: Line, arp: ArpLayer): Outcome {
  switch (arp.operation) {
    case 1:
      line.write(`request who-has ${arp.targetIp}`);
      if (arp.targetMac !== "00:00:00:00:00:00") line.write(` (${arp.targetMac})`);
      line.write(` tell ${arp.senderIp}`);
      return undefined;
    case 2:
      line.write(`reply ${arp.senderIp} is-at ${arp.senderMac}`);
      return undefined;
    case 3:
      line.write(`reverse request who-is ${arp.targetMac} tell ${arp.senderMac}`);
      return undefined;
    case 4:
      line.write(`reverse reply ${arp.targetMac} at ${arp.targetIp}`);
      return undefined;
    default:
      return unsupported(`ARP operation ${arp.operation}`);
  }
}

export function formatVxlan(line: Line, vxlan: VxlanLayer): Outcome {
  line.write(` vxlan [${vxlan.vniValid ? "I" : ""}] vni ${hexNumber(vxlan.vni)} `);
  return line.expect("ethernet", (inner) => formatEthernet(line, inner));
}

export function formatGeneve(line: Line, geneve: GeneveLayer): Outcome {
  line.write(` geneve [${geneve.control ? "O" : ""}${geneve.critical ? "C" : ""}] vni ${hexNumber(geneve.vni)}`);
  if (line.linkLayer) {
    const name = ethertypeName(geneve.protocol);
    line.write(name === undefined ? ` proto (${hex4(geneve.protocol)})` : ` proto ${name} (${hex4(geneve.protocol)})`);
  }
  if (geneve.optionsLength > 0) line.write(` [${geneve.options.map(geneveOptionText).join(",")}]`);
  line.write(" ");
  if (geneve.protocol !== EtherType.teb) return formatEthertype(line, geneve.protocol);
  return line.expect("ethernet", (inner) => formatEthernet(line, inner));
}

function geneveOptionText(option: GeneveOption): string {
  let text = `class ${hexNumber(option.class)} type ${hexNumber(option.type)}${option.critical ? "(C)" : ""} len ${option.dataLength}`;
  const hint = option.groHint;
  if (hint !== undefined) {
    text += ` (proto ${hint.innerProtoId} ${hint.nestedIsV6 ? "v6" : "v4"} nh ${hint.nestedNhOffset} tp ${hint.nestedTpOffset} hlen ${hint.nestedHdrLen})`;
  }
  return text;
}

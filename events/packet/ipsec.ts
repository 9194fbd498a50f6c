// IPsec headers: ESP (the rest is encrypted) and AH.
import type { AhLayer, EspLayer } from "../../typings/packet-layers.js";
import { clampedSlice, u32 } from "./bytes.js";
import type { Dissection, Next } from "./dissection.js";

const ESP_SIZE = 8;
const AH_SIZE = 12;

export function parseEsp(d: Dissection, at: number, end: number): undefined {
  if (d.available(at, end) < ESP_SIZE) return d.cut("esp", at, ESP_SIZE, end);
  const layer: EspLayer = { layer: "esp", offset: at, length: ESP_SIZE, spi: u32(d.data, at), sequence: u32(d.data, at + 4) };
  d.add(layer, at + ESP_SIZE, end);
  return undefined;
}

/**
 * `extensions` is true in an IPv6 header chain: AH is one of its extension headers there, and a Destination
 * Options header may follow it (RFC 8200 §4.1 orders "Destination Options" after "Authentication"), so the walk
 * goes on. Retis stops after AH; Scapy and the RFC do not.
 */
export function parseAh(d: Dissection, at: number, end: number, declaredEnd: number, extensions: boolean): Next | undefined {
  if (d.available(at, end) < AH_SIZE) return d.cut("ah", at, AH_SIZE, end);
  const data = d.data;
  const payloadLength = data[at + 1]!;
  // The length counts 32-bit words minus 2; what is past the fixed 12 bytes is the ICV.
  const headerEnd = at + AH_SIZE + Math.max(0, payloadLength - 1) * 4;
  const layer: AhLayer = {
    layer: "ah",
    offset: at,
    length: Math.min(headerEnd, end) - at,
    nextHeader: data[at]!,
    payloadLength,
    spi: u32(data, at + 4),
    sequence: u32(data, at + 8),
    icv: clampedSlice(data, at + AH_SIZE, headerEnd),
  };
  d.add(layer, headerEnd, end);
  if (headerEnd > end) d.cut("ah", at, headerEnd - at, end);
  return { parse: "protocol", protocol: layer.nextHeader, extensions, at: headerEnd, end, declaredEnd };
}

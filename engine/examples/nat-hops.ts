// Prints where NAT rewrote packets: for every packet whose addresses or ports changed on its way, the hop
// (probe, device) and the changes (`series.changes()`, what `retis sort --changes` prints under each hop):
//   retis ts -i capture.data engine/examples/nat-hops.ts
import { sortEvents } from "retis";

const NAT = new Set(["ip.saddr", "ip.daddr", "l4.sport", "l4.dport", "icmp.id"]);
for (const series of sortEvents(reader.events())) {
  for (const hop of series.changes()) {
    const nat = hop.changes.filter((c) => NAT.has(c.field));
    if (nat.length === 0) continue;
    const where = `${hop.event.kernel?.symbol ?? "?"}${hop.event.dev ? ` on ${hop.event.dev.name}` : ""}`;
    console.log(`#${series.trackingId()?.toString(16)} at ${where}: ${nat.map((c) => `${c.field} ${c.from} → ${c.to}`).join(", ")}`);
  }
}

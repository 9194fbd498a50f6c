// What changed along a packet's path (`series.changes()`, `retis sort --changes`) on captures the collector
// makes here: a client, a router and a server namespace; a DNAT rule on the router; a VXLAN tunnel between
// router and server. The oracle is what was configured (the rule's addresses and ports, the TTL sent, the
// tunnel's VNI) and what tcpdump recorded on every interface, read back by tshark — never the library.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test, type TestContext } from "node:test";
import type { Change, EventSeries, HopChanges } from "../../events/index.js";
import { canCollect, cli, sh, startCollect } from "./env.js";

const id = `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const tag = `kc${id}`;
/** The three namespaces and their interfaces (names unique per run: the tag holds the pid). */
const NS = { client: `${tag}-client`, router: `${tag}-router`, server: `${tag}-server` };
const IF = { c: `${tag}c`, rc: `${tag}rc`, rs: `${tag}rs`, vxr: `${tag}vxr`, s: `${tag}s`, vxs: `${tag}vxs` };
const NS_OF: Record<string, string> = { [IF.c]: NS.client, [IF.rc]: NS.router, [IF.rs]: NS.router, [IF.vxr]: NS.router, [IF.s]: NS.server, [IF.vxs]: NS.server };
// Addresses inside the namespaces only.
const NET = "10.231";
const CLIENT = `${NET}.1.2`;
const ROUTER_C = `${NET}.1.1`;
const ROUTER_S = `${NET}.2.1`;
const SERVER = `${NET}.2.2`;
const VIP = `${NET}.9.9`;
const TUN_R = `${NET}.3.1`;
const TUN_S = `${NET}.3.2`;
/** The DNAT rule: VIP:7777 → SERVER:8888; the TTL and ports the client sends with; the tunnel's VNI. */
const VIP_PORT = 7777;
const REAL_PORT = 8888;
const SEND_TTL = 42;
const SPORT = 40001;
const PING_TTL = 17;
const VNI = 42;
/** The conntrack mark the router's rule puts on the tunnel's connection. */
const TUNNEL_MARK = 7;

let dir = "";
let ready = false;
/** Why there is no tunnel, when the kernel cannot make one (its test is then skipped, loudly). */
let noTunnel: string | undefined;
const inode = new Map<string, number>();
const ifindex = new Map<string, number>();
let series: EventSeries[] = [];
let sortText = "";

const nsx = (ns: string, cmd: string[], timeoutMs = 20_000) => sh("ip", ["netns", "exec", ns, ...cmd], timeoutMs);

function setUp(): void {
  for (const ns of Object.values(NS)) {
    sh("ip", ["netns", "add", ns]);
    // No IPv6: its router solicitations would travel the tunnel too.
    nsx(ns, ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);
    sh("ip", ["-n", ns, "link", "set", "lo", "up"]);
  }
  sh("ip", ["link", "add", IF.c, "netns", NS.client, "type", "veth", "peer", "name", IF.rc, "netns", NS.router]);
  sh("ip", ["link", "add", IF.rs, "netns", NS.router, "type", "veth", "peer", "name", IF.s, "netns", NS.server]);
  const addr = (ns: string, dev: string, cidr: string) => {
    sh("ip", ["-n", ns, "addr", "add", cidr, "dev", dev]);
    sh("ip", ["-n", ns, "link", "set", dev, "up"]);
  };
  addr(NS.client, IF.c, `${CLIENT}/24`);
  addr(NS.router, IF.rc, `${ROUTER_C}/24`);
  addr(NS.router, IF.rs, `${ROUTER_S}/24`);
  addr(NS.server, IF.s, `${SERVER}/24`);
  sh("ip", ["-n", NS.client, "route", "add", "default", "via", ROUTER_C]);
  sh("ip", ["-n", NS.server, "route", "add", "default", "via", ROUTER_S]);
  nsx(NS.router, ["sysctl", "-qw", "net.ipv4.ip_forward=1"]);
  // The tunnel between router and server, over their veth, when the kernel has VXLAN.
  try {
    sh("ip", ["-n", NS.router, "link", "add", IF.vxr, "type", "vxlan", "id", String(VNI), "local", ROUTER_S, "remote", SERVER, "dstport", "4789"]);
  } catch (e) {
    noTunnel = `no VXLAN in this kernel: ${(e as Error).message}`;
  }
  if (!noTunnel) {
    sh("ip", ["-n", NS.server, "link", "add", IF.vxs, "type", "vxlan", "id", String(VNI), "local", SERVER, "remote", ROUTER_S, "dstport", "4789"]);
    addr(NS.router, IF.vxr, `${TUN_R}/24`);
    addr(NS.server, IF.vxs, `${TUN_S}/24`);
  }
  // The DNAT rule, and a connection mark on the tunnel's own connection (the router's UDP to port 4789).
  const rule = `table ip ${tag} {
 chain pre {
  type nat hook prerouting priority dstnat;
  ip daddr ${VIP} udp dport ${VIP_PORT} dnat to ${SERVER}:${REAL_PORT}
 }
 chain out {
  type filter hook output priority mangle;
  udp dport 4789 ct mark set ${TUNNEL_MARK}
 }
}
`;
  const nft = spawnSync("ip", ["netns", "exec", NS.router, "nft", "-f", "-"], { input: rule, encoding: "utf8", timeout: 20_000 });
  if (nft.status !== 0) throw new Error(`nft: ${nft.stderr}`);
  for (const ns of Object.values(NS)) inode.set(ns, Number(nsx(ns, ["stat", "-L", "-c", "%i", "/proc/self/ns/net"]).trim()));
  for (const [dev, ns] of Object.entries(NS_OF)) if (!noTunnel || ![IF.vxr, IF.vxs].includes(dev)) ifindex.set(dev, Number(JSON.parse(sh("ip", ["-n", ns, "-j", "link", "show", "dev", dev]))[0].ifindex));
}

function tearDown(): void {
  for (const ns of Object.values(NS)) spawnSync("ip", ["netns", "del", ns], { timeout: 10_000 });
}

/** tcpdump on one interface, writing DIR/IF.pcap; resolves once it listens. */
async function tcpdump(dev: string): Promise<ChildProcess> {
  const child = spawn("ip", ["netns", "exec", NS_OF[dev]!, "timeout", "60", "tcpdump", "-i", dev, "-n", "-U", "-s", "256", "-w", join(dir, `${dev}.pcap`)], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`tcpdump on ${dev} not listening: ${err}`)), 15_000);
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      err += d;
      if (err.includes("listening on")) {
        clearTimeout(timer);
        ok();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`tcpdump on ${dev} exited ${code}: ${err}`));
    });
  });
  return child;
}

/** What tshark read on one interface for one packet: its own headers (inside the tunnel) and the tunnel's. */
interface Seen {
  saddr: string;
  daddr: string;
  ttl: number;
  sport?: number;
  dport?: number;
  icmpId?: number;
  len: number;
  tunnel?: { saddr: string; daddr: string; sport: number; dport: number; vni: number };
}

const FIELDS = ["ip.src", "ip.dst", "ip.ttl", "ip.proto", "udp.srcport", "udp.dstport", "icmp.type", "icmp.ident", "frame.len", "vxlan.vni"];

/**
 * The one frame matching `filter` that tcpdump recorded on `dev`. tshark lists a field once per header that has
 * it, outermost first, comma-separated: a tunnel's IP and UDP headers come before the packet's own, and an ICMP
 * error's quoted headers after them.
 */
function seen(dev: string, filter: string): Seen {
  const r = spawnSync("tshark", ["-r", join(dir, `${dev}.pcap`), "-Y", filter, "-T", "fields", "-E", "separator=|", ...FIELDS.flatMap((f) => ["-e", f])], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split("\n").filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `tshark on ${dev} with "${filter}": ${r.stdout}`);
  const [src, dst, ttl, proto, sport, dport, icmpType, icmpId, len, vni] = lines[0]!.split("|").map((f) => (f === "" ? [] : f.split(",")));
  const tunneled = vni!.length > 0;
  const own = tunneled ? 1 : 0;
  const s: Seen = { saddr: src![own]!, daddr: dst![own]!, ttl: Number(ttl![own]), len: Number(len![0]) };
  if (proto![own] === "17") [s.sport, s.dport] = [Number(sport![own]), Number(dport![own])];
  // The echo identifier; an error (type 3) has none of its own.
  if (proto![own] === "1" && ["0", "8"].includes(icmpType![0]!)) s.icmpId = Number(icmpId![0]);
  if (tunneled) s.tunnel = { saddr: src![0]!, daddr: dst![0]!, sport: Number(sport![0]), dport: Number(dport![0]), vni: Number(vni![0]) };
  return s;
}

/** The changes a hop must show (conntrack aside), from what tshark saw on the interface of each hop. */
function expectedChanges(a: Seen, b: Seen, devA: string, devB: string): unknown[] {
  const out: unknown[] = [];
  const key = (t: Seen["tunnel"]) => JSON.stringify(t ?? null);
  if (key(a.tunnel) !== key(b.tunnel)) out.push({ field: "encap", from: tunnelOf(a), to: tunnelOf(b) });
  const cmp = (field: string, x: unknown, y: unknown) => x !== undefined && y !== undefined && x !== y && out.push({ field, from: x, to: y });
  cmp("ip.saddr", a.saddr, b.saddr);
  cmp("ip.daddr", a.daddr, b.daddr);
  cmp("l4.sport", a.sport, b.sport);
  cmp("l4.dport", a.dport, b.dport);
  cmp("icmp.id", a.icmpId, b.icmpId);
  cmp("ip.ttl", a.ttl, b.ttl);
  cmp("len", a.len, b.len);
  if (devA !== devB) out.push({ field: "dev", from: { name: devA, ifindex: ifindex.get(devA) }, to: { name: devB, ifindex: ifindex.get(devB) } });
  const [nsA, nsB] = [inode.get(NS_OF[devA]!)!, inode.get(NS_OF[devB]!)!];
  if (nsA !== nsB) out.push({ field: "netns", from: nsA, to: nsB });
  return out;
}

/** A tunnel as changes() gives it, reduced to what tshark shows: outer addresses, UDP ports, VNI. */
function tunnelOf(s: Seen): string[] {
  const t = s.tunnel;
  return t ? [`ipv4 ${t.saddr}>${t.daddr}`, `udp ${t.sport}>${t.dport}`, `vxlan ${t.vni}`] : [];
}

/** A change as compared with tshark's view: tunnel layers reduced as tunnelOf does. */
function comparable(c: Change): unknown {
  if (c.field !== "encap") return c;
  const reduce = (layers: typeof c.from) =>
    layers.map((l) => (l.layer === "ipv4" ? `ipv4 ${l.source}>${l.destination}` : l.layer === "udp" ? `udp ${l.sourcePort}>${l.destinationPort}` : l.layer === "vxlan" ? `vxlan ${l.vni}` : l.layer));
  return { field: "encap", from: reduce(c.from), to: reduce(c.to) };
}

/** Checks every hop of `s` against tshark's view of the packet (`filter` picks it) on each hop's interface. */
function checkAgainstTshark(s: EventSeries, filter: (dev: string) => string): HopChanges[] {
  const hops = s.changes();
  const views = s.map((e) => seen(e.dev!.name, filter(e.dev!.name)));
  for (const hop of hops) {
    const [a, b] = [hop.previous.dev!.name, hop.event.dev!.name];
    const ours = hop.changes.filter((c) => !c.field.startsWith("ct.")).map(comparable);
    assert.deepEqual(ours, expectedChanges(views[hop.index - 1]!, views[hop.index]!, a, b), `hop ${hop.index} (${a} → ${b}):\n${s.format({ changes: true })}`);
  }
  return hops;
}

const hasCapture = (t: TestContext) => canCollect(t) && ready;

describe("what changed along a packet's path, on captures of the collector", { timeout: 180_000 }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "retis-changes-"));
    if (process.getuid?.() !== 0) return;
    const dumps: ChildProcess[] = [];
    try {
      setUp();
      for (const dev of Object.values(IF)) if (!noTunnel || ![IF.vxr, IF.vxs].includes(dev)) dumps.push(await tcpdump(dev));
      const out = join(dir, "capture.data");
      const c = await startCollect([
        "-o", out, "--timeout", "60",
        "--netns", NS.client, "--netns", NS.router, "--netns", NS.server,
        "-c", "skb,skb-tracking,dev,ns,ct,skb-drop",
        "-p", "tp:net:netif_receive_skb", "-p", "tp:net:net_dev_start_xmit", "-p", "tp:skb:kfree_skb",
        "-f", "udp or icmp",
      ]);
      // One datagram through the DNAT rule, sent with a chosen TTL and source port (the server has no socket
      // there: it answers with an ICMP error, which the rule's conntrack entry rewrites on the way back).
      nsx(NS.client, ["/usr/bin/python3", "-c", `import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ${SEND_TTL})
s.bind(("${CLIENT}", ${SPORT}))
s.sendto(b"through the DNAT rule", ("${VIP}", ${VIP_PORT}))`]);
      // One ping from the router through the tunnel to the server.
      if (!noTunnel) nsx(NS.router, ["ping", "-c", "1", "-t", String(PING_TTL), "-W", "2", TUN_S]);
      await new Promise((ok) => setTimeout(ok, 500));
      const { code, stderr } = await c.stop();
      assert.equal(code, 0, stderr);
      const { EventFile, sortEvents } = await import("../../events/index.js");
      series = [...sortEvents(new EventFile(out).events())];
      const sorted = spawnSync(process.execPath, [cli, "sort", "--changes", out], { encoding: "utf8", timeout: 60_000 });
      assert.equal(sorted.status, 0, sorted.stderr);
      sortText = sorted.stdout;
      ready = true;
    } finally {
      for (const d of dumps) d.kill("SIGINT");
      await Promise.all(dumps.map((d) => (d.exitCode === null ? new Promise((ok) => d.once("exit", ok)) : undefined)));
    }
  });
  after(() => {
    if (process.getuid?.() === 0) tearDown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const find = (pred: (s: EventSeries) => boolean, what: string) => {
    const s = series.find(pred);
    assert.ok(s, `no series for ${what} in:\n${series.map((x) => x.format()).join("\n\n")}`);
    return s;
  };
  const first = (s: EventSeries) => s[0]?.packet?.dissect();

  test("through a DNAT rule on a router: destination and port rewritten, TTL down by one, device and namespace at each hop", (t) => {
    if (!hasCapture(t)) return;
    const s = find((x) => first(x)?.find("udp")?.sourcePort === SPORT && first(x)?.find("ipv4")?.destination === VIP, "the datagram to the VIP");
    assert.deepEqual(s.map((e) => e.dev?.name).slice(0, 4), [IF.c, IF.rc, IF.rs, IF.s]);
    const hops = checkAgainstTshark(s, () => `udp.srcport == ${SPORT} && !icmp`);
    // At the router's way out, the configured rule at work, with the TTL sent minus the one router.
    const nat = hops[1]!;
    assert.equal(nat.event.dev!.name, IF.rs);
    assert.deepEqual(nat.get("ip.daddr"), { field: "ip.daddr", from: VIP, to: SERVER });
    assert.deepEqual(nat.get("l4.dport"), { field: "l4.dport", from: VIP_PORT, to: REAL_PORT });
    assert.deepEqual(nat.get("ip.ttl"), { field: "ip.ttl", from: SEND_TTL, to: SEND_TTL - 1 });
    // Conntrack took the packet there, with the destination NAT set up and done (IPS_DST_NAT, IPS_DST_NAT_DONE)…
    const ct = nat.get("ct.state")!;
    assert.deepEqual([ct.from, ct.to], [undefined, "new"]);
    const status = nat.event.ct!.ct_status;
    assert.equal(status & 0x120n, 0x120n, `status 0x${status.toString(16)}`);
    // …and the entry stays behind when the packet crosses into the server's namespace (the veth scrubs it).
    assert.deepEqual(hops[2]!.get("ct.state"), { field: "ct.state", from: "new", to: undefined });
    // `retis sort --changes` prints the same under the hop.
    assert.ok(sortText.includes(`      changed daddr ${VIP} → ${SERVER}, dport ${VIP_PORT} → ${REAL_PORT}, ttl ${SEND_TTL} → ${SEND_TTL - 1}, if ${ifindex.get(IF.rc)} (${IF.rc}) → ${ifindex.get(IF.rs)} (${IF.rs}), ct_state none → NEW\n`), sortText);
  });

  test("the server's ICMP error on its way back: the reverse rewrite of its source address", (t) => {
    if (!hasCapture(t)) return;
    const s = find((x) => first(x)?.find("icmp")?.type === 3 && first(x)?.find("ipv4")?.source === SERVER, "the ICMP error");
    assert.deepEqual(s.map((e) => e.dev?.name).slice(0, 4), [IF.s, IF.rs, IF.rc, IF.c]);
    const hops = checkAgainstTshark(s, () => "icmp.type == 3");
    assert.deepEqual(hops[1]!.get("ip.saddr"), { field: "ip.saddr", from: SERVER, to: VIP });
  });

  test("through a VXLAN tunnel: headers added at the router, removed at the server, the inner packet unchanged", (t) => {
    if (!hasCapture(t)) return;
    if (noTunnel) {
      // A kernel without the vxlan module is a machine's limit, not a failure of what is tested here.
      console.error(`\n*** SKIPPED: ${noTunnel} ***\n`);
      return t.skip(noTunnel);
    }
    const s = find((x) => first(x)?.find("icmp")?.type === 8 && first(x)?.find("ipv4")?.destination === TUN_S, "the ping through the tunnel");
    assert.deepEqual(s.map((e) => e.dev?.name), [IF.vxr, IF.rs, IF.s, IF.vxs]);
    const hops = checkAgainstTshark(s, () => "icmp.type == 8");
    const added = hops[0]!.get("encap")!;
    assert.deepEqual(added.from, []);
    const vxlan = added.to.find((l) => l.layer === "vxlan");
    assert.equal(vxlan?.layer === "vxlan" && vxlan.vni, VNI);
    assert.deepEqual(hops[2]!.get("encap")!.to, []);
    // Encapsulated, the packet rides the tunnel's own connection, which the router's rule marks.
    assert.deepEqual(hops[0]!.get("ct.mark"), { field: "ct.mark", from: 0, to: TUNNEL_MARK });
    // Inside the tunnel the ping kept its addresses and the TTL it was sent with.
    for (const hop of hops) for (const f of ["ip.saddr", "ip.daddr", "ip.ttl"] as const) assert.equal(hop.get(f), undefined);
    assert.equal(s[0]!.packet!.dissect().find("ipv4")!.ttl, PING_TTL);
    assert.match(sortText, new RegExp(`\\n      changed encap added \\[ipv4 ${ROUTER_S} > ${SERVER} udp \\d+ > 4789 vxlan vni 0x${VNI.toString(16)}\\], len \\d+ → \\d+, if `));
  });
});

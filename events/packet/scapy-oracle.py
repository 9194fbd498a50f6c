#!/usr/bin/python3
# The Scapy side of the differential test of events/packet/ (scapy.test.ts).
#
# Generates random frames of every protocol the TypeScript dissector decodes (seeded, deterministic), some of
# them cut short like a capture, lets Scapy dissect the bytes, and prints one JSON object per line:
#   {"hex": frame, "layers": [records], "truncated": layer | null, "payload": n | null, "summary": text | null}
# A record is a layer as Scapy dissected it, its fields under the dissector's names (typings/packet-layers.ts):
# the mapping of names lives in the `record_*` functions below, one per Scapy class. Numbers are numbers, bytes
# are hex text, absent fields are null.
#
# Rules of the harness (see also the list of deliberate differences in scapy.test.ts):
# - IPv4 options are well formed: Scapy reads an option whose length overruns with that option's own class (and
#   sometimes loses the whole IPv4 header), where Retis and the dissector clamp it. TCP option bytes are random
#   in a tenth of the TCP headers, overrunning lengths included: there Scapy and the dissector agree.
# - Random ports avoid every port Scapy binds a protocol to (ESP over 4500, VXLAN on 4790...), so Scapy and
#   the dissector both stop at the transport header; tunnels are generated on purpose (VXLAN 4789/8472, Geneve
#   6081). Random EtherTypes avoid those Scapy binds and 0x9100 (Retis walks it as a VLAN tag, Scapy does not).
# - Scapy gives up after AH, and after some IPv6 extension headers (their bindings are fewer than the IPv6
#   header's). There, the oracle asks Scapy itself what the protocol number is: it dissects the rest behind a
#   synthetic IPv4 (or IPv6) header carrying that number, and takes Scapy's layers from it. Non-first fragments
#   are never continued: no transport header there.
# - Scapy's MACsec does not read the EtherType of a clear frame: records stop after the SecTAG (`open`: the
#   dissector may go on).
# - A cut frame: the records are the layers Scapy dissected from the cut bytes whose whole header is in them;
#   `truncated` is the layer whose header the cut falls in (from Scapy's dissection of the whole frame), null when
#   the cut falls in a payload. Header sizes come from Scapy's fields (ihl, dataofs, len, optionlen...).
import argparse
import json
import logging
import random
import struct
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.config import conf  # noqa: E402
from scapy.packet import NoPayload, Packet, Padding, Raw  # noqa: E402
from scapy.layers.l2 import ARP, Dot1AD, Dot1Q, Ether  # noqa: E402
from scapy.layers.inet import (  # noqa: E402
    TCPOptions, ICMP, IP, TCP, UDP, IPOption_EOL, IPOption_NOP, IPOption_Router_Alert, IPOption_RR, IPOption_Security,
)
from scapy.layers.inet6 import (  # noqa: E402
    IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, HBHOptUnknown, PadN,
    RouterAlert,
)
from scapy.layers.sctp import (  # noqa: E402
    SCTP, SCTPChunkAbort, SCTPChunkCookieAck, SCTPChunkData, SCTPChunkHeartbeatReq, SCTPChunkInit,
    SCTPChunkInitAck, SCTPChunkSACK, SCTPChunkShutdown,
)
from scapy.layers.vxlan import VXLAN  # noqa: E402
from scapy.layers.ipsec import AH, ESP  # noqa: E402
from scapy.contrib.geneve import GENEVE, GeneveOptions  # noqa: E402
from scapy.contrib.macsec import MACsec  # noqa: E402

for _field in (TCP.sport, TCP.dport, UDP.sport, UDP.dport):
    conf.noenum.add(_field)

BOUND_PORTS = {v for guess in (UDP.payload_guess, TCP.payload_guess) for k, _ in guess for v in k.values()}
BOUND_ETHERTYPES = {v for k, _ in Ether.payload_guess for v in k.values() if isinstance(v, int)} | {0x9100}
SUMMARY_CLASSES = {Ether, IP, IPv6, TCP, UDP, ICMP, ARP, Raw, Padding}
ICMP_TYPES = [0, 8, 0, 8, 3, 11, 5, 12, 4, 9, 10, 15, 16, 42, 200, 255]  # not 13/14/17/18: see scapy.test.ts
ICMPV6_TYPES = [128, 129, 128, 129, 1, 2, 3, 4]  # Scapy leaves other types undecoded (Raw)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def u(self, bits):
        return self.r.getrandbits(bits)

    def chance(self, p):
        return self.r.random() < p

    def mac(self):
        return ":".join("%02x" % self.u(8) for _ in range(6))

    def ip4(self):
        return ".".join(str(self.u(8)) for _ in range(4))

    def ip6(self):
        groups = [self.u(16) if self.chance(0.6) else 0 for _ in range(8)]
        return ":".join("%x" % g for g in groups)

    def port(self):
        while True:
            p = self.u(16)
            if p not in BOUND_PORTS:
                return p

    def data(self, lo, hi):
        return bytes(self.u(8) for _ in range(self.r.randint(lo, hi)))

    # --- frames -----------------------------------------------------------------------------------------
    def frame(self, depth=0):
        eth = Ether(dst=self.mac(), src=self.mac())
        kind = self.r.choices(["ipv4", "ipv6", "arp", "macsec", "other"], [40, 36, 8, 6, 3])[0]
        tags = self.r.choices([0, 1, 2], [70, 20, 10])[0]
        p = eth
        for i in range(tags):
            cls = Dot1AD if (tags == 2 and i == 0) else Dot1Q
            p = p / cls(prio=self.u(3), id=self.u(1), vlan=self.u(12))
        if kind == "ipv4":
            return p / self.ipv4(depth)
        if kind == "ipv6":
            return p / self.ipv6(depth)
        if kind == "arp":
            return p / ARP(hwtype=1, ptype=0x800,
                           hwlen=6, plen=4, op=self.r.choice([1, 2, 3, 4, self.u(16)]), hwsrc=self.mac(),
                           psrc=self.ip4(), hwdst=self.mac(), pdst=self.ip4())
        if kind == "macsec":
            sc = self.u(1)
            encrypted = self.chance(0.5)
            sec = MACsec(Ver=0, ES=self.u(1), SC=sc, SCB=self.u(1), E=int(encrypted), C=int(encrypted or self.chance(0.2)),
                         AN=self.u(2), SL=self.r.choice([0, self.u(6)]), PN=self.u(32))
            if sc:
                sec.SCI = self.data(8, 8)
            return p / sec / Raw(self.data(0, 40))
        while True:
            t = self.r.randint(0x0600, 0xffff)
            if t not in BOUND_ETHERTYPES and t not in (0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x88e5):
                break
        if tags:
            p.lastlayer().type = t
        else:
            p.type = t
        return p / Raw(self.data(0, 30))

    def ipv4_options(self):
        choices = [IPOption_NOP(), IPOption_Router_Alert(alert=self.u(16)), IPOption_RR(pointer=4, routers=[self.ip4() for _ in range(self.r.randint(1, 3))]),
                   IPOption_Security(), IPOption_EOL()]
        # At most 40 bytes: the IHL field counts at most 60 bytes of header (Scapy would wrap it to 0).
        options = []
        for _ in range(self.r.randint(1, 3)):
            o = self.r.choice(choices)
            if sum(len(bytes(x)) for x in options) + len(bytes(o)) <= 40:
                options.append(o)
        return options

    def ipv4(self, depth):
        fragment = self.chance(0.12)
        number, rest = self.transport(depth, v6=False)
        ip = IP(tos=self.u(8), id=self.u(16), flags=self.u(3), frag=self.u(13) if fragment else 0, ttl=self.u(8),
                proto=number, chksum=self.u(16), src=self.ip4(), dst=self.ip4())
        if self.chance(0.2):
            ip.options = self.ipv4_options()
        return ip / rest

    def ipv6(self, depth):
        exts = [self.extension() for _ in range(self.r.choices([0, 1, 2, 3], [55, 25, 12, 8])[0])]
        number, rest = self.transport(depth, v6=True)
        return IPv6(tc=self.u(8), fl=self.u(20), hlim=self.u(8), nh=chain(exts, number), src=self.ip6(), dst=self.ip6()) / stack(exts, rest)

    def hbh_options(self):
        opts = []
        for _ in range(self.r.randint(0, 3)):
            c = self.r.randint(0, 2)
            if c == 0:
                opts.append(PadN(optdata=self.data(0, 6)))
            elif c == 1:
                opts.append(RouterAlert(value=self.u(16)))
            else:
                opts.append(HBHOptUnknown(otype=self.r.choice([0x1e, 0x3e, 0x7e, 0x9f]), optdata=self.data(0, 6)))
        return opts

    def extension(self):
        c = self.r.randint(0, 3)
        if c == 0:
            return IPv6ExtHdrHopByHop(options=self.hbh_options())
        if c == 1:
            return IPv6ExtHdrDestOpt(options=self.hbh_options())
        if c == 2:
            return IPv6ExtHdrRouting(type=self.r.choice([0, 0, 2, 3]), segleft=self.u(8), addresses=[self.ip6() for _ in range(self.r.randint(0, 2))])
        return IPv6ExtHdrFragment(offset=self.u(13) if self.chance(0.3) else 0, m=self.u(1), res1=self.u(8), res2=self.u(2), id=self.u(32))

    def tcp_options(self):
        choices = [lambda: ("MSS", self.u(16)), lambda: ("WScale", self.u(8)), lambda: ("SAckOK", b""),
                   lambda: ("SAck", tuple(self.u(32) for _ in range(2 * self.r.randint(1, 3)))),
                   lambda: ("Timestamp", (self.u(32), self.u(32))), lambda: ("NOP", None),
                   lambda: (self.r.choice([19, 28, 30, 34, 99, 254]), self.data(0, 6))]
        opts = [self.r.choice(choices)() for _ in range(self.r.randint(1, 4))]
        if self.chance(0.2):
            opts.append(("EOL", None))
        return opts

    def transport(self, depth, v6):
        """(IP protocol number, layers) of what an IP header carries."""
        kinds = ["tcp", "udp", "icmp", "sctp", "ah", "esp", "tunnel", "other", "none"]
        kind = self.r.choices(kinds, [28, 18, 16, 10, 7, 5, 8 if depth == 0 else 0, 4, 4])[0]
        if kind == "tcp":
            t = TCP(sport=self.port(), dport=self.port(), seq=self.u(32), ack=self.u(32), reserved=0, flags=self.u(9),
                    window=self.u(16), chksum=self.u(16), urgptr=self.u(16))
            if self.chance(0.1):
                # Option bytes at random, lengths that overrun included: the data offset counts them.
                words = self.r.randint(1, 10)
                t.dataofs = 5 + words
                return 6, t / Raw(self.data(4 * words, 4 * words) + self.data(0, 40))
            if self.chance(0.5):
                t.options = self.tcp_options()
            return 6, t / Raw(self.data(0, 40))
        if kind == "udp":
            return 17, UDP(sport=self.port(), dport=self.port(), chksum=self.u(16)) / Raw(self.data(0, 40))
        if kind == "tunnel":
            sport = self.port()
            if self.chance(0.5):
                flags = (self.u(8) & ~0x8c) | (0x08 if self.chance(0.8) else 0)
                return 17, UDP(sport=sport, dport=self.r.choice([4789, 8472]), chksum=self.u(16)) / VXLAN(flags=flags, vni=self.u(24)) / self.frame(depth + 1)
            opts = [GeneveOptions(classid=self.r.choice([0x0100, self.u(16)]), type=self.r.choice([1, self.u(8)]), data=self.data(0, 3) * 4) for _ in range(self.r.randint(0, 2))]
            g = GENEVE(oam=self.u(1), critical=self.u(1), vni=self.u(24), options=opts)
            inner = self.r.choices(["eth", "ip", "ip6"], [60, 25, 15])[0]
            udp = UDP(sport=sport, dport=6081, chksum=self.u(16))
            if inner == "eth":
                g.proto = 0x6558
                return 17, udp / g / self.frame(depth + 1)
            g.proto = 0x0800 if inner == "ip" else 0x86dd
            return 17, udp / g / (self.ipv4(depth + 1) if inner == "ip" else self.ipv6(depth + 1))
        if kind == "icmp":
            # Raw bytes: Scapy's ICMP classes would fill the type-specific word their own way.
            types = ICMPV6_TYPES if v6 else ICMP_TYPES
            body = bytes([self.r.choice(types), self.u(8)]) + self.data(6, 6) + self.data(0, 30)
            return (58 if v6 else 1), Raw(body)
        if kind == "sctp":
            s = SCTP(sport=self.port(), dport=self.port(), tag=self.u(32), chksum=self.u(32))
            for _ in range(self.r.randint(0, 3)):
                c = self.r.randint(0, 7)
                if c == 0:
                    s = s / SCTPChunkData(reserved=self.u(4), delay_sack=self.u(1), unordered=self.u(1), beginning=self.u(1), ending=self.u(1),
                                          tsn=self.u(32), stream_id=self.u(16), stream_seq=self.u(16), proto_id=self.u(32), data=self.data(0, 9))
                elif c in (1, 2):
                    cls = SCTPChunkInit if c == 1 else SCTPChunkInitAck
                    s = s / cls(flags=self.u(8), init_tag=self.u(32), a_rwnd=self.u(32), n_out_streams=self.u(16), n_in_streams=self.u(16), init_tsn=self.u(32))
                elif c == 3:
                    s = s / SCTPChunkSACK(flags=self.u(8), cumul_tsn_ack=self.u(32), a_rwnd=self.u(32))
                elif c == 4:
                    s = s / SCTPChunkCookieAck(flags=self.u(8))
                elif c == 5:
                    s = s / SCTPChunkShutdown(flags=self.u(8), cumul_tsn_ack=self.u(32))
                elif c == 6:
                    s = s / SCTPChunkAbort(reserved=self.u(7), TCB=self.u(1))
                else:
                    s = s / SCTPChunkHeartbeatReq(flags=self.u(8))
            return 132, s
        if kind == "ah":
            icv = self.data(0, 4) * 4
            ah = AH(payloadlen=(12 + len(icv)) // 4 - 2, spi=self.u(32), seq=self.u(32), icv=icv)
            exts = [IPv6ExtHdrDestOpt(options=self.hbh_options())] if v6 and self.chance(0.6) else []
            number, rest = self.transport(depth, v6)
            # RFC 8200 §4.1: Destination Options may follow AH. Scapy's AH binds nothing after it: bytes.
            ah.nh = chain(exts, number)
            return 51, ah / Raw(bytes(stack(exts, rest)))
        if kind == "esp":
            return 50, ESP(spi=self.u(32), seq=self.u(32), data=self.data(0, 40))
        if kind == "other":
            return self.r.choice([47, 103, 112, 137, 200]), Raw(self.data(0, 20))
        return 59, Raw(b"")


EXTENSION_NUMBERS = ((IPv6ExtHdrHopByHop, 0), (IPv6ExtHdrDestOpt, 60), (IPv6ExtHdrRouting, 43), (IPv6ExtHdrFragment, 44))


def number_of(ext):
    return next(n for cls, n in EXTENSION_NUMBERS if isinstance(ext, cls))


def chain(exts, number):
    """Links extension headers by their next header fields; the protocol number of the first one (or `number`)."""
    for i, ext in enumerate(exts):
        ext.nh = number_of(exts[i + 1]) if i + 1 < len(exts) else number
    return number_of(exts[0]) if exts else number


def stack(exts, rest):
    p = None
    for ext in exts:
        p = ext if p is None else p / ext
    return rest if p is None else p / rest


# --- Scapy's dissection as records --------------------------------------------------------------------------

def h(b):
    return bytes(b).hex()


class Rec:
    def __init__(self, fields, size, need=None):
        self.fields = fields
        self.size = size  # bytes of header, options and chunks included: the payload starts after them
        self.need = size if need is None else need  # bytes a capture must hold for the header to be complete
        self.start = 0


def rec_ether(l, ctx):
    return Rec({"layer": "ethernet", "destination": l.dst, "source": l.src, "ethertype": l.type}, 14)


def rec_vlan(l, ctx):
    return Rec({"layer": "vlan", "tpid": ctx["ethertype"], "pcp": l.prio, "dei": bool(l.id), "vid": l.vlan, "ethertype": l.type}, 4)


def rec_macsec(l, ctx):
    sci = None
    if l.SC and l.SCI is not None:
        sci = h(bytes(l.SCI))
    size = 6 + (8 if l.SC else 0)
    # A clear frame's EtherType, which Scapy leaves in its payload, is part of the dissector's SecTAG layer.
    need = size + (2 if not l.E and not l.C else 0)
    return Rec({"layer": "macsec", "version": bool(l.Ver), "endStation": bool(l.ES), "sciPresent": bool(l.SC),
                "singleCopyBroadcast": bool(l.SCB), "encrypted": bool(l.E), "changed": bool(l.C),
                "associationNumber": l.AN, "shortLength": l.SL, "packetNumber": l.PN, "sci": sci}, size, need)


def rec_arp(l, ctx):
    return Rec({"layer": "arp", "hardwareType": l.hwtype, "protocolType": l.ptype, "hardwareLength": l.hwlen,
                "protocolLength": l.plen, "operation": l.op, "senderMac": l.hwsrc, "senderIp": l.psrc,
                "targetMac": l.hwdst, "targetIp": l.pdst}, 28)


def ipv4_option(o):
    raw = bytes(o)
    single = o.option in (0, 1)
    return {"copied": bool(o.copy_flag), "class": o.optclass, "number": o.option,
            "optionLength": None if single else o.length, "data": h(raw[1:] if single else raw[2:])}


def rec_ipv4(l, ctx):
    return Rec({"layer": "ipv4", "version": l.version, "ihl": l.ihl, "dscp": l.tos >> 2, "ecn": l.tos & 3,
                "totalLength": l.len, "identification": l.id, "reservedFlag": bool(int(l.flags) & 4),
                "dontFragment": bool(int(l.flags) & 2), "moreFragments": bool(int(l.flags) & 1),
                "fragmentOffset": l.frag * 8, "ttl": l.ttl, "protocol": l.proto, "checksum": l.chksum,
                "source": l.src, "destination": l.dst, "options": [ipv4_option(o) for o in l.options]}, l.ihl * 4)


def rec_ipv6(l, ctx):
    return Rec({"layer": "ipv6", "version": l.version, "trafficClass": l.tc, "dscp": l.tc >> 2, "ecn": l.tc & 3,
                "flowLabel": l.fl, "payloadLength": l.plen, "nextHeader": l.nh, "hopLimit": l.hlim,
                "source": l.src, "destination": l.dst}, 40)


def ipv6_option(o):
    raw = bytes(o)
    if not hasattr(o, "otype"):
        return {"undecoded": h(raw)}  # Scapy could not read this option: a disagreement to look at
    return {"type": o.otype, "data": h(raw[1:1] if o.otype == 0 else raw[2:])}


def rec_options_ext(l, ctx, name, protocol):
    size = (l.len + 1) * 8
    return Rec({"layer": name, "protocol": protocol, "nextHeader": l.nh, "headerLength": size,
                "options": [ipv6_option(o) for o in l.options]}, size)


def rec_routing(l, ctx):
    size = (l.len + 1) * 8
    return Rec({"layer": "ipv6-routing", "protocol": 43, "nextHeader": l.nh, "headerLength": size, "routingType": l.type,
                "segmentsLeft": l.segleft, "data": h(bytes(l)[4:size])}, size)


def rec_fragment(l, ctx):
    return Rec({"layer": "ipv6-fragment", "protocol": 44, "nextHeader": l.nh, "headerLength": 8,
                "fragmentOffset": l.offset * 8, "moreFragments": bool(l.m), "identification": l.id}, 8)


TCP_OPTION_NUMBERS = {"EOL": 0, "NOP": 1, "MSS": 2, "WScale": 3, "SAckOK": 4, "SAck": 5, "Timestamp": 8}


def tcp_option(o):
    name, value = o
    if isinstance(name, int):
        return {"number": name, "data": h(value)}
    number = TCPOptions[1][name]
    out = {"number": number}
    if name not in TCP_OPTION_NUMBERS or (isinstance(value, bytes) and name not in ("EOL", "NOP", "SAckOK")):
        # Options Scapy could not split (a length that does not fit the format) or does not split at all.
        fmt = TCPOptions[0][number][1]
        if isinstance(value, bytes):
            raw = value
        elif value is None:
            raw = b""
        elif isinstance(value, Packet):
            raw = bytes(value)  # TCP-AO: Scapy decodes it as a small packet of its own
        else:
            raw = struct.pack(fmt, *(value if isinstance(value, tuple) else (value,)))
        out["data"] = h(raw)
        return out
    if name == "MSS":
        out["mss"] = value
    elif name == "WScale":
        out["shift"] = value
    elif name == "SAck":
        value = value if isinstance(value, tuple) else (value,)  # Scapy unwraps a single 32-bit word
        out["blocks"] = [{"left": value[i], "right": value[i + 1]} for i in range(0, len(value) - 1, 2)]
    elif name == "Timestamp":
        out["value"], out["echoReply"] = value
    return out


def rec_tcp(l, ctx):
    return Rec({"layer": "tcp", "sourcePort": l.sport, "destinationPort": l.dport, "sequence": l.seq,
                "acknowledgment": l.ack, "dataOffset": l.dataofs, "rawFlags": int(l.flags), "window": l.window,
                "checksum": l.chksum, "urgentPointer": l.urgptr, "options": [tcp_option(o) for o in l.options]},
               max(20, l.dataofs * 4))


def rec_udp(l, ctx):
    return Rec({"layer": "udp", "sourcePort": l.sport, "destinationPort": l.dport, "udpLength": l.len, "checksum": l.chksum}, 8)


def rec_icmp(l, ctx, name, echo_types, checksum_field, whole):
    # The second word is type-specific; Scapy decodes it as id and seq for echo messages.
    echo = l.type in echo_types and whole
    return Rec({"layer": name, "type": l.type, "code": l.code, "checksum": getattr(l, checksum_field),
                "identifier": l.id if echo else None, "sequence": l.seq if echo else None}, 8 if whole else 4, 4)


SCTP_CHUNKS = {
    SCTPChunkData: lambda c: {"unordered": bool(c.unordered), "beginning": bool(c.beginning), "ending": bool(c.ending),
                              "tsn": c.tsn, "streamId": c.stream_id, "streamSequence": c.stream_seq, "ppid": c.proto_id},
    SCTPChunkInit: lambda c: {"initiateTag": c.init_tag, "advertisedWindow": c.a_rwnd, "outboundStreams": c.n_out_streams,
                              "inboundStreams": c.n_in_streams, "initialTsn": c.init_tsn},
    SCTPChunkSACK: lambda c: {"cumulativeTsnAck": c.cumul_tsn_ack, "advertisedWindow": c.a_rwnd, "gapAckBlocks": c.n_gap_ack,
                              "duplicateTsns": c.n_dup_tsn},
}
SCTP_CHUNKS[SCTPChunkInitAck] = SCTP_CHUNKS[SCTPChunkInit]


def sctp_chunk(c):
    if isinstance(c, SCTPChunkData):
        flags = c.reserved << 4 | c.delay_sack << 3 | c.unordered << 2 | c.beginning << 1 | c.ending
    elif isinstance(c, SCTPChunkAbort):
        flags = c.reserved << 1 | c.TCB
    else:
        flags = int(c.flags)
    out = {"type": c.type, "flags": flags, "chunkLength": c.len}
    extra = SCTP_CHUNKS.get(type(c))
    if extra:
        out.update(extra(c))
    return out


def rec_vxlan(l, ctx):
    return Rec({"layer": "vxlan", "flags": int(l.flags), "vniValid": bool(int(l.flags) & 0x08), "vni": l.vni}, 8)


def geneve_options(l):
    # Scapy's GeneveOptions does not split the option list: the first option carries the others as its Raw
    # payload. Each rest is dissected again with GeneveOptions.
    out = []
    for o in l.options:
        while o is not None:
            out.append({"class": o.classid, "type": o.type, "critical": bool(o.type & 0x80), "dataLength": o.length * 4, "data": h(o.data)})
            rest = o.payload
            o = GeneveOptions(bytes(rest.load)) if isinstance(rest, Raw) and rest.load else None
    return out


def rec_geneve(l, ctx):
    opts = geneve_options(l)
    return Rec({"layer": "geneve", "version": l.version, "optionsLength": l.optionlen * 4, "control": bool(l.oam),
                "critical": bool(l.critical), "protocol": l.proto, "vni": l.vni, "options": opts}, 8 + l.optionlen * 4)


def rec_esp(l, ctx):
    return Rec({"layer": "esp", "spi": l.spi, "sequence": l.seq}, 8)


def rec_ah(l, ctx):
    return Rec({"layer": "ah", "nextHeader": l.nh, "payloadLength": l.payloadlen, "spi": l.spi, "sequence": l.seq,
                "icv": h(l.icv or b"")}, (l.payloadlen + 2) * 4)


IPV6_CHAIN = (IPv6, IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting, IPv6ExtHdrFragment, AH)


def continue_with(number, data, v6):
    """Scapy's own layers for protocol `number` carried in `data`, behind a synthetic IP header."""
    if v6:
        return IPv6(bytes(IPv6(nh=number, plen=len(data))) + data).payload
    return IP(bytes(IP(proto=number, len=20 + len(data))) + data).payload


def walk(pkt):
    """Records of the layers Scapy dissected, in order; `open` when Scapy stops where the dissector goes on."""
    recs = []
    layer = pkt
    ctx = {"ethertype": None, "v6": False}
    offset = 0
    opened = False
    while not isinstance(layer, NoPayload):
        try:
            r, nxt = record(layer, ctx)
        except Exception:
            break  # Scapy could not read this cut header's fields
        if r is None:
            break
        r.start = offset
        r.fields["offset"] = offset
        offset += r.size
        recs.append(r)
        if "ethertype" in r.fields:
            ctx["ethertype"] = r.fields["ethertype"]
        if r.fields["layer"] == "macsec" and not layer.E and not layer.C:
            opened = True
        t = type(layer)
        # Where Scapy gives up inside an IP header chain, ask Scapy what the protocol number carries.
        if isinstance(nxt, Raw) and t in IPV6_CHAIN and (t is not IPv6ExtHdrFragment or layer.offset == 0):
            number = layer.nh
            if number != 59 and (ctx["v6"] or t is AH):
                nxt = continue_with(number, bytes(nxt.load), ctx["v6"])
        layer = nxt
    return recs, opened


def captured(layer):
    """Bytes Scapy had for this layer and what follows it (its `original`, not a rebuild)."""
    return len(layer.original or b"")


def record(layer, ctx):
    """The record of one Scapy layer (None when the dissector has no such layer) and the layer after it."""
    t = type(layer)
    r = None
    nxt = layer.payload
    if t is Ether:
        r = rec_ether(layer, ctx)
    elif t in (Dot1Q, Dot1AD):
        r = rec_vlan(layer, ctx)
    elif t is MACsec:
        r = rec_macsec(layer, ctx)
        nxt = NoPayload()
    elif t is ARP:
        r = rec_arp(layer, ctx)
    elif t is IP:
        ctx["v6"] = False
        r = rec_ipv4(layer, ctx)
        if layer.frag > 0:
            nxt = NoPayload()
    elif t is IPv6:
        ctx["v6"] = True
        r = rec_ipv6(layer, ctx)
    elif t is IPv6ExtHdrHopByHop:
        r = rec_options_ext(layer, ctx, "ipv6-hop-by-hop", 0)
    elif t is IPv6ExtHdrDestOpt:
        r = rec_options_ext(layer, ctx, "ipv6-destination-options", 60)
    elif t is IPv6ExtHdrRouting:
        r = rec_routing(layer, ctx)
    elif t is IPv6ExtHdrFragment:
        r = rec_fragment(layer, ctx)
        if layer.offset > 0:
            nxt = NoPayload()
    elif t is TCP:
        r = rec_tcp(layer, ctx)
    elif t is UDP:
        r = rec_udp(layer, ctx)
    elif t is ICMP:
        r = rec_icmp(layer, ctx, "icmp", (0, 8), "chksum", captured(layer) >= 8)
    elif t.__module__ == "scapy.layers.inet6" and t.__name__.startswith("ICMPv6") and hasattr(layer, "cksum"):
        r = rec_icmp(layer, ctx, "icmpv6", (128, 129), "cksum", captured(layer) >= 8)
        nxt = NoPayload()
    elif t is SCTP:
        chunks = []
        size = 12
        c = layer.payload
        while not isinstance(c, (NoPayload, Raw, Padding)):
            chunks.append(sctp_chunk(c))
            size += (c.len + 3) & ~3
            c = c.payload
        r = Rec({"layer": "sctp", "sourcePort": layer.sport, "destinationPort": layer.dport, "verificationTag": layer.tag,
                 "checksum": layer.chksum, "chunks": chunks}, size)
        nxt = c
    elif t is VXLAN:
        r = rec_vxlan(layer, ctx)
    elif t is GENEVE:
        r = rec_geneve(layer, ctx)
    elif t is ESP:
        r = rec_esp(layer, ctx)
    elif t is AH:
        r = rec_ah(layer, ctx)
    return r, nxt


def payload_length(pkt, recs):
    """Bytes after the last record's header within the IP lengths (Scapy's Raw, not its Padding)."""
    total = len(bytes(pkt))
    pad = pkt.getlayer(Padding)
    padding = len(pad.load) if pad is not None else 0
    if not recs:
        return None
    last = recs[-1]
    return max(0, total - padding - (last.start + last.size))


def case(frame, cut):
    data = bytes(frame)
    whole = Ether(data)
    whole_recs, opened = walk(whole)
    if cut is None:
        # Summaries are compared where Scapy's words are summary()'s: no IPerror, GRE, DNS... decoded further.
        summary = None
        # EtherType names come from the system's /etc/ethertypes in Scapy; summary() writes unknown ones in hex.
        named_ethertype = type(whole.payload) in (Raw, NoPayload) and not whole.sprintf("%Ether.type%").startswith("0x")
        if all(cls in SUMMARY_CLASSES for cls in whole.layers()) and not named_ethertype:
            summary = whole.summary()
        # A frame can end inside a header though nothing was cut (a clear MACsec frame without its EtherType).
        ends = [i for i, r in enumerate(whole_recs) if r.start + r.need > len(data)]
        if ends:
            return {"hex": data.hex(), "layers": [r.fields for r in whole_recs[:ends[0]]], "open": opened,
                    "truncated": whole_recs[ends[0]].fields["layer"], "payload": None, "summary": None}
        return {"hex": data.hex(), "layers": [r.fields for r in whole_recs], "open": opened, "truncated": None,
                "payload": None if opened else payload_length(whole, whole_recs), "summary": summary}
    # Scapy 2.5 raises IndexError on an IPv6 routing header cut to 1 or 2 bytes (inet6.py reads its third byte
    # to tell segment routing) and loses the whole IPv6 layer: such cuts are moved past that byte.
    for r in whole_recs:
        if r.fields["layer"] == "ipv6-routing" and r.start < cut < r.start + 3:
            cut = min(len(data), r.start + 3)
    part = data[:cut]
    try:
        recs, _ = walk(Ether(part))
    except Exception:
        recs = []
    complete = []
    for i, r in enumerate(recs):
        if i >= len(whole_recs) or whole_recs[i].fields["layer"] != r.fields["layer"]:
            break
        if whole_recs[i].start + whole_recs[i].need > cut:
            break
        complete.append(r)
    truncated = None
    for r in whole_recs:
        if r.start + r.need > cut:
            truncated = r.fields["layer"]
            break
    if truncated is None and opened and len(complete) == len(whole_recs):
        truncated = "?"  # past Scapy's MACsec: the dissector may find a cut header there
    return {"hex": part.hex(), "layers": [r.fields for r in complete], "open": opened,
            "truncated": truncated, "payload": None, "summary": None}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--cut", type=float, default=0.4, help="share of frames also emitted cut short")
    args = ap.parse_args()
    gen = Gen(args.seed)
    out = sys.stdout
    for _ in range(args.count):
        frame = gen.frame()
        out.write(json.dumps(case(frame, None)) + "\n")
        if gen.chance(args.cut):
            n = len(bytes(frame))
            out.write(json.dumps(case(frame, gen.r.randrange(0, n))) + "\n")


if __name__ == "__main__":
    main()

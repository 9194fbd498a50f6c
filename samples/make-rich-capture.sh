#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Makes samples/rich.data, the capture behind the notebooks: the collector records two namespaces joined by
# a veth pair (10.213.77.0/24, inside them only) while, a few hundred milliseconds apart:
#   1. the client pings the server twice;
#   2. the client opens a TCP connection to a virtual address (10.213.77.100:80) that the server's
#      namespace DNATs to 10.213.77.2:8080 (conntrack records the NAT); the client's firewall drops the
#      first copies of the reply (NETFILTER_DROP), so the server retransmits;
#   3. a TCP SYN and a UDP datagram to closed ports (NO_SOCKET);
#   4. a UDP datagram to a port the server's firewall drops (NETFILTER_DROP);
#   5. a burst of UDP datagrams to a socket that never reads and has the smallest receive buffer
#      (SOCKET_RCVBUFF: a full queue).
# Run as root from anywhere after the build (`npm run build && make -C collector`). Uses only options that
# Retis's `retis collect` has too: -o, -p, -f.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-samples/rich.data}
tag=ilab-$$
A=$tag-client; B=$tag-server
NET=10.213.77; CLIENT=$NET.1; SERVER=$NET.2; VIP=$NET.100
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns del "$A" 2>/dev/null || true
	ip netns del "$B" 2>/dev/null || true
}
trap cleanup EXIT
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

ip netns add "$A"; ip netns add "$B"
ip link add eth0 netns "$A" type veth peer name eth0 netns "$B"
ip -n "$A" addr add $CLIENT/24 dev eth0; ip -n "$B" addr add $SERVER/24 dev eth0
for ns in "$A" "$B"; do ip -n "$ns" link set lo up; ip -n "$ns" link set eth0 up; done
# the virtual address is behind the server's namespace, which rewrites it (DNAT)
ip -n "$A" route add $VIP/32 via $SERVER
nsx "$B" nft -f - <<NFT
table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		ip daddr $VIP tcp dport 80 dnat to $SERVER:8080
	}
}
table inet filter {
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport 7777 drop
	}
}
NFT
# the client's firewall loses the reply's data until the connection's 7th reply packet: the server
# retransmits, first on SACKs (fast retransmit), then on its timer
nsx "$A" sysctl -qw net.netfilter.nf_conntrack_acct=1
nsx "$A" nft -f - <<NFT
table inet lossy {
	chain input {
		type filter hook input priority filter; policy accept;
		tcp sport 80 meta length > 100 ct reply packets < 7 drop
	}
}
NFT

# servers: TCP answers one request with 3000 bytes; UDP 5555 never reads, with the smallest receive buffer
ip netns exec "$B" timeout 30 node -e '
  require("net").createServer((s) => s.once("data", () => s.end("x".repeat(2999) + "\n"))).listen(8080, process.argv[1]);
' "$SERVER" &
pids+=($!)
ip netns exec "$B" timeout 30 /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
s.bind((sys.argv[1], 5555))
time.sleep(30)
' "$SERVER" &
pids+=($!)
until nsx "$B" ss -Htln "sport = :8080" | grep -q 8080 && nsx "$B" ss -Huln "sport = :5555" | grep -q 5555; do sleep 0.1; done

mkdir -p "$(dirname "$out")"
rm -f "$out"
err=$(mktemp)
node dist/cli/main.js collect -o "$out" -f "net $NET.0/24" \
	-p tp:net:net_dev_queue -p tp:net:net_dev_start_xmit -p tp:net:netif_receive_skb -p tp:skb:consume_skb 2>"$err" &
collector=$!
pids+=($collector)
for _ in $(seq 100); do grep -qi "collecting events" "$err" && break; sleep 0.1; done
sleep 0.3

step() { sleep 0.3; }
nsx "$A" ping -c 2 -i 0.2 -q $SERVER >/dev/null; step
nsx "$A" bash -c "exec 3<>/dev/tcp/$VIP/80; echo 'GET /' >&3; cat <&3 >/dev/null"; step
nsx "$A" bash -c "exec 3<>/dev/tcp/$SERVER/9" 2>/dev/null || true; step
nsx "$A" bash -c "echo closed > /dev/udp/$SERVER/9999"; step
nsx "$A" bash -c "echo filtered > /dev/udp/$SERVER/7777"; step
nsx "$A" bash -c "for i in \$(seq 12); do printf '%01000d' \$i > /dev/udp/$SERVER/5555; done"; step

kill -INT "$collector"; wait "$collector"
cat "$err"; rm -f "$err"
ls -l "$out"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Makes samples/retis.data: a small capture by the collector between two namespaces joined by veth
# (10.200.0.0/24 inside them only): pings, one TCP connection, a UDP datagram to a closed port (NO_SOCKET)
# and one dropped by an nft rule (NETFILTER_DROP), with stack traces on drops. Run as root from the
# repository root after `npx tsc -p . && make -C collector`.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-samples/retis.data}
A=sample-a-$$; B=sample-b-$$
cleanup() { ip netns del "$A" 2>/dev/null || true; ip netns del "$B" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$A"; ip netns add "$B"
ip link add veth-a netns "$A" type veth peer name veth-b netns "$B"
ip -n "$A" addr add 10.200.0.1/24 dev veth-a; ip -n "$B" addr add 10.200.0.2/24 dev veth-b
for ns in "$A" "$B"; do ip -n "$ns" link set lo up; done
ip -n "$A" link set veth-a up; ip -n "$B" link set veth-b up
ip netns exec "$B" nft 'add table inet demo ; add chain inet demo input { type filter hook input priority 0 ; policy accept ; } ; add rule inet demo input ct state new udp dport 7777 drop'
# a TCP server answering one line, for one connection
ip netns exec "$B" timeout 20 node -e 'require("net").createServer((s) => { s.end("hello from retis\n"); }).listen(8080, "10.200.0.2")' &
server=$!
sleep 0.5

mkdir -p "$(dirname "$out")"
err=$(mktemp)
node dist/cli/main.js collect -o "$out" --netns "$A" --netns "$B" -p tp:net:netif_receive_skb \
	-p tp:net:net_dev_start_xmit -p tp:skb:kfree_skb/stack 2>"$err" &
collector=$!
until grep -q "collecting events" "$err"; do sleep 0.1; done
ip netns exec "$A" ping -c 2 -i 0.2 -q 10.200.0.2 >/dev/null
ip netns exec "$A" bash -c 'exec 3<>/dev/tcp/10.200.0.2/8080; cat <&3 >/dev/null'
ip netns exec "$A" bash -c 'echo closed > /dev/udp/10.200.0.2/9999; echo filtered > /dev/udp/10.200.0.2/7777'
sleep 0.5
kill -INT "$collector"; wait "$collector"
cat "$err"; rm -f "$err"
kill "$server" 2>/dev/null || true
ls -l "$out"

// SPDX-License-Identifier: GPL-2.0
/*
 * The skb tracepoint hook: one program per probe slot, each reading the skb from the tracepoint argument
 * the loader found in BTF, and emitting one event made of the sections the enabled collectors ask for.
 * Slots come in two families, tp_btf and raw_tp; the loader autoloads one family only (raw_tp is the
 * fallback for kernels refusing BTF-typed tracepoints).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "events.h"
#include "sections.h"
#include "filter.h"

char LICENSE[] SEC("license") = "GPL";

/* Settings, written by the loader before load; the verifier prunes what they disable. */
const volatile __u32 collectors = 0;
const volatile __u32 skb_sections = 0;
const volatile bool filter_netns = false;
const volatile bool filter_ifindex = false;
const volatile bool filter_packet = false;	/* run the cBPF in filter_prog on packets not matched yet */
const volatile __u8 slot_arg[PROBE_SLOTS] = {};	/* skb argument index */
const volatile __u8 slot_stack[PROBE_SLOTS] = {};	/* capture a kernel stack */
const volatile __u8 slot_drop[PROBE_SLOTS] = {};	/* argument 2 is an skb_drop_reason */
const volatile __u8 slot_free[PROBE_SLOTS] = {};	/* the skb is freed here: forget it */
const volatile __u8 slot_rx[PROBE_SLOTS] = {};	/* a receive point, before skb_iif is set */
const volatile __u8 slot_rx_core[PROBE_SLOTS] = {};	/* net:netif_receive_skb: skb_iif is set right after */
/* pending bytes past which a submit wakes the consumer; below it the consumer polls */
const volatile __u64 wakeup_bytes = 1 << 20;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} events SEC(".maps");

/* Events lost because the ring buffer was full, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} lost SEC(".maps");

struct tracking_info {
	u64 orig_head;
	u64 timestamp;
	u8 pass;	/* matched the netns/ifindex filters somewhere on its way */
	u8 received;	/* went through netif_receive_skb: its skb_iif is set from then on */
	u8 pkt_match;	/* matched the packet filter once: followed from then on */
	u8 freed;	/* its data was freed: the next skb with this head is a new packet */
	u8 pad[4];
};

/*
 * skb->head → first sighting. An LRU because not every free path fires a tracepoint: entries of skbs
 * freed unseen must age out instead of filling the map.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	/* per-CPU LRU lists: no global lock on the first sighting of every packet */
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
	__type(key, u64);
	__type(value, struct tracking_info);
} tracking SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u8);
} netns_allow SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u8);
} ifindex_allow SEC(".maps");

static __always_inline void count_lost(void)
{
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&lost, &zero);

	if (n)
		*n += 1;
}

static __always_inline void section(struct section_hdr *h, u16 owner, u16 type, u32 size, bool on)
{
	h->owner = on ? owner : SECTION_NONE;
	h->type = type;
	h->size = size;
}

/*
 * Forget the skb when its data goes away: clones share the head, so only the last reference counts. The
 * entry is only marked, not deleted: map updates and deletes take a bucket lock with interrupts off,
 * and heads are recycled quickly, so the entry is most often reused in place by the next packet in the
 * same head. Measured here: about 100 ns less per event than deleting.
 */
static __always_inline void forget(struct sk_buff *skb, u64 head)
{
	struct skb_shared_info *si = skb_shinfo_of(skb);
	struct tracking_info *ti;

	if ((BPF_CORE_READ(si, dataref.counter) & 0xffff) > 1)
		return;
	ti = bpf_map_lookup_elem(&tracking, &head);
	if (ti)
		ti->freed = 1;
}

static __always_inline int handle(void *ctx, const u32 slot, struct sk_buff *skb, u32 reason, const bool raw)
{
	struct tracking_info *ti, new_ti = {};
	struct filter_scratch *scratch = NULL;
	u32 zero = 0;
	struct net_device *dev;
	struct event *e;
	struct net *net;
	u64 head, now, flags;
	u32 inum = 0, ifindex = 0, iif;
	bool match = true, want_stack = slot_stack[slot];

	if (!skb)
		return 0;
	now = bpf_ktime_get_ns();
	head = (u64)RD(raw, skb, head);
	dev = skb_dev(skb, raw);
	net = skb_net(skb, dev, raw);
	if (net)
		inum = RD(raw, net, ns.inum);
	if (dev)
		ifindex = RD(raw, dev, ifindex);

	if (filter_netns && !bpf_map_lookup_elem(&netns_allow, &inum))
		match = false;
	if (filter_ifindex && !bpf_map_lookup_elem(&ifindex_allow, &ifindex))
		match = false;

	ti = bpf_map_lookup_elem(&tracking, &head);
	/*
	 * Not every free fires a tracepoint (TCP frees most of its skbs silently), and without kprobes the
	 * head can come back in a new packet while its old entry is still here. A packet that went through
	 * netif_receive_skb keeps a non-zero skb_iif until it is freed; only a new skb has it at 0 (or one
	 * scrubbed on its way into another namespace, which next shows up at a receive point).
	 */
	iif = RD(raw, skb, skb_iif);
	if (ti && (ti->freed || (ti->received && !iif && !slot_rx[slot]))) {
		/* a new packet in a head seen before: start over in place, without a map update */
		ti->orig_head = head;
		ti->timestamp = now;
		ti->pass = match;
		ti->received = 0;
		ti->pkt_match = 0;
		ti->freed = 0;
	} else if (ti) {
		/*
		 * A packet that matched the filters once is followed everywhere after, e.g. to the socket
		 * where its device is no longer known.
		 */
		if (match && !ti->pass)
			ti->pass = 1;
		match = match || ti->pass;
	} else {
		new_ti.orig_head = head;
		new_ti.timestamp = now;
		new_ti.pass = match;
		new_ti.received = slot_rx_core[slot] || iif;
		bpf_map_update_elem(&tracking, &head, &new_ti, BPF_ANY);
		ti = &new_ti;
	}
	if (!ti->received && (slot_rx_core[slot] || iif))
		ti->received = 1;
	if (!match)
		goto out;

	/*
	 * The packet filter, on packets not matched before: the packet is captured into a per-CPU buffer
	 * first, so that nothing is reserved in the ring buffer for packets the filter rejects.
	 */
	if (filter_packet && !ti->pkt_match) {
		scratch = bpf_map_lookup_elem(&filter_scratch, &zero);
		if (!scratch)
			goto out;
		fill_packet(&scratch->pkt, skb, raw);
		if (!filter_run(scratch))
			goto out;
		if (ti == &new_ti) {
			new_ti.pkt_match = 1;
			bpf_map_update_elem(&tracking, &head, &new_ti, BPF_ANY);
		} else {
			ti->pkt_match = 1;
		}
	}

	if (want_stack)
		e = bpf_ringbuf_reserve(&events, sizeof(struct event), 0);
	else
		e = bpf_ringbuf_reserve(&events, EVENT_SIZE_NO_STACK, 0);
	if (!e) {
		count_lost();
		goto out;
	}

	section(&e->h_common, SECTION_COMMON, 0, sizeof(e->common), true);
	e->common.timestamp = now;
	e->common.smp_id = bpf_get_smp_processor_id();
	flags = bpf_get_current_pid_tgid();
	e->common.pid = (u32)flags;
	e->common.tgid = flags >> 32;
	bpf_get_current_comm(e->common.comm, sizeof(e->common.comm));

	section(&e->h_kernel, SECTION_KERNEL, 0, sizeof(e->kernel), true);
	e->kernel.slot = slot;
	e->kernel.stack_bytes = 0;

	section(&e->h_tracking, SECTION_TRACKING, 0, sizeof(e->tracking), collectors & COLLECT_TRACKING);
	e->tracking.orig_head = ti->orig_head;
	e->tracking.timestamp = ti->timestamp;
	e->tracking.skb = (u64)skb;

	section(&e->h_drop, SECTION_DROP, 0, sizeof(e->drop), (collectors & COLLECT_DROP) && slot_drop[slot]);
	e->drop.reason = reason;

	section(&e->h_packet, SECTION_PACKET, 0, sizeof(e->packet), collectors & COLLECT_PACKET);
	if (scratch)
		__builtin_memcpy(&e->packet, &scratch->pkt, sizeof(e->packet));
	else if (collectors & COLLECT_PACKET)
		fill_packet(&e->packet, skb, raw);

	section(&e->h_meta, SECTION_SKB, SKB_META, sizeof(e->meta),
		(collectors & COLLECT_SKB) && (skb_sections & SKB_SECTION_META));
	if ((collectors & COLLECT_SKB) && (skb_sections & SKB_SECTION_META))
		fill_meta(&e->meta, skb, raw);
	section(&e->h_dataref, SECTION_SKB, SKB_DATAREF, sizeof(e->dataref),
		(collectors & COLLECT_SKB) && (skb_sections & SKB_SECTION_DATAREF));
	if ((collectors & COLLECT_SKB) && (skb_sections & SKB_SECTION_DATAREF))
		fill_dataref(&e->dataref, skb, raw);
	section(&e->h_gso, SECTION_SKB, SKB_GSO, sizeof(e->gso),
		(collectors & COLLECT_SKB) && (skb_sections & SKB_SECTION_GSO));
	if ((collectors & COLLECT_SKB) && (skb_sections & SKB_SECTION_GSO))
		fill_gso(&e->gso, skb);

	section(&e->h_netns, SECTION_NETNS, 0, sizeof(e->netns), (collectors & COLLECT_NS) && net);
	e->netns.inum = inum;
	e->netns.cookie = 0;
	if ((collectors & COLLECT_NS) && net && bpf_core_field_exists(net->net_cookie))
		e->netns.cookie = RD(raw, net, net_cookie);

	section(&e->h_dev, SECTION_DEV, 0, sizeof(e->dev), (collectors & COLLECT_DEV) && dev);
	if ((collectors & COLLECT_DEV) && dev) {
		e->dev.ifindex = ifindex;
		BPF_CORE_READ_STR_INTO(&e->dev.name, dev, name);
		e->dev.rx_ifindex = iif;
	}

	section(&e->h_ct, SECTION_CT, 0, sizeof(e->ct), false);
	if ((collectors & COLLECT_CT) && fill_ct(&e->ct, skb))
		e->h_ct.owner = SECTION_CT;

	if (want_stack) {
		long n = bpf_get_stack(ctx, e->stack.ips, sizeof(e->stack.ips), 0);

		section(&e->h_stack, SECTION_STACK, 0, sizeof(e->stack), n > 0);
		e->kernel.stack_bytes = n > 0 ? n : 0;
	}

	/*
	 * A wakeup costs microseconds here (an IPI); the consumer polls every few ms anyway, so only wake it
	 * when a lot is pending.
	 */
	flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	bpf_ringbuf_submit(e, flags);
out:
	if (slot_free[slot])
		forget(skb, head);
	return 0;
}

/*
 * Argument n of the tracepoint. The barrier keeps each load at its constant offset: clang would
 * otherwise compute ctx + 8 * n and load once, and the verifier refuses loads through a moved ctx.
 */
#define ARG(args, n) ({ u64 __v = (args)[n]; barrier_var(__v); __v; })

/* The skb argument, at an index known only at load time (a constant for the verifier). */
static __always_inline struct sk_buff *arg_skb(u64 *args, u32 slot)
{
	switch (slot_arg[slot]) {
	case 0: return (void *)ARG(args, 0);
	case 1: return (void *)ARG(args, 1);
	case 2: return (void *)ARG(args, 2);
	case 3: return (void *)ARG(args, 3);
	case 4: return (void *)ARG(args, 4);
	case 5: return (void *)ARG(args, 5);
	}
	return NULL;
}

static __always_inline int slot_hit(void *ctx, u64 *args, const u32 slot, const bool raw)
{
	return handle(ctx, slot, arg_skb(args, slot), slot_drop[slot] ? (u32)ARG(args, 2) : 0, raw);
}

#define SLOT(n)										\
	SEC("tp_btf")									\
	int tp_slot##n(u64 *ctx) { return slot_hit(ctx, ctx, n, false); }			\
	SEC("raw_tp")									\
	int raw_slot##n(struct bpf_raw_tracepoint_args *ctx) { return slot_hit(ctx, ctx->args, n, true); }

SLOT(0)
SLOT(1)
SLOT(2)
SLOT(3)
SLOT(4)
SLOT(5)
SLOT(6)
SLOT(7)

/*
 * Frees that are not probes (consume_skb always, kfree_skb without the skb-drop collector): only forget
 * the skb, so that its head can start a new packet.
 */
static __always_inline int freed(struct sk_buff *skb)
{
	if (skb)
		forget(skb, (u64)BPF_CORE_READ(skb, head));
	return 0;
}

SEC("tp_btf/consume_skb")
int tp_consume(u64 *ctx) { return freed((void *)ctx[0]); }

SEC("raw_tp/consume_skb")
int raw_consume(struct bpf_raw_tracepoint_args *ctx) { return freed((void *)ctx->args[0]); }

SEC("tp_btf/kfree_skb")
int tp_kfree(u64 *ctx) { return freed((void *)ctx[0]); }

SEC("raw_tp/kfree_skb")
int raw_kfree(struct bpf_raw_tracepoint_args *ctx) { return freed((void *)ctx->args[0]); }

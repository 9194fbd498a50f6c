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
#include "meta_filter.h"
#include "tracking.h"

char LICENSE[] SEC("license") = "GPL";

/* Settings, written by the loader before load; the verifier prunes what they disable. */
const volatile __u32 collectors = 0;
const volatile __u32 skb_sections = 0;
const volatile bool filter_netns = false;
const volatile bool filter_ifindex = false;
const volatile bool filter_packet = false;	/* run the cBPF in filter_prog on packets not matched yet */
const volatile bool filter_meta = false;	/* run the terms in meta_prog on packets not matched yet */
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

/* What one probe hit knows about its skb; the section writers below read from it. */
struct hit {
	void *ctx;
	struct sk_buff *skb;
	struct net_device *dev;
	struct net *net;
	struct tracking_info *ti;
	struct filter_scratch *scratch;	/* the packet, when the packet filter captured it already */
	bool scratch_taken;		/* a nesting level of the filter's scratch is held */
	u64 head, now;
	u32 slot, reason, inum, ifindex, iif;
};

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

/* The netns and ifindex filters, remembered for the rest of the packet's way. */
static __always_inline bool where_pass(struct hit *h)
{
	bool match = true;

	if (filter_netns && !bpf_map_lookup_elem(&netns_allow, &h->inum))
		match = false;
	if (filter_ifindex && !bpf_map_lookup_elem(&ifindex_allow, &h->ifindex))
		match = false;
	/* a packet that matched once is followed everywhere after, e.g. to a socket where its device is unknown */
	if (match)
		h->ti->pass = 1;
	return h->ti->pass;
}

/*
 * The meta and packet filters (combined: both must hold), on packets not matched before. The packet is
 * captured into a per-CPU buffer first, so that nothing is reserved in the ring buffer for packets the
 * filter rejects.
 */
static __always_inline bool what_pass(struct hit *h, const bool raw)
{
	u32 key;

	if (!(filter_meta || filter_packet) || h->ti->matched)
		return true;
	if (filter_meta && !meta_filter_pass(h->skb))
		return false;
	if (filter_packet) {
		/* released by handle() once the event is written: it copies the packet from there */
		h->scratch = scratch_get(&key);
		h->scratch_taken = true;
		if (!h->scratch)
			return false;
		fill_packet(&h->scratch->pkt, h->skb, raw);
		if (!filter_run(h->scratch, key))
			return false;
	}
	h->ti->matched = 1;
	return true;
}

/* Section writers: each fills its part of the event and says whether it is present (as Retis's hooks). */

static __always_inline void add_common(struct event *e, const struct hit *h)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();

	section(&e->h_common, SECTION_COMMON, 0, sizeof(e->common), true);
	e->common.timestamp = h->now;
	e->common.smp_id = bpf_get_smp_processor_id();
	e->common.pid = (u32)pid_tgid;
	e->common.tgid = pid_tgid >> 32;
	bpf_get_current_comm(e->common.comm, sizeof(e->common.comm));
}

static __always_inline void add_kernel(struct event *e, const struct hit *h)
{
	section(&e->h_kernel, SECTION_KERNEL, 0, sizeof(e->kernel), true);
	e->kernel.slot = h->slot;
	e->kernel.stack_bytes = 0;
}

static __always_inline void add_tracking(struct event *e, const struct hit *h)
{
	section(&e->h_tracking, SECTION_TRACKING, 0, sizeof(e->tracking), collectors & COLLECT_TRACKING);
	e->tracking.orig_head = h->ti->orig_head;
	e->tracking.timestamp = h->ti->timestamp;
	e->tracking.skb = (u64)h->skb;
}

static __always_inline void add_drop(struct event *e, const struct hit *h, const u32 slot)
{
	section(&e->h_drop, SECTION_DROP, 0, sizeof(e->drop), (collectors & COLLECT_DROP) && slot_drop[slot]);
	e->drop.reason = h->reason;
}

static __always_inline void add_packet(struct event *e, const struct hit *h, const bool raw)
{
	section(&e->h_packet, SECTION_PACKET, 0, sizeof(e->packet), collectors & COLLECT_PACKET);
	if (h->scratch)
		__builtin_memcpy(&e->packet, &h->scratch->pkt, sizeof(e->packet));
	else if (collectors & COLLECT_PACKET)
		fill_packet(&e->packet, h->skb, raw);
}

static __always_inline void add_skb(struct event *e, const struct hit *h, const bool raw)
{
	bool on = collectors & COLLECT_SKB;

	section(&e->h_vlan, SECTION_SKB, SKB_VLAN, sizeof(e->vlan), false);
	if (on && fill_vlan(&e->vlan, h->skb, raw))
		e->h_vlan.owner = SECTION_SKB;
	section(&e->h_meta, SECTION_SKB, SKB_META, sizeof(e->meta), on && (skb_sections & SKB_SECTION_META));
	if (on && (skb_sections & SKB_SECTION_META))
		fill_meta(&e->meta, h->skb, raw);
	section(&e->h_dataref, SECTION_SKB, SKB_DATAREF, sizeof(e->dataref),
		on && (skb_sections & SKB_SECTION_DATAREF));
	if (on && (skb_sections & SKB_SECTION_DATAREF))
		fill_dataref(&e->dataref, h->skb, raw);
	section(&e->h_gso, SECTION_SKB, SKB_GSO, sizeof(e->gso), on && (skb_sections & SKB_SECTION_GSO));
	if (on && (skb_sections & SKB_SECTION_GSO))
		fill_gso(&e->gso, h->skb);
}

static __always_inline void add_netns(struct event *e, const struct hit *h, const bool raw)
{
	struct net *net = h->net;	/* a local, for CO-RE (see handle()) */

	section(&e->h_netns, SECTION_NETNS, 0, sizeof(e->netns), (collectors & COLLECT_NS) && net);
	e->netns.inum = h->inum;
	e->netns.cookie = 0;
	if ((collectors & COLLECT_NS) && net && bpf_core_field_exists(net->net_cookie))
		e->netns.cookie = RD(raw, net, net_cookie);
}

static __always_inline void add_dev(struct event *e, const struct hit *h)
{
	struct net_device *dev = h->dev;

	section(&e->h_dev, SECTION_DEV, 0, sizeof(e->dev), (collectors & COLLECT_DEV) && dev);
	if ((collectors & COLLECT_DEV) && dev) {
		e->dev.ifindex = h->ifindex;
		BPF_CORE_READ_STR_INTO(&e->dev.name, dev, name);
		e->dev.rx_ifindex = h->iif;
	}
}

static __always_inline void add_ct(struct event *e, const struct hit *h)
{
	section(&e->h_ct, SECTION_CT, 0, sizeof(e->ct), false);
	if ((collectors & COLLECT_CT) && fill_ct(&e->ct, h->skb))
		e->h_ct.owner = SECTION_CT;
}

static __always_inline void add_stack(struct event *e, const struct hit *h)
{
	long n = bpf_get_stack(h->ctx, e->stack.ips, sizeof(e->stack.ips), 0);

	section(&e->h_stack, SECTION_STACK, 0, sizeof(e->stack), n > 0);
	e->kernel.stack_bytes = n > 0 ? n : 0;
}

/* `slot` apart from h: a constant, which the verifier needs to index the per-slot settings */
static __always_inline void emit(struct hit *h, const u32 slot, const bool raw)
{
	bool want_stack = slot_stack[slot];
	struct event *e;
	u64 flags;

	/* probes without stacks reserve the event up to the stack section only */
	if (want_stack)
		e = bpf_ringbuf_reserve(&events, sizeof(struct event), 0);
	else
		e = bpf_ringbuf_reserve(&events, EVENT_SIZE_NO_STACK, 0);
	if (!e) {
		count_lost();
		return;
	}
	add_common(e, h);
	add_kernel(e, h);
	add_tracking(e, h);
	add_drop(e, h, slot);
	add_packet(e, h, raw);
	add_skb(e, h, raw);
	add_netns(e, h, raw);
	add_dev(e, h);
	add_ct(e, h);
	if (want_stack)
		add_stack(e, h);
	/*
	 * A wakeup costs microseconds here (an IPI); the consumer polls every few ms anyway, so only wake it
	 * when a lot is pending.
	 */
	flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	bpf_ringbuf_submit(e, flags);
}

/* One probe hit: where the skb is, its tracking entry, the filters, then the event. */
static __always_inline int handle(void *ctx, const u32 slot, struct sk_buff *skb, u32 reason, const bool raw)
{
	struct tracking_info new_ti;
	struct net_device *dev;
	struct net *net;
	struct hit h = { .ctx = ctx, .skb = skb, .slot = slot, .reason = reason };

	if (!skb)
		return 0;
	h.now = bpf_ktime_get_ns();
	h.head = (u64)RD(raw, skb, head);
	/* locals: CO-RE reads relocate every access in their argument, and struct hit is not the kernel's */
	dev = h.dev = skb_dev(skb, raw);
	net = h.net = skb_net(skb, dev, raw);
	if (net)
		h.inum = RD(raw, net, ns.inum);
	if (dev)
		h.ifindex = RD(raw, dev, ifindex);
	h.iif = RD(raw, skb, skb_iif);
	h.ti = track(h.head, h.now, h.iif, slot_rx[slot], slot_rx_core[slot], &new_ti);

	if (where_pass(&h) && what_pass(&h, raw))
		emit(&h, slot, raw);
	if (h.scratch_taken)
		scratch_put();
	if (h.ti == &new_ti)
		bpf_map_update_elem(&tracking, &h.head, &new_ti, BPF_ANY);
	if (slot_free[slot])
		forget(skb, h.head);
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

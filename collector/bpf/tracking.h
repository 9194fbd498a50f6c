/* SPDX-License-Identifier: GPL-2.0 */
/*
 * skb tracking: skb->head → the packet's first sighting (Retis's tracking id is {orig_head, timestamp}),
 * and what the filters decided about the packet, which holds for the rest of its way.
 *
 * Without kprobes, a head is known to go away through the slab tracepoints: every skb head is freed by
 * kfree() or kmem_cache_free() (skb_free_head), whatever path frees the skb, and kmem:kfree and
 * kmem:kmem_cache_free fire there with the head's address. Heads carved from page fragments (some
 * drivers) are not seen there; for those the skb_iif rule below still tells a new packet apart.
 */
#ifndef __RETIS_TRACKING_H
#define __RETIS_TRACKING_H

struct tracking_info {
	u64 orig_head;
	u64 timestamp;
	u8 pass;	/* matched the netns/ifindex filters somewhere on its way */
	u8 received;	/* went through netif_receive_skb: its skb_iif is set from then on */
	u8 matched;	/* matched the packet and meta filters once: followed from then on */
	u8 freed;	/* its head was freed: the next skb with this head is a new packet */
	u8 pad[4];
};

/*
 * An LRU because heads carved from page fragments are freed unseen: their entries must age out instead
 * of filling the map.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	/* per-CPU LRU lists: no global lock on the first sighting of every packet */
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
	__type(key, u64);
	__type(value, struct tracking_info);
} tracking SEC(".maps");

/*
 * The entry is only marked, not deleted: map updates and deletes take a bucket lock with interrupts
 * off, and heads are recycled quickly, so the entry is most often reused in place by the next packet
 * in the same head.
 */
static __always_inline void head_freed(u64 head)
{
	struct tracking_info *ti = bpf_map_lookup_elem(&tracking, &head);

	if (ti)
		ti->freed = 1;
}

/* At kfree_skb/consume_skb: clones share the head, so only the last data reference frees it. */
static __always_inline void forget(struct sk_buff *skb, u64 head)
{
	struct skb_shared_info *si = skb_shinfo_of(skb);

	if ((BPF_CORE_READ(si, dataref.counter) & 0xffff) > 1)
		return;
	head_freed(head);
}

/*
 * The packet's entry, started over at a new packet; a first sighting is filled in `fresh`, which the
 * caller stores once the filters have marked it (one map update per new packet). `slot_rx`: a receive point, where skb_iif may still be 0;
 * `rx_core`: netif_receive_skb, after which skb_iif is set.
 */
static __always_inline struct tracking_info *track(u64 head, u64 now, u32 iif, bool slot_rx, bool rx_core,
						   struct tracking_info *fresh)
{
	struct tracking_info *ti = bpf_map_lookup_elem(&tracking, &head);

	/*
	 * A head whose free was not seen (page fragments): a packet that went through netif_receive_skb
	 * keeps a non-zero skb_iif until it is freed; only a new skb has it at 0 (or one scrubbed on its
	 * way into another namespace, which next shows up at a receive point).
	 */
	if (ti && (ti->freed || (ti->received && !iif && !slot_rx))) {
		/* a new packet in a head seen before: start over in place, without a map update */
		ti->orig_head = head;
		ti->timestamp = now;
		ti->pass = 0;
		ti->received = 0;
		ti->matched = 0;
		ti->freed = 0;
	} else if (!ti) {
		__builtin_memset(fresh, 0, sizeof(*fresh));
		fresh->orig_head = head;
		fresh->timestamp = now;
		ti = fresh;
	}
	if (!ti->received && (rx_core || iif))
		ti->received = 1;
	return ti;
}

static __always_inline int slab_free(u64 ptr)
{
	if (ptr)
		head_freed(ptr);
	return 0;
}

/*
 * Every skb head ends with a struct skb_shared_info: smaller objects are not heads, and skipping them
 * saves the map lookup on most slab traffic.
 */
static __always_inline bool head_sized(u64 size)
{
	return size >= bpf_core_type_size(struct skb_shared_info);
}

static __always_inline int cache_free(u64 ptr, struct kmem_cache *s, const bool raw)
{
	if (s && bpf_core_field_exists(s->object_size) && !head_sized(RD(raw, s, object_size)))
		return 0;
	return slab_free(ptr);
}

/* kmem:kfree(call_site, ptr) and kmem:kmem_cache_free(call_site, ptr, cache): heads are freed there. */
SEC("tp_btf/kfree")
int tp_kmem_kfree(u64 *ctx) { return slab_free(ctx[1]); }

SEC("raw_tp/kfree")
int raw_kmem_kfree(struct bpf_raw_tracepoint_args *ctx) { return slab_free(ctx->args[1]); }

SEC("tp_btf/kmem_cache_free")
int tp_kmem_cache_free(u64 *ctx) { return cache_free(ctx[1], (void *)ctx[2], false); }

SEC("raw_tp/kmem_cache_free")
int raw_kmem_cache_free(struct bpf_raw_tracepoint_args *ctx)
{
	return cache_free(ctx->args[1], (void *)ctx->args[2], true);
}

#endif /* __RETIS_TRACKING_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Ring-buffer records to Retis JSON lines. Sections and their fields are written in Retis's order
 * (Rust struct order), options omitted when absent, u64 values exact.
 */
#include <arpa/inet.h>
#include <string.h>
#include "collector.h"

#define KEY(b, s) buf_put(b, s, sizeof(s) - 1)

int parse_event(const void *data, size_t size, struct parsed *ev)
{
	const uint8_t *p = data;
	size_t off = 0;

	memset(ev, 0, sizeof(*ev));
	while (off + sizeof(struct section_hdr) <= size) {
		const struct section_hdr *h = (const void *)(p + off);
		const void *payload = p + off + sizeof(*h);

		if (off + sizeof(*h) + h->size > size)
			return -1;
		switch (h->owner) {
		case SECTION_NONE:
			break;
		case SECTION_COMMON: ev->common = payload; break;
		case SECTION_KERNEL: ev->kernel = payload; break;
		case SECTION_TRACKING: ev->tracking = payload; break;
		case SECTION_DROP: ev->drop = payload; break;
		case SECTION_PACKET: ev->packet = payload; break;
		case SECTION_SKB:
			if (h->type == SKB_META)
				ev->meta = payload;
			else if (h->type == SKB_DATAREF)
				ev->dataref = payload;
			else if (h->type == SKB_GSO)
				ev->gso = payload;
			break;
		case SECTION_NETNS: ev->netns = payload; break;
		case SECTION_DEV: ev->dev = payload; break;
		case SECTION_CT: ev->ct = payload; break;
		case SECTION_STACK: ev->stack = payload; break;
		}
		off += sizeof(*h) + h->size;
	}
	return ev->common && ev->kernel ? 0 : -1;
}

static void kv_u64(struct buf *b, const char *key, uint64_t v, bool comma)
{
	if (comma)
		buf_put(b, ",", 1);
	buf_put(b, "\"", 1);
	buf_str(b, key);
	buf_put(b, "\":", 2);
	buf_u64(b, v);
}

static void kv_bool(struct buf *b, const char *key, bool v)
{
	buf_put(b, ",\"", 2);
	buf_str(b, key);
	buf_str(b, v ? "\":true" : "\":false");
}

/* Stack frames of the BPF program and the tracepoint glue are noise: the trace starts at the kernel's caller. */
static bool bpf_frame(uint64_t ip)
{
	uint64_t off;
	const char *n = ksyms_lookup(ip, &off);

	return n && (!strncmp(n, "bpf_prog_", 9) || !strncmp(n, "bpf_trace_run", 13) ||
		     !strncmp(n, "__bpf_trace_", 12));
}

static void format_kernel(struct buf *b, const struct parsed *ev, const struct probe *probes, size_t nprobes)
{
	const struct kernel_sec *k = ev->kernel;
	size_t i, n;
	bool first = true;

	KEY(b, ",\"kernel\":{\"symbol\":");
	buf_json_str(b, k->slot < nprobes ? probes[k->slot].symbol : "unknown", 200);
	KEY(b, ",\"probe_type\":\"raw_tracepoint\"");
	if (ev->stack && k->stack_bytes > 0) {
		n = k->stack_bytes / 8;
		if (n > STACK_DEPTH)
			n = STACK_DEPTH;
		for (i = 0; i < n && bpf_frame(ev->stack->ips[i]); i++)
			;
		KEY(b, ",\"stack_trace\":[");
		for (; i < n; i++) {
			if (!first)
				buf_put(b, ",", 1);
			ksyms_format(b, ev->stack->ips[i]);
			first = false;
		}
		buf_put(b, "]", 1);
	}
	buf_put(b, "}", 1);
}

static void format_skb(struct buf *b, const struct parsed *ev)
{
	bool comma = false;

	KEY(b, ",\"skb\":{");
	if (ev->meta && ev->meta->vlan_present) {
		uint16_t tci = ev->meta->vlan_tci;

		kv_u64(b, "vlan_accel\":{\"proto", ntohs(ev->meta->vlan_proto), false);
		kv_u64(b, "pcp", tci >> 13, true);
		kv_bool(b, "dei", tci & 0x1000);
		kv_u64(b, "vid", tci & 0xfff, true);
		buf_put(b, "}", 1);
		comma = true;
	}
	if (ev->meta) {
		const struct skb_meta_sec *m = ev->meta;

		if (comma)
			buf_put(b, ",", 1);
		kv_u64(b, "meta\":{\"len", m->len, false);
		kv_u64(b, "data_len", m->data_len, true);
		kv_u64(b, "hash", m->hash, true);
		kv_u64(b, "ip_summed", m->ip_summed, true);
		kv_u64(b, "csum", m->csum, true);
		kv_u64(b, "csum_level", m->csum_level, true);
		kv_u64(b, "priority", m->priority, true);
		buf_put(b, "}", 1);
		comma = true;
	}
	if (ev->dataref) {
		const struct skb_dataref_sec *d = ev->dataref;

		if (comma)
			buf_put(b, ",", 1);
		buf_str(b, d->nohdr ? "\"data_ref\":{\"nohdr\":true" : "\"data_ref\":{\"nohdr\":false");
		kv_bool(b, "cloned", d->cloned);
		kv_u64(b, "fclone", d->fclone, true);
		kv_u64(b, "users", d->users, true);
		kv_u64(b, "dataref", d->dataref, true);
		buf_put(b, "}", 1);
		comma = true;
	}
	if (ev->gso) {
		const struct skb_gso_sec *g = ev->gso;

		if (comma)
			buf_put(b, ",", 1);
		kv_u64(b, "gso\":{\"flags", g->flags, false);
		kv_u64(b, "frags", g->frags, true);
		kv_u64(b, "size", g->size, true);
		kv_u64(b, "segs", g->segs, true);
		kv_u64(b, "type", g->type, true);
		buf_put(b, "}", 1);
	}
	buf_put(b, "}", 1);
}

static void format_tuple(struct buf *b, const struct ct_conn *c, const struct ct_tuple *t)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	int af = c->l3num == 10 ? AF_INET6 : AF_INET;
	const uint8_t *du = (const uint8_t *)&t->dst_u;

	inet_ntop(af, t->src, src, sizeof(src));
	inet_ntop(af, t->dst, dst, sizeof(dst));
	KEY(b, "{\"ip\":{\"src\":");
	buf_json_str(b, src, sizeof(src));
	KEY(b, ",\"dst\":");
	buf_json_str(b, dst, sizeof(dst));
	buf_str(b, af == AF_INET6 ? ",\"version\":\"v6\"}" : ",\"version\":\"v4\"}");
	switch (c->protonum) {
	case 6:
	case 17:
		buf_str(b, c->protonum == 6 ? ",\"proto\":{\"tcp\":{" : ",\"proto\":{\"udp\":{");
		kv_u64(b, "sport", ntohs(t->src_u), false);
		kv_u64(b, "dport", ntohs(t->dst_u), true);
		break;
	default: /* ICMP and ICMPv6: dst.u holds type then code, src.u the id */
		KEY(b, ",\"proto\":{\"icmp\":{");
		kv_u64(b, "code", du[1], false);
		kv_u64(b, "type", du[0], true);
		kv_u64(b, "id", ntohs(t->src_u), true);
		break;
	}
	buf_put(b, "}}}", 3);
}

/* Only the protocols Retis's ct section describes. */
static bool conn_supported(const struct ct_conn *c)
{
	return c->protonum == 6 || c->protonum == 17 || c->protonum == 1 || c->protonum == 58;
}

/* The fields of one connection (Retis CtConnEvent); `first` when they open an object. */
static void format_conn(struct buf *b, const struct ct_conn *c, bool first)
{
	const char *dir = "None";
	char tmp[16];

	kv_u64(b, "zone_id", c->zone_id, !first);
	if (c->has_zone) {
		/* NF_CT_ZONE_DIR_ORIG is bit 0, NF_CT_ZONE_DIR_REPL bit 1, the default zone has both */
		if ((c->zone_dir & 3) == 3)
			dir = "Default";
		else if (c->zone_dir & 1)
			dir = "Original";
		else if (c->zone_dir & 2)
			dir = "Reply";
	}
	KEY(b, ",\"zone_dir\":\"");
	buf_str(b, dir);
	KEY(b, "\",\"orig\":");
	format_tuple(b, c, &c->orig);
	KEY(b, ",\"reply\":");
	format_tuple(b, c, &c->reply);
	if (c->protonum == 6) {
		KEY(b, ",\"proto_state\":");
		buf_json_str(b, tcp_state_name(c->proto_state, tmp, sizeof(tmp)), 64);
	}
	if (c->has_mark)
		kv_u64(b, "mark", c->mark, true);
	if (c->has_labels) {
		kv_u64(b, "labels\":{\"hi", c->labels[1], true);
		kv_u64(b, "lo", c->labels[0], true);
		buf_put(b, "}", 1);
	}
	kv_u64(b, "ct_status", c->status, true);
}

static void format_ct(struct buf *b, const struct ct_sec *c)
{
	static const char *const states[] = { "established", "related", "new", "reply", "related_reply" };

	if (!conn_supported(&c->base))
		return;
	KEY(b, ",\"ct\":{\"state\":\"");
	buf_str(b, c->ctinfo < 5 ? states[c->ctinfo] : "untracked");
	buf_put(b, "\"", 1);
	format_conn(b, &c->base, false);
	if (c->has_parent && conn_supported(&c->parent)) {
		KEY(b, ",\"parent\":{");
		format_conn(b, &c->parent, true);
		buf_put(b, "}", 1);
	}
	buf_put(b, "}", 1);
}

void format_event(struct buf *b, const struct parsed *ev, const struct probe *probes, size_t nprobes,
		  uint32_t collectors)
{
	const struct common_sec *c = ev->common;
	char tmp[64], tmp2[64];

	KEY(b, "{\"common\":{\"timestamp\":");
	buf_u64(b, c->timestamp);
	kv_u64(b, "smp_id", c->smp_id, true);
	KEY(b, ",\"task\":{\"pid\":");
	buf_i64(b, c->pid);
	KEY(b, ",\"tgid\":");
	buf_i64(b, c->tgid);
	KEY(b, ",\"comm\":");
	buf_json_str(b, c->comm, sizeof(c->comm));
	buf_put(b, "}}", 2);

	format_kernel(b, ev, probes, nprobes);

	if (ev->tracking && (collectors & COLLECT_TRACKING)) {
		KEY(b, ",\"skb-tracking\":{\"orig_head\":");
		buf_u64(b, ev->tracking->orig_head);
		kv_u64(b, "timestamp", ev->tracking->timestamp, true);
		kv_u64(b, "skb", ev->tracking->skb, true);
		buf_put(b, "}", 1);
	}
	if (ev->drop && (collectors & COLLECT_DROP)) {
		KEY(b, ",\"skb-drop\":{\"drop_reason\":");
		buf_json_str(b, drop_reason_name(ev->drop->reason, tmp, sizeof(tmp)), 64);
		if (ev->drop->reason >> 16) {
			KEY(b, ",\"subsys\":");
			buf_json_str(b, drop_subsys_name(ev->drop->reason >> 16, tmp2, sizeof(tmp2)), 64);
		}
		buf_put(b, "}", 1);
	}
	if (ev->packet && ev->packet->capture_len && (collectors & COLLECT_PACKET)) {
		uint32_t n = ev->packet->capture_len;

		if (n > PKT_CAPTURE_MAX)
			n = PKT_CAPTURE_MAX;
		KEY(b, ",\"packet\":{\"len\":");
		buf_u64(b, ev->packet->len);
		kv_u64(b, "capture_len", n, true);
		KEY(b, ",\"data\":\"");
		buf_base64(b, ev->packet->data, n);
		buf_put(b, "\"}", 2);
	}
	if ((ev->meta || ev->dataref || ev->gso) && (collectors & COLLECT_SKB))
		format_skb(b, ev);
	if (ev->netns && (collectors & COLLECT_NS)) {
		KEY(b, ",\"netns\":{");
		if (ev->netns->cookie)
			kv_u64(b, "cookie", ev->netns->cookie, false);
		kv_u64(b, "inum", ev->netns->inum, ev->netns->cookie);
		buf_put(b, "}", 1);
	}
	if (ev->dev && (collectors & COLLECT_DEV)) {
		KEY(b, ",\"dev\":{\"name\":");
		buf_json_str(b, ev->dev->name, sizeof(ev->dev->name));
		kv_u64(b, "ifindex", ev->dev->ifindex, true);
		if (ev->dev->rx_ifindex)
			kv_u64(b, "rx_ifindex", ev->dev->rx_ifindex, true);
		buf_put(b, "}", 1);
	}
	if (ev->ct && (collectors & COLLECT_CT))
		format_ct(b, ev->ct);
	buf_put(b, "}\n", 2);
}

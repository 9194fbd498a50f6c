// SPDX-License-Identifier: GPL-2.0
/*
 * Ring-buffer records to Retis JSON lines. Sections and their fields are written in Retis's order
 * (Rust struct order), options omitted when absent, u64 values exact.
 */
#include <arpa/inet.h>
#include <string.h>
#include "collector.h"

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
			if (h->type == SKB_VLAN)
				ev->vlan = payload;
			else if (h->type == SKB_META)
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

/* Stack frames of the BPF program and the tracepoint glue are noise: the trace starts at the kernel's caller. */
static bool bpf_frame(uint64_t ip)
{
	uint64_t off;
	const char *n = ksyms_lookup(ip, &off);

	return n && (!strncmp(n, "bpf_prog_", 9) || !strncmp(n, "bpf_trace_run", 13) ||
		     !strncmp(n, "__bpf_trace_", 12));
}

static void format_common(struct json *j, const struct common_sec *c)
{
	json_open(j, "common");
	json_u64(j, "timestamp", c->timestamp);
	json_u64(j, "smp_id", c->smp_id);
	json_open(j, "task");
	json_i64(j, "pid", c->pid);
	json_i64(j, "tgid", c->tgid);
	json_str(j, "comm", c->comm, sizeof(c->comm));
	json_end(j);
	json_end(j);
}

static void format_kernel(struct json *j, const struct parsed *ev, const struct probe *probes, size_t nprobes)
{
	const struct kernel_sec *k = ev->kernel;
	size_t i, n;
	bool first = true;

	json_open(j, "kernel");
	json_str(j, "symbol", k->slot < nprobes ? probes[k->slot].symbol : "unknown", 200);
	json_str(j, "probe_type", "raw_tracepoint", 32);
	if (ev->stack && k->stack_bytes > 0) {
		n = k->stack_bytes / 8;
		if (n > STACK_DEPTH)
			n = STACK_DEPTH;
		for (i = 0; i < n && bpf_frame(ev->stack->ips[i]); i++)
			;
		json_key(j, "stack_trace");
		buf_put(j->b, "[", 1);
		for (; i < n; i++) {
			if (!first)
				buf_put(j->b, ",", 1);
			ksyms_format(j->b, ev->stack->ips[i]);
			first = false;
		}
		buf_put(j->b, "]", 1);
	}
	json_end(j);
}

static void format_tracking(struct json *j, const struct tracking_sec *t)
{
	json_open(j, "skb-tracking");
	json_u64(j, "orig_head", t->orig_head);
	json_u64(j, "timestamp", t->timestamp);
	json_u64(j, "skb", t->skb);
	json_end(j);
}

static void format_drop(struct json *j, const struct drop_sec *d)
{
	char tmp[64];

	json_open(j, "skb-drop");
	json_str(j, "drop_reason", drop_reason_name(d->reason, tmp, sizeof(tmp)), 64);
	if (d->reason >> 16)
		json_str(j, "subsys", drop_subsys_name(d->reason >> 16, tmp, sizeof(tmp)), 64);
	json_end(j);
}

static void format_packet(struct json *j, const struct packet_sec *p)
{
	uint32_t n = p->capture_len > PKT_CAPTURE_MAX ? PKT_CAPTURE_MAX : p->capture_len;

	json_open(j, "packet");
	json_u64(j, "len", p->len);
	json_u64(j, "capture_len", n);
	json_key(j, "data");
	buf_put(j->b, "\"", 1);
	buf_base64(j->b, p->data, n);
	buf_put(j->b, "\"", 1);
	json_end(j);
}

static void format_skb(struct json *j, const struct parsed *ev)
{
	json_open(j, "skb");
	if (ev->vlan) {
		uint16_t tci = ev->vlan->tci;

		json_open(j, "vlan_accel");
		json_u64(j, "proto", ntohs(ev->vlan->proto));
		json_u64(j, "pcp", tci >> 13);
		json_bool(j, "dei", tci & 0x1000);
		json_u64(j, "vid", tci & 0xfff);
		json_end(j);
	}
	if (ev->meta) {
		const struct skb_meta_sec *m = ev->meta;

		json_open(j, "meta");
		json_u64(j, "len", m->len);
		json_u64(j, "data_len", m->data_len);
		json_u64(j, "hash", m->hash);
		json_u64(j, "ip_summed", m->ip_summed);
		json_u64(j, "csum", m->csum);
		json_u64(j, "csum_level", m->csum_level);
		json_u64(j, "priority", m->priority);
		json_end(j);
	}
	if (ev->dataref) {
		const struct skb_dataref_sec *d = ev->dataref;

		json_open(j, "data_ref");
		json_bool(j, "nohdr", d->nohdr);
		json_bool(j, "cloned", d->cloned);
		json_u64(j, "fclone", d->fclone);
		json_u64(j, "users", d->users);
		json_u64(j, "dataref", d->dataref);
		json_end(j);
	}
	if (ev->gso) {
		const struct skb_gso_sec *g = ev->gso;

		json_open(j, "gso");
		json_u64(j, "flags", g->flags);
		json_u64(j, "frags", g->frags);
		json_u64(j, "size", g->size);
		json_u64(j, "segs", g->segs);
		json_u64(j, "type", g->type);
		json_end(j);
	}
	json_end(j);
}

static void format_netns(struct json *j, const struct netns_sec *n)
{
	json_open(j, "netns");
	if (n->cookie)
		json_u64(j, "cookie", n->cookie);
	json_u64(j, "inum", n->inum);
	json_end(j);
}

static void format_dev(struct json *j, const struct dev_sec *d)
{
	json_open(j, "dev");
	json_str(j, "name", d->name, sizeof(d->name));
	json_u64(j, "ifindex", d->ifindex);
	if (d->rx_ifindex)
		json_u64(j, "rx_ifindex", d->rx_ifindex);
	json_end(j);
}

static void format_tuple(struct json *j, const char *key, const struct ct_conn *c, const struct ct_tuple *t)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	int af = c->l3num == 10 ? AF_INET6 : AF_INET;
	const uint8_t *du = (const uint8_t *)&t->dst_u;

	inet_ntop(af, t->src, src, sizeof(src));
	inet_ntop(af, t->dst, dst, sizeof(dst));
	json_open(j, key);
	json_open(j, "ip");
	json_str(j, "src", src, sizeof(src));
	json_str(j, "dst", dst, sizeof(dst));
	json_str(j, "version", af == AF_INET6 ? "v6" : "v4", 4);
	json_end(j);
	json_open(j, "proto");
	switch (c->protonum) {
	case 6:
	case 17:
		json_open(j, c->protonum == 6 ? "tcp" : "udp");
		json_u64(j, "sport", ntohs(t->src_u));
		json_u64(j, "dport", ntohs(t->dst_u));
		break;
	default: /* ICMP and ICMPv6: dst.u holds type then code, src.u the id */
		json_open(j, "icmp");
		json_u64(j, "code", du[1]);
		json_u64(j, "type", du[0]);
		json_u64(j, "id", ntohs(t->src_u));
		break;
	}
	json_end(j);
	json_end(j);
	json_end(j);
}

/* Only the protocols Retis's ct section describes. */
static bool conn_supported(const struct ct_conn *c)
{
	return c->protonum == 6 || c->protonum == 17 || c->protonum == 1 || c->protonum == 58;
}

/* The fields of one connection (Retis CtConnEvent), in the object being written. */
static void format_conn(struct json *j, const struct ct_conn *c)
{
	const char *dir = "None";
	char tmp[16];

	json_u64(j, "zone_id", c->zone_id);
	if (c->has_zone) {
		/* NF_CT_ZONE_DIR_ORIG is bit 0, NF_CT_ZONE_DIR_REPL bit 1, the default zone has both */
		if ((c->zone_dir & 3) == 3)
			dir = "Default";
		else if (c->zone_dir & 1)
			dir = "Original";
		else if (c->zone_dir & 2)
			dir = "Reply";
	}
	json_str(j, "zone_dir", dir, 16);
	format_tuple(j, "orig", c, &c->orig);
	format_tuple(j, "reply", c, &c->reply);
	if (c->protonum == 6)
		json_str(j, "proto_state", tcp_state_name(c->proto_state, tmp, sizeof(tmp)), 64);
	if (c->has_mark)
		json_u64(j, "mark", c->mark);
	if (c->has_labels) {
		json_open(j, "labels");
		json_u64(j, "hi", c->labels[1]);
		json_u64(j, "lo", c->labels[0]);
		json_end(j);
	}
	json_u64(j, "ct_status", c->status);
}

static void format_ct(struct json *j, const struct ct_sec *c)
{
	static const char *const states[] = { "established", "related", "new", "reply", "related_reply" };

	if (!conn_supported(&c->base))
		return;
	json_open(j, "ct");
	json_str(j, "state", c->ctinfo < 5 ? states[c->ctinfo] : "untracked", 16);
	format_conn(j, &c->base);
	if (c->has_parent && conn_supported(&c->parent)) {
		json_open(j, "parent");
		format_conn(j, &c->parent);
		json_end(j);
	}
	json_end(j);
}

void format_event(struct buf *b, const struct parsed *ev, const struct probe *probes, size_t nprobes,
		  uint32_t collectors)
{
	struct json j;

	json_begin(&j, b);
	format_common(&j, ev->common);
	format_kernel(&j, ev, probes, nprobes);
	if (ev->tracking && (collectors & COLLECT_TRACKING))
		format_tracking(&j, ev->tracking);
	if (ev->drop && (collectors & COLLECT_DROP))
		format_drop(&j, ev->drop);
	if (ev->packet && ev->packet->capture_len && (collectors & COLLECT_PACKET))
		format_packet(&j, ev->packet);
	if ((ev->vlan || ev->meta || ev->dataref || ev->gso) && (collectors & COLLECT_SKB))
		format_skb(&j, ev);
	if (ev->netns && (collectors & COLLECT_NS))
		format_netns(&j, ev->netns);
	if (ev->dev && (collectors & COLLECT_DEV))
		format_dev(&j, ev->dev);
	if (ev->ct && (collectors & COLLECT_CT))
		format_ct(&j, ev->ct);
	json_end(&j);
	buf_put(b, "\n", 1);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Section fillers for the skb tracepoint hook: each reads one part of the skb into its section of the
 * event. Every read goes through BPF_CORE_READ so that the same code serves tp_btf and raw_tp programs
 * (raw_tp pointers are untrusted and cannot be dereferenced directly).
 */
#ifndef __RETIS_SECTIONS_H
#define __RETIS_SECTIONS_H

/*
 * tp_btf programs get BTF-typed pointers: plain loads (fault-safe, checked by the verifier) cost a
 * fraction of a bpf_probe_read_kernel call each. raw_tp pointers are untrusted and must be probe-read.
 * `raw` is always a literal, so the compiler keeps one branch.
 */
#define RD(raw, p, f)	((raw) ? BPF_CORE_READ(p, f) : (p)->f)
#define RDB(raw, p, f)	((raw) ? BPF_CORE_READ_BITFIELD_PROBED(p, f) : BPF_CORE_READ_BITFIELD(p, f))

#define ETH_HLEN_	14
#define MAC_UNSET	0xffff

/*
 * skb->dev shares storage with dev_scratch once an skb sits on a socket queue: only trust kernel
 * addresses. The NULL test comes first so that the verifier also knows the pointer is not NULL.
 */
static __always_inline bool kernel_ptr(const void *p)
{
	unsigned long v = (unsigned long)p;

	if (!p)
		return false;
	/* hide the value from clang, which would otherwise drop the NULL test as implied */
	barrier_var(v);
	return v >= 0xffff800000000000UL;
}

static __always_inline struct net_device *skb_dev(struct sk_buff *skb, const bool raw)
{
	struct net_device *dev = RD(raw, skb, dev);

	return kernel_ptr(dev) ? dev : NULL;
}

/* The device's namespace, else the socket's (as Retis: "from the device or the associated socket"). */
static __always_inline struct net *skb_net(struct sk_buff *skb, struct net_device *dev, const bool raw)
{
	struct net *net = NULL;
	struct sock *sk;

	if (dev)
		net = RD(raw, dev, nd_net.net);
	if (!kernel_ptr(net)) {
		net = NULL;
		sk = RD(raw, skb, sk);
		if (kernel_ptr(sk))
			net = RD(raw, sk, __sk_common.skc_net.net);
	}
	return kernel_ptr(net) ? net : NULL;
}

static __always_inline void fill_packet(struct packet_sec *p, struct sk_buff *skb, const bool raw)
{
	unsigned char *head = RD(raw, skb, head);
	unsigned char *data = RD(raw, skb, data);
	u16 mac = RD(raw, skb, mac_header);
	u16 nh = RD(raw, skb, network_header);
	u32 tail = RD(raw, skb, tail);
	u32 len = RD(raw, skb, len);
	u32 data_off = data - head;
	u32 start, total, fake = 0;
	u64 n;

	if (mac != MAC_UNSET && nh != MAC_UNSET && nh > mac) {
		start = mac;
	} else {
		/*
		 * No link-layer header (locally built, or an L3 device): Retis prepends a fake Ethernet header
		 * with zero addresses and the skb protocol, so the data always starts at L2.
		 */
		fake = ETH_HLEN_;
		start = nh != MAC_UNSET ? nh : data_off;
		__builtin_memset(p->data, 0, 12);
		*(__be16 *)&p->data[12] = RD(raw, skb, protocol);
	}
	/* bytes from start to the end of the packet, counting what lies before skb->data */
	total = len + data_off - start;
	if ((s32)total < 0)
		total = 0;
	n = tail > start ? tail - start : 0;
	if (n > total)
		n = total;
	if (n > PKT_CAPTURE_MAX - fake)
		n = PKT_CAPTURE_MAX - fake;
	/*
	 * The mask is what the verifier sees (clang may compare a copy of n): the buffer has room for 255
	 * bytes after the fake header, the clamp above keeps the total to 255.
	 */
	barrier_var(n);
	n &= 0xff;
	if (bpf_probe_read_kernel(p->data + fake, n, head + start))
		n = 0;
	p->len = total + fake;
	p->capture_len = n + fake;
}

static __always_inline void fill_meta(struct skb_meta_sec *m, struct sk_buff *skb, const bool raw)
{
	m->len = RD(raw, skb, len);
	m->data_len = RD(raw, skb, data_len);
	m->hash = RD(raw, skb, hash);
	m->csum = RD(raw, skb, csum);
	m->priority = RD(raw, skb, priority);
	m->ip_summed = RDB(raw, skb, ip_summed);
	m->csum_level = RDB(raw, skb, csum_level);
}

/* False when the skb carries no accelerated VLAN tag. */
static __always_inline bool fill_vlan(struct skb_vlan_sec *v, struct sk_buff *skb, const bool raw)
{
	if (!bpf_core_field_exists(skb->vlan_all) || !RD(raw, skb, vlan_all))
		return false;
	v->proto = RD(raw, skb, vlan_proto);
	v->tci = RD(raw, skb, vlan_tci);
	return true;
}

static __always_inline struct skb_shared_info *skb_shinfo_of(struct sk_buff *skb)
{
	/* skb->end is an offset from head on 64-bit kernels */
	return (void *)(BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, end));
}

static __always_inline void fill_dataref(struct skb_dataref_sec *d, struct sk_buff *skb, const bool raw)
{
	struct skb_shared_info *si = skb_shinfo_of(skb);

	d->nohdr = RDB(raw, skb, nohdr);
	d->cloned = RDB(raw, skb, cloned);
	d->fclone = RDB(raw, skb, fclone);
	d->users = RD(raw, skb, users.refs.counter);
	/* the upper half counts payload-only references (nohdr) */
	d->dataref = BPF_CORE_READ(si, dataref.counter) & 0xffff;
}

static __always_inline void fill_gso(struct skb_gso_sec *g, struct sk_buff *skb)
{
	struct skb_shared_info *si = skb_shinfo_of(skb);

	g->size = BPF_CORE_READ(si, gso_size);
	g->segs = BPF_CORE_READ(si, gso_segs);
	g->type = BPF_CORE_READ(si, gso_type);
	g->flags = BPF_CORE_READ(si, flags);
	g->frags = BPF_CORE_READ(si, nr_frags);
}

static __always_inline void read_tuple(struct ct_tuple *t, struct nf_conntrack_tuple *k)
{
	bpf_probe_read_kernel(t->src, CT_ADDR_LEN, &k->src.u3);
	bpf_probe_read_kernel(t->dst, CT_ADDR_LEN, &k->dst.u3);
	t->src_u = BPF_CORE_READ(k, src.u.all);
	t->dst_u = BPF_CORE_READ(k, dst.u.all);
}

/* Connection labels live in a conntrack extension, at an offset the extension header gives. */
static __always_inline void read_labels(struct ct_conn *c, struct nf_conn *ct)
{
	struct nf_ct_ext *ext;
	u8 off = 0;

	c->has_labels = 0;
	if (!bpf_core_field_exists(ct->ext) || !bpf_core_enum_value_exists(enum nf_ct_ext_id, NF_CT_EXT_LABELS))
		return;
	ext = BPF_CORE_READ(ct, ext);
	if (!kernel_ptr(ext))
		return;
	bpf_probe_read_kernel(&off, 1, &ext->offset[bpf_core_enum_value(enum nf_ct_ext_id, NF_CT_EXT_LABELS)]);
	if (!off || bpf_probe_read_kernel(c->labels, sizeof(c->labels), (void *)ext + off))
		return;
	c->has_labels = c->labels[0] || c->labels[1];
}

static __always_inline void fill_conn(struct ct_conn *c, struct nf_conn *ct)
{
	c->status = BPF_CORE_READ(ct, status);
	c->has_mark = 0;
	c->mark = 0;
	if (bpf_core_field_exists(ct->mark)) {
		c->has_mark = 1;
		c->mark = BPF_CORE_READ(ct, mark);
	}
	c->has_zone = 0;
	c->zone_id = 0;
	c->zone_dir = 0;
	if (bpf_core_field_exists(ct->zone)) {
		c->has_zone = 1;
		c->zone_id = BPF_CORE_READ(ct, zone.id);
		c->zone_dir = BPF_CORE_READ(ct, zone.dir);
	}
	c->l3num = BPF_CORE_READ(ct, tuplehash[0].tuple.src.l3num);
	c->protonum = BPF_CORE_READ(ct, tuplehash[0].tuple.dst.protonum);
	c->proto_state = 0;
	if (c->protonum == 6 /* IPPROTO_TCP */)
		c->proto_state = BPF_CORE_READ(ct, proto.tcp.state);
	read_tuple(&c->orig, &ct->tuplehash[0].tuple);
	read_tuple(&c->reply, &ct->tuplehash[1].tuple);
	read_labels(c, ct);
}

/* Returns false when the skb carries no connection (no _nfct, or untracked). */
static __always_inline bool fill_ct(struct ct_sec *c, struct sk_buff *skb)
{
	struct nf_conn *ct, *master;
	unsigned long nfct;

	if (!bpf_core_field_exists(skb->_nfct))
		return false;
	nfct = BPF_CORE_READ(skb, _nfct);
	ct = (struct nf_conn *)(nfct & ~7UL);
	if (!kernel_ptr(ct))
		return false;
	c->ctinfo = nfct & 7;
	fill_conn(&c->base, ct);
	c->has_parent = 0;
	master = BPF_CORE_READ(ct, master);
	if (kernel_ptr(master)) {
		c->has_parent = 1;
		fill_conn(&c->parent, master);
	}
	return true;
}

#endif /* __RETIS_SECTIONS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wire format between the BPF probes and the loader: one ring-buffer record per probe hit, made of
 * sections, each behind a {owner, type, size} header (as Retis does). Every section is always present
 * in the record at a fixed place so that the BPF side writes at constant offsets; an absent section has
 * owner SECTION_NONE and is skipped by the reader. Fixed-width fields only; every payload is a multiple
 * of 8 bytes so that headers and payloads follow each other without implicit padding.
 */
#ifndef __RETIS_EVENTS_H
#define __RETIS_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define PKT_CAPTURE_MAX	255	/* Retis packet.capture_len limit */
#define PKT_BUF_SIZE	272	/* 255 bytes past a fake 14-byte Ethernet header fit */
#define STACK_DEPTH	32
#define PROBE_SLOTS	8	/* tracepoints attachable at once */
#define TASK_COMM_LEN_	16
#define DEV_NAME_LEN	16
#define CT_ADDR_LEN	16

/* Section owners: one per Retis section (or part of one). */
enum section_owner {
	SECTION_NONE = 0,
	SECTION_COMMON,
	SECTION_KERNEL,
	SECTION_TRACKING,
	SECTION_DROP,
	SECTION_PACKET,
	SECTION_SKB,
	SECTION_NETNS,
	SECTION_DEV,
	SECTION_CT,
	SECTION_STACK,
};

/* Types inside SECTION_SKB, one per sub-object of Retis's skb section. */
enum skb_section_type {
	SKB_META = 1,
	SKB_DATAREF,
	SKB_GSO,
	SKB_VLAN,
};

/* Collector bits, shared by the -c option and the BPF configuration. */
#define COLLECT_TRACKING	(1u << 0)
#define COLLECT_DROP		(1u << 1)
#define COLLECT_PACKET		(1u << 2)
#define COLLECT_SKB		(1u << 3)
#define COLLECT_NS		(1u << 4)
#define COLLECT_DEV		(1u << 5)
#define COLLECT_CT		(1u << 6)
#define COLLECT_ALL		((1u << 7) - 1)

/* --skb-sections bits. */
#define SKB_SECTION_META	(1u << 0)
#define SKB_SECTION_DATAREF	(1u << 1)
#define SKB_SECTION_GSO		(1u << 2)
#define SKB_SECTION_DEV		(1u << 3)	/* loader only: the dev section with the skb collector */
#define SKB_SECTION_NS		(1u << 4)	/* loader only: the netns section with the skb collector */
#define SKB_SECTION_ALL		((1u << 5) - 1)

struct section_hdr {
	__u16 owner;
	__u16 type;
	__u32 size;	/* payload bytes following this header */
};

struct common_sec {
	__u64 timestamp;	/* bpf_ktime_get_ns(), CLOCK_MONOTONIC */
	__u32 smp_id;
	__s32 pid;		/* current thread */
	__s32 tgid;		/* current process */
	char comm[TASK_COMM_LEN_];
	__u32 pad;
};

struct kernel_sec {
	__u32 slot;		/* index of the probe in the loader's table */
	__s32 stack_bytes;	/* bytes of the stack section in use, 0 when none */
};

struct tracking_sec {
	__u64 orig_head;	/* skb->head when first seen */
	__u64 timestamp;	/* first seen */
	__u64 skb;		/* current skb address */
};

struct drop_sec {
	__u32 reason;		/* enum skb_drop_reason, subsystem in the upper 16 bits */
	__u32 pad;
};

struct packet_sec {
	__u32 len;		/* length from the (possibly fake) MAC header */
	__u32 capture_len;	/* bytes valid in data */
	__u8 data[PKT_BUF_SIZE];
};

struct skb_meta_sec {
	__u32 len;
	__u32 data_len;
	__u32 hash;
	__u32 csum;
	__u32 priority;
	__u8 ip_summed;
	__u8 csum_level;
	__u8 pad[2];
};

/* The VLAN tag the driver took out of the packet (accelerated); the section is absent without one. */
struct skb_vlan_sec {
	__u16 proto;		/* network order */
	__u16 tci;
	__u8 pad[4];
};

struct skb_dataref_sec {
	__u8 nohdr;
	__u8 cloned;
	__u8 fclone;
	__u8 users;
	__u8 dataref;
	__u8 pad[3];
};

struct skb_gso_sec {
	__u32 size;
	__u32 segs;
	__u32 type;
	__u8 flags;
	__u8 frags;
	__u8 pad[2];
};

struct netns_sec {
	__u64 cookie;
	__u32 inum;
	__u32 pad;
};

struct dev_sec {
	char name[DEV_NAME_LEN];
	__u32 ifindex;
	__u32 rx_ifindex;	/* skb->skb_iif, 0 when not received */
};

struct ct_tuple {
	__u8 src[CT_ADDR_LEN];
	__u8 dst[CT_ADDR_LEN];
	__u16 src_u;		/* port, or ICMP id (network order) */
	__u16 dst_u;		/* port (network order), or ICMP type and code */
	__u16 pad[2];
};

/* One connection: the skb's, or its parent (the connection that expected it, e.g. FTP control). */
struct ct_conn {
	__u64 status;		/* ct->status */
	__u64 labels[2];	/* connlabels bits 0-63, 64-127 */
	__u32 mark;
	__u16 zone_id;
	__u8 zone_dir;		/* NF_CT_ZONE_DIR_* bits */
	__u8 l3num;		/* AF_INET or AF_INET6 */
	__u8 protonum;
	__u8 proto_state;	/* TCP conntrack state */
	__u8 has_mark;
	__u8 has_zone;
	__u8 has_labels;
	__u8 pad[7];
	struct ct_tuple orig;
	struct ct_tuple reply;
};

struct ct_sec {
	__u8 ctinfo;		/* skb->_nfct & 7 */
	__u8 has_parent;
	__u8 pad[6];
	struct ct_conn base;
	struct ct_conn parent;
};

struct stack_sec {
	__u64 ips[STACK_DEPTH];
};

/*
 * A classic BPF program from pcap_compile(), run in the kernel by the hook's interpreter (bpf/filter.h)
 * on the first bytes of each packet. Same layout as libpcap's struct bpf_insn.
 */
#define FILTER_MAX_INSNS 512

struct cbpf_insn {
	__u16 code;
	__u8 jt;
	__u8 jf;
	__u32 k;
};

struct filter_prog {
	__u32 len;
	__u32 pad;
	struct cbpf_insn insns[FILTER_MAX_INSNS];
};

#define SECTION(name, type) \
	struct section_hdr h_##name; \
	type name

/*
 * One record. The stack section comes last so that probes without stacks reserve only
 * offsetof(struct event, h_stack) bytes of the ring buffer.
 */
struct event {
	SECTION(common, struct common_sec);
	SECTION(kernel, struct kernel_sec);
	SECTION(tracking, struct tracking_sec);
	SECTION(drop, struct drop_sec);
	SECTION(packet, struct packet_sec);
	SECTION(vlan, struct skb_vlan_sec);
	SECTION(meta, struct skb_meta_sec);
	SECTION(dataref, struct skb_dataref_sec);
	SECTION(gso, struct skb_gso_sec);
	SECTION(netns, struct netns_sec);
	SECTION(dev, struct dev_sec);
	SECTION(ct, struct ct_sec);
	SECTION(stack, struct stack_sec);
};

#define EVENT_SIZE_NO_STACK	__builtin_offsetof(struct event, h_stack)

#endif /* __RETIS_EVENTS_H */

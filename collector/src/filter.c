// SPDX-License-Identifier: GPL-2.0
/*
 * -f: a pcap-filter expression compiled by libpcap and run in user space on each event's captured bytes
 * (which always start at an Ethernet header, fake or real). As in Retis, a packet that matched once is
 * followed everywhere after, even where the filter would no longer match (e.g. once encapsulated): matches
 * are remembered by tracking id. Kept apart from libbpf: pcap's struct bpf_insn clashes with the kernel's.
 */
#include <pcap/pcap.h>
#include <string.h>
#include "collector.h"

#define MATCHED_SLOTS 65536

static struct bpf_program prog;
static struct {
	uint64_t head, ts;
} matched[MATCHED_SLOTS];

int filter_compile(const char *expr, char *err, size_t errlen)
{
	pcap_t *pc = pcap_open_dead(DLT_EN10MB, 65535);
	int ret = 0;

	if (!pc) {
		snprintf(err, errlen, "libpcap failed");
		return -1;
	}
	if (pcap_compile(pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		snprintf(err, errlen, "%s", pcap_geterr(pc));
		ret = -1;
	}
	pcap_close(pc);
	return ret;
}

/* The compiled program, for the in-kernel interpreter; same layout as struct cbpf_insn. */
size_t filter_insns(const void **insns)
{
	*insns = prog.bf_insns;
	return prog.bf_len;
}

bool filter_pass(const struct parsed *ev)
{
	struct pcap_pkthdr hdr = {};
	uint64_t head = ev->tracking ? ev->tracking->orig_head : 0;
	uint64_t ts = ev->tracking ? ev->tracking->timestamp : 0;
	size_t slot = (head ^ ts ^ (ts >> 17) ^ (head >> 12)) % MATCHED_SLOTS;

	if (ev->tracking && matched[slot].head == head && matched[slot].ts == ts)
		return true;
	if (!ev->packet || !ev->packet->capture_len)
		return false;
	hdr.caplen = ev->packet->capture_len;
	hdr.len = ev->packet->len;
	if (!pcap_offline_filter(&prog, &hdr, ev->packet->data))
		return false;
	if (ev->tracking) {
		matched[slot].head = head;
		matched[slot].ts = ts;
	}
	return true;
}

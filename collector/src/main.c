// SPDX-License-Identifier: GPL-2.0
/*
 * retis-collector: loads the skb tracepoint hook on the probes asked for, and writes every event as a
 * Retis JSON line. Flat as libbpf-bootstrap: args → open → rodata → load → attach → poll → cleanup.
 * Errors are one line on stderr ("retis: ...") and a non-zero exit.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "collector.h"
#include "skb_tp.skel.h"

static volatile sig_atomic_t exiting;
static uint64_t n_events, n_filtered;
static struct buf line;
static bool have_filter;
static bool kernel_filter;	/* the filter runs in the kernel: nothing left to do here */
static int write_err;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (!cfg.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void on_signal(int sig)
{
	exiting = 1;
}

static int handle_event(void *ctx, void *data, size_t size)
{
	struct parsed ev;

	if (parse_event(data, size, &ev))
		return 0;
	if (have_filter && !kernel_filter && !filter_pass(&ev)) {
		n_filtered++;
		return 0;
	}
	line.len = 0;
	format_event(&line, &ev, cfg.probes, cfg.nprobes, cfg.collectors);
	write_err = output_line(line.p, line.len);
	if (write_err)
		return write_err;
	if (cfg.stdout_json)
		fwrite(line.p, 1, line.len, stdout);
	n_events++;
	if (cfg.stop_after && n_events >= cfg.stop_after) {
		exiting = 1;
		/* stop consuming: events past the limit are not wanted */
		return -ECANCELED;
	}
	return 0;
}

static uint64_t lost_events(struct skb_tp_bpf *skel)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	uint64_t *vals, total = 0;
	uint32_t zero = 0;

	if (ncpu <= 0)
		return 0;
	vals = calloc(ncpu, sizeof(*vals));
	if (vals && !bpf_map_lookup_elem(bpf_map__fd(skel->maps.lost), &zero, vals))
		for (i = 0; i < ncpu; i++)
			total += vals[i];
	free(vals);
	return total;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t usec(const struct timeval *tv)
{
	return tv->tv_sec * 1000000ULL + tv->tv_usec;
}

static char *default_cmdline(int argc, char **argv)
{
	struct buf b = {};
	int i;

	buf_str(&b, "retis collect");
	for (i = 1; i < argc; i++) {
		buf_put(&b, " ", 1);
		buf_str(&b, argv[i]);
	}
	buf_put(&b, "", 1);
	return b.p;
}

int main(int argc, char **argv)
{
	struct bpf_program *tp_progs[PROBE_SLOTS], *raw_progs[PROBE_SLOTS], **progs = tp_progs;
	struct bpf_link *links[PROBE_SLOTS + 2] = {};
	const char *probe_args[PROBE_SLOTS];
	size_t nprobe_args = 0, i, nlinks = 0;
	struct skb_tp_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct output_opts oo = {};
	bool raw = false, consume_probe, kfree_probe, out_open = false;
	uint32_t bpf_collectors;
	double start, last_progress = 0;
	uint64_t lost;
	struct rusage ru_start = {};
	uint8_t one = 1;
	int err = 1;

	libbpf_set_print(libbpf_print);
	/* a stop request during setup is honoured once collection starts: the loop below sees it */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (parse_args(argc, argv, probe_args, &nprobe_args))
		return 2;
	/* run by `retis collect`: if it dies, stop cleanly (SIGTERM drains and closes the file) */
	if (cfg.die_with_parent && (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() == 1))
		exiting = 1;
	if (cfg.rotate && parse_rotate_limit(cfg.rotate, &oo.rotate_limit)) {
		fail("invalid --out-rotate '%s': expected a size such as 64MB or 1GB", cfg.rotate);
		return 2;
	}
	if (cfg.rotate_count && !cfg.rotate) {
		fail("--out-rotate-count needs --out-rotate");
		return 2;
	}
	oo.rotate_count = cfg.rotate_count;
	if (cfg.filter) {
		char perr[256];

		if (filter_compile(cfg.filter, perr, sizeof(perr))) {
			fail("invalid packet filter '%s': %s", cfg.filter, perr);
			return 2;
		}
		have_filter = true;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) || btf_open()) {
		fail("the kernel exposes no BTF (/sys/kernel/btf/vmlinux): CO-RE probes cannot run here");
		return 1;
	}
	if (cfg.inspect)
		return tp_list(cfg.inspect);
	if (geteuid() != 0) {
		fail("collecting needs root (CAP_BPF, CAP_PERFMON): run as root, e.g. with sudo");
		return 1;
	}

	/* probes: the user's, else Retis's defaults; skb-drop brings kfree_skb */
	if (!nprobe_args) {
		probe_args[nprobe_args++] = "tp:net:netif_receive_skb";
		probe_args[nprobe_args++] = "tp:net:net_dev_start_xmit";
	}
	for (i = 0; i < nprobe_args; i++)
		if (add_probe(probe_args[i]))
			return 2;
	if ((cfg.collectors & COLLECT_DROP) && !find_probe("kfree_skb") && add_probe("tp:skb:kfree_skb"))
		return 2;
	if (cfg.stack)
		for (i = 0; i < cfg.nprobes; i++)
			cfg.probes[i].stack = true;
	consume_probe = find_probe("consume_skb") != NULL;
	kfree_probe = find_probe("kfree_skb") != NULL;
	/* the packet filter needs the packet bytes even when the packet section is not written */
	bpf_collectors = cfg.collectors | (have_filter ? COLLECT_PACKET | COLLECT_TRACKING : 0);
	/* --raw-tp: the fallback family, chosen up front (tests exercise it on kernels where tp_btf works) */
	raw = cfg.raw_tp;
	if (have_filter) {
		const void *insns;

		kernel_filter = !cfg.user_filter && filter_insns(&insns) <= FILTER_MAX_INSNS;
	}

retry:
	skel = skb_tp_bpf__open();
	if (!skel) {
		fail("Failed to open the BPF object: %s", strerror(errno));
		goto cleanup;
	}
	skel->rodata->collectors = bpf_collectors;
	skel->rodata->skb_sections = cfg.skb_sections;
	skel->rodata->filter_netns = cfg.nnetns > 0;
	skel->rodata->filter_ifindex = cfg.nifindex > 0;
	skel->rodata->filter_packet = kernel_filter;
	tp_progs[0] = skel->progs.tp_slot0; raw_progs[0] = skel->progs.raw_slot0;
	tp_progs[1] = skel->progs.tp_slot1; raw_progs[1] = skel->progs.raw_slot1;
	tp_progs[2] = skel->progs.tp_slot2; raw_progs[2] = skel->progs.raw_slot2;
	tp_progs[3] = skel->progs.tp_slot3; raw_progs[3] = skel->progs.raw_slot3;
	tp_progs[4] = skel->progs.tp_slot4; raw_progs[4] = skel->progs.raw_slot4;
	tp_progs[5] = skel->progs.tp_slot5; raw_progs[5] = skel->progs.raw_slot5;
	tp_progs[6] = skel->progs.tp_slot6; raw_progs[6] = skel->progs.raw_slot6;
	tp_progs[7] = skel->progs.tp_slot7; raw_progs[7] = skel->progs.raw_slot7;
	progs = raw ? raw_progs : tp_progs;
	for (i = 0; i < PROBE_SLOTS; i++) {
		bpf_program__set_autoload(tp_progs[i], false);
		bpf_program__set_autoload(raw_progs[i], false);
	}
	bpf_program__set_autoload(skel->progs.tp_consume, !raw && !consume_probe);
	bpf_program__set_autoload(skel->progs.raw_consume, raw && !consume_probe);
	bpf_program__set_autoload(skel->progs.tp_kfree, !raw && !kfree_probe);
	bpf_program__set_autoload(skel->progs.raw_kfree, raw && !kfree_probe);
	for (i = 0; i < cfg.nprobes; i++) {
		const struct probe *p = &cfg.probes[i];

		skel->rodata->slot_arg[i] = p->skb_arg;
		skel->rodata->slot_stack[i] = p->stack;
		skel->rodata->slot_drop[i] = p->drop;
		skel->rodata->slot_free[i] = p->frees;
		skel->rodata->slot_rx[i] = p->rx;
		skel->rodata->slot_rx_core[i] = p->rx_core;
		bpf_program__set_autoload(progs[i], true);
		if (!raw && bpf_program__set_attach_target(progs[i], 0, p->name)) {
			fail("Failed to target tracepoint %s", p->symbol);
			goto cleanup;
		}
	}
	if (skb_tp_bpf__load(skel)) {
		int load_err = errno;

		skb_tp_bpf__destroy(skel);
		skel = NULL;
		if (!raw) {
			/* BTF-typed tracepoints refused: fall back to raw tracepoints */
			raw = true;
			goto retry;
		}
		if (kernel_filter) {
			/* no bpf_loop (before 5.17): filter in user space instead */
			kernel_filter = false;
			raw = cfg.raw_tp;
			goto retry;
		}
		fail("Failed to load the BPF programs: %s (run with -v for the verifier's log)", strerror(load_err));
		goto cleanup;
	}
	if (kernel_filter) {
		static struct filter_prog fp;
		const void *insns;
		uint32_t zero = 0;

		fp.len = filter_insns(&insns);
		memcpy(fp.insns, insns, fp.len * sizeof(fp.insns[0]));
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.filter_prog), &zero, &fp, BPF_ANY)) {
			fail("Failed to load the packet filter: %s", strerror(errno));
			goto cleanup;
		}
	}
	for (i = 0; i < cfg.nnetns; i++)
		bpf_map_update_elem(bpf_map__fd(skel->maps.netns_allow), &cfg.netns[i], &one, BPF_ANY);
	for (i = 0; i < cfg.nifindex; i++)
		bpf_map_update_elem(bpf_map__fd(skel->maps.ifindex_allow), &cfg.ifindex[i], &one, BPF_ANY);

	oo.path = cfg.out;
	oo.cmdline = cfg.cmdline ?: default_cmdline(argc, argv);
	if (output_open(&oo)) {
		fail("Could not create or open '%s': %s", cfg.out, strerror(errno));
		goto cleanup;
	}
	out_open = true;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), handle_event, NULL, NULL);
	if (!rb) {
		fail("Failed to create the ring buffer reader: %s", strerror(errno));
		goto cleanup;
	}

	/* a probe that cannot attach is reported and skipped, as long as one works */
	for (i = 0; i < cfg.nprobes; i++) {
		links[nlinks] = raw ? bpf_program__attach_raw_tracepoint(progs[i], cfg.probes[i].name)
				    : bpf_program__attach(progs[i]);
		if (!links[nlinks]) {
			fprintf(stderr, "retis: warning: could not attach %s: %s\n", cfg.probes[i].symbol,
				strerror(errno));
			continue;
		}
		nlinks++;
	}
	if (!nlinks) {
		fail("Failed to attach any probe");
		goto cleanup;
	}
	/* frees that are not probes still end the tracking of their skb */
	if (!consume_probe) {
		links[nlinks] = raw ? bpf_program__attach_raw_tracepoint(skel->progs.raw_consume, "consume_skb")
				    : bpf_program__attach(skel->progs.tp_consume);
		if (links[nlinks])
			nlinks++;
	}
	if (!kfree_probe) {
		links[nlinks] = raw ? bpf_program__attach_raw_tracepoint(skel->progs.raw_kfree, "kfree_skb")
				    : bpf_program__attach(skel->progs.tp_kfree);
		if (links[nlinks])
			nlinks++;
	}

	/* symbols once the programs are loaded, so that their own frames are known (and skipped) */
	for (i = 0; i < cfg.nprobes; i++) {
		if (cfg.probes[i].stack) {
			if (ksyms_load()) {
				fail("Failed to read /proc/kallsyms for stack traces");
				goto cleanup;
			}
			break;
		}
	}

	fprintf(stderr, "retis: collecting events with %zu probes (%s%s), writing %s; Ctrl-C to stop\n",
		cfg.nprobes, raw ? "raw_tp" : "tp_btf",
		have_filter ? (kernel_filter ? ", packet filter in kernel" : ", packet filter in user space") : "",
		cfg.out);
	getrusage(RUSAGE_SELF, &ru_start);
	start = now_s();
	while (!exiting) {
		int n = ring_buffer__poll(rb, 10);

		/* no wakeups below the threshold: poll only sleeps, consume drains */
		if (n >= 0)
			n = ring_buffer__consume(rb);
		if (write_err) {
			fail("Failed to write '%s': %s", cfg.out, strerror(-write_err));
			goto cleanup;
		}
		if (n < 0 && n != -EINTR && n != -ECANCELED) {
			fail("Failed to read events: %s", strerror(-n));
			goto cleanup;
		}
		if (cfg.stdout_json)
			fflush(stdout);
		if (cfg.timeout && now_s() - start >= cfg.timeout)
			break;
		if (!cfg.stdout_json && isatty(2) && now_s() - last_progress >= 1) {
			last_progress = now_s();
			fprintf(stderr, "\r%llu events, %llu dropped by kernel", (unsigned long long)n_events,
				(unsigned long long)lost_events(skel));
		}
	}
	if (last_progress)
		fputc('\n', stderr);

	/* detach first, then drain what the probes already wrote */
	for (i = 0; i < nlinks; i++)
		bpf_link__destroy(links[i]);
	nlinks = 0;
	if (!(cfg.stop_after && n_events >= cfg.stop_after))
		ring_buffer__consume(rb);
	if (write_err) {
		fail("Failed to write '%s': %s", cfg.out, strerror(-write_err));
		goto cleanup;
	}
	err = 0;

cleanup:
	for (i = 0; i < nlinks; i++)
		bpf_link__destroy(links[i]);
	if (out_open && output_close() && !err) {
		fail("Failed to close '%s': %s", cfg.out, strerror(errno));
		err = 1;
	}
	if (cfg.stdout_json)
		fflush(stdout);
	if (skel && !err) {
		lost = lost_events(skel);
		fprintf(stderr, "retis: %llu events written to %s%s, %llu events dropped by kernel\n",
			(unsigned long long)n_events, cfg.out, oo.rotate_limit ? ".*" : "", (unsigned long long)lost);
		if (cfg.summary_json) {
			struct bpf_prog_info info;
			uint64_t run_ns = 0, run_cnt = 0;
			__u32 len;
			struct rusage ru;

			for (i = 0; i < cfg.nprobes; i++) {
				memset(&info, 0, sizeof(info));
				len = sizeof(info);
				if (!bpf_obj_get_info_by_fd(bpf_program__fd(progs[i]), &info, &len)) {
					run_ns += info.run_time_ns;
					run_cnt += info.run_cnt;
				}
			}
			/* the collection's CPU time, setup excluded (BTF, verifier, symbols) */
			getrusage(RUSAGE_SELF, &ru);
			fprintf(stderr,
				"{\"events\":%llu,\"lost\":%llu,\"filtered\":%llu,\"prog_run_cnt\":%llu,\"prog_run_time_ns\":%llu,"
				"\"cpu_user_us\":%llu,\"cpu_sys_us\":%llu}\n",
				(unsigned long long)n_events, (unsigned long long)lost, (unsigned long long)n_filtered,
				(unsigned long long)run_cnt, (unsigned long long)run_ns,
				(unsigned long long)(usec(&ru.ru_utime) - usec(&ru_start.ru_utime)),
				(unsigned long long)(usec(&ru.ru_stime) - usec(&ru_start.ru_stime)));
		}
	}
	ring_buffer__free(rb);
	skb_tp_bpf__destroy(skel);
	return err;
}

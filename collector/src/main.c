// SPDX-License-Identifier: GPL-2.0
/*
 * retis-collector: loads the skb tracepoint hook on the probes asked for, and writes every event as a
 * Retis JSON line. Flat as libbpf-bootstrap: args → open → configure → load → attach → poll → cleanup.
 * Errors are one line on stderr ("retis: ...") and a non-zero exit (2 for bad usage).
 *
 * Once every probe is attached it prints the line "retis-collector: attached" on stderr: `retis collect`
 * waits for it (e.g. before running --cmd).
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

/* What a run decided and counted, shared by the steps below and the ring-buffer callback. */
static struct {
	bool raw;		/* raw_tp programs instead of tp_btf */
	bool pkt_filter;	/* -f given */
	bool kernel_filter;	/* -f runs in the kernel: nothing left to do here */
	bool track_frees;	/* the slab hooks end tracking entries (needed by filters and skb-tracking) */
	uint32_t collectors;	/* what the formatter writes */
	uint64_t events;	/* events handed to the writer */
	uint64_t filtered;	/* dropped here by the user-space packet filter */
	uint64_t drops;		/* events written with an skb-drop section (packets the kernel dropped) */
	uint64_t refused;	/* events collected after a write error: counted by the writer, never written */
	int write_err;
	struct buf line;
	struct bpf_program *progs[PROBE_SLOTS];
	struct bpf_link *links[PROBE_SLOTS + 4];
	size_t nlinks;
	struct rusage ru_start;
} run;

static volatile sig_atomic_t exiting;

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
	int err;

	if (parse_event(data, size, &ev))
		return 0;
	if (run.pkt_filter && !run.kernel_filter && !filter_pass(&ev)) {
		run.filtered++;
		return 0;
	}
	run.line.len = 0;
	format_event(&run.line, &ev, cfg.probes, cfg.nprobes, run.collectors);
	err = output_line(run.line.p, run.line.len);
	if (err && run.write_err) {
		/* after a write error: the writer counted the event as not written; --stop-after still counts it */
		run.refused++;
		if (cfg.stop_after && run.events + run.refused >= cfg.stop_after) {
			exiting = 1;
			return -ECANCELED;
		}
		return 0;
	}
	if (err) {
		/* stop consuming: the caller reports and stops */
		run.write_err = err;
		return err;
	}
	if (cfg.stdout_json)
		fwrite(run.line.p, 1, run.line.len, stdout);
	run.events++;
	if (ev.drop && (run.collectors & COLLECT_DROP))
		run.drops++;
	if (cfg.stop_after && run.events >= cfg.stop_after) {
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

/*
 * Loading and attaching tracing programs takes CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN, which implies
 * both); root with its capabilities dropped has neither. The effective set, as /proc says.
 */
static bool can_load_bpf(void)
{
	unsigned long long eff = 0;
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return geteuid() == 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			found = true;
			break;
		}
	fclose(f);
	if (!found)
		return geteuid() == 0;
	return (eff >> 21 & 1) || ((eff >> 38 & 1) && (eff >> 39 & 1));
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

/*
 * Everything the command line asks for, checked before anything is loaded: probes against BTF, the
 * filters compiled. Returns an exit code, or -1 to go on.
 */
static int setup(int argc, char **argv, struct output_opts *oo)
{
	const char *probe_args[PROBE_SLOTS];
	size_t nprobe_args = 0, i;
	char err[512];

	if (parse_args(argc, argv, probe_args, &nprobe_args))
		return 2;
	/* run by `retis collect`: if it dies, stop cleanly (SIGTERM drains and closes the file) */
	if (cfg.die_with_parent && (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() == 1))
		exiting = 1;
	if (cfg.rotate && parse_rotate_limit(cfg.rotate, &oo->rotate_limit)) {
		fail("invalid --out-rotate '%s': expected a size such as 64MB or 1GB", cfg.rotate);
		return 2;
	}
	if (cfg.rotate_count && !cfg.rotate) {
		fail("--out-rotate-count needs --out-rotate");
		return 2;
	}
	oo->rotate_count = cfg.rotate_count;
	oo->path = cfg.out;
	oo->cmdline = cfg.cmdline ?: default_cmdline(argc, argv);
	if (cfg.filter && filter_compile(cfg.filter, err, sizeof(err))) {
		fail("invalid packet filter '%s': %s", cfg.filter, err);
		return 2;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) || btf_open()) {
		fail("the kernel exposes no BTF (/sys/kernel/btf/vmlinux): CO-RE probes cannot run here");
		return 1;
	}
	if (cfg.filter_meta && meta_filter_compile(cfg.filter_meta, err, sizeof(err))) {
		fail("invalid meta filter '%s': %s", cfg.filter_meta, err);
		return 2;
	}
	if (cfg.inspect)
		return tp_list(cfg.inspect);
	if (!can_load_bpf()) {
		fail("collecting needs root, or the capabilities CAP_BPF and CAP_PERFMON: run as root, e.g. with sudo");
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

	/* the skb collector's "dev" and "ns" sections are the dev and ns collectors' */
	run.collectors = cfg.collectors;
	if (cfg.collectors & COLLECT_SKB) {
		if (cfg.skb_sections & SKB_SECTION_DEV)
			run.collectors |= COLLECT_DEV;
		if (cfg.skb_sections & SKB_SECTION_NS)
			run.collectors |= COLLECT_NS;
	}
	run.pkt_filter = cfg.filter != NULL;
	/* --raw-tp: the fallback family, chosen up front (tests exercise it on kernels where tp_btf works) */
	run.raw = cfg.raw_tp;
	if (run.pkt_filter) {
		const void *insns;

		run.kernel_filter = !cfg.user_filter && filter_insns(&insns) <= FILTER_MAX_INSNS;
	}
	run.track_frees = run.pkt_filter || cfg.filter_meta || cfg.nnetns || cfg.nifindex ||
			  (cfg.collectors & COLLECT_TRACKING);
	return -1;
}

/* The BPF settings and which programs load, for the family (tp_btf or raw_tp) in run.raw. */
static int configure(struct skb_tp_bpf *skel)
{
	struct bpf_program *tp[PROBE_SLOTS] = {
		skel->progs.tp_slot0, skel->progs.tp_slot1, skel->progs.tp_slot2, skel->progs.tp_slot3,
		skel->progs.tp_slot4, skel->progs.tp_slot5, skel->progs.tp_slot6, skel->progs.tp_slot7,
	};
	struct bpf_program *raw[PROBE_SLOTS] = {
		skel->progs.raw_slot0, skel->progs.raw_slot1, skel->progs.raw_slot2, skel->progs.raw_slot3,
		skel->progs.raw_slot4, skel->progs.raw_slot5, skel->progs.raw_slot6, skel->progs.raw_slot7,
	};
	bool consume_probe = find_probe("consume_skb"), kfree_probe = find_probe("kfree_skb");
	struct bpf_program *prog;
	size_t i;

	/* the packet filter needs the packet bytes, and tracking, even when they are not written */
	skel->rodata->collectors = run.collectors | (run.pkt_filter ? COLLECT_PACKET | COLLECT_TRACKING : 0);
	skel->rodata->skb_sections = cfg.skb_sections;
	skel->rodata->filter_netns = cfg.nnetns > 0;
	skel->rodata->filter_ifindex = cfg.nifindex > 0;
	skel->rodata->filter_packet = run.kernel_filter;
	skel->rodata->filter_meta = cfg.filter_meta != NULL;

	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, false);
	for (i = 0; i < cfg.nprobes; i++) {
		const struct probe *p = &cfg.probes[i];

		run.progs[i] = run.raw ? raw[i] : tp[i];
		skel->rodata->slot_arg[i] = p->skb_arg;
		skel->rodata->slot_stack[i] = p->stack;
		skel->rodata->slot_drop[i] = p->drop;
		skel->rodata->slot_free[i] = p->frees;
		skel->rodata->slot_rx[i] = p->rx;
		skel->rodata->slot_rx_core[i] = p->rx_core;
		bpf_program__set_autoload(run.progs[i], true);
		if (!run.raw && bpf_program__set_attach_target(run.progs[i], 0, p->name)) {
			fail("Failed to target tracepoint %s", p->symbol);
			return -EINVAL;
		}
	}
	/* frees that are not probes still end the tracking of their skb */
	bpf_program__set_autoload(run.raw ? skel->progs.raw_consume : skel->progs.tp_consume, !consume_probe);
	bpf_program__set_autoload(run.raw ? skel->progs.raw_kfree : skel->progs.tp_kfree, !kfree_probe);
	bpf_program__set_autoload(run.raw ? skel->progs.raw_kmem_kfree : skel->progs.tp_kmem_kfree, run.track_frees);
	bpf_program__set_autoload(run.raw ? skel->progs.raw_kmem_cache_free : skel->progs.tp_kmem_cache_free,
				  run.track_frees);
	return 0;
}

/*
 * Open, configure and load; on a kernel that refuses, fall back: BTF-typed tracepoints to raw ones, then
 * the in-kernel packet filter (bpf_loop, 5.17) to libpcap in user space.
 */
static struct skb_tp_bpf *load(void)
{
	struct skb_tp_bpf *skel;
	int err;

	for (;;) {
		skel = skb_tp_bpf__open();
		if (!skel) {
			fail("Failed to open the BPF object: %s", strerror(errno));
			return NULL;
		}
		if (configure(skel)) {
			skb_tp_bpf__destroy(skel);
			return NULL;
		}
		if (!skb_tp_bpf__load(skel))
			return skel;
		err = errno;
		skb_tp_bpf__destroy(skel);
		if (!run.raw) {
			run.raw = true;
		} else if (run.kernel_filter && !cfg.filter_meta) {
			run.kernel_filter = false;
			run.raw = cfg.raw_tp;
		} else {
			fail("Failed to load the BPF programs: %s (run with -v for the verifier's log)", strerror(err));
			return NULL;
		}
	}
}

/* The filters' tables, once the maps exist. */
static int fill_maps(struct skb_tp_bpf *skel)
{
	uint32_t zero = 0;
	uint8_t one = 1;
	size_t i;

	if (run.kernel_filter) {
		static struct filter_prog fp;
		const void *insns;

		fp.len = filter_insns(&insns);
		memcpy(fp.insns, insns, fp.len * sizeof(fp.insns[0]));
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.filter_prog), &zero, &fp, BPF_ANY)) {
			fail("Failed to load the packet filter: %s", strerror(errno));
			return -errno;
		}
	}
	if (cfg.filter_meta &&
	    bpf_map_update_elem(bpf_map__fd(skel->maps.meta_prog), &zero, meta_filter_prog(), BPF_ANY)) {
		fail("Failed to load the meta filter: %s", strerror(errno));
		return -errno;
	}
	for (i = 0; i < cfg.nnetns; i++)
		bpf_map_update_elem(bpf_map__fd(skel->maps.netns_allow), &cfg.netns[i], &one, BPF_ANY);
	for (i = 0; i < cfg.nifindex; i++)
		bpf_map_update_elem(bpf_map__fd(skel->maps.ifindex_allow), &cfg.ifindex[i], &one, BPF_ANY);
	return 0;
}

static struct bpf_link *attach_one(struct bpf_program *prog, const char *tp)
{
	return run.raw ? bpf_program__attach_raw_tracepoint(prog, tp) : bpf_program__attach(prog);
}

/* Probes that cannot attach are reported and skipped, as long as one works. */
static int attach(struct skb_tp_bpf *skel)
{
	size_t i, attached = 0;

	/* the tracking hooks first, so that no probe hit sees a head whose free went unseen */
	if (run.track_frees) {
		run.links[run.nlinks] = attach_one(run.raw ? skel->progs.raw_kmem_kfree : skel->progs.tp_kmem_kfree,
						   "kfree");
		if (run.links[run.nlinks])
			run.nlinks++;
		run.links[run.nlinks] = attach_one(run.raw ? skel->progs.raw_kmem_cache_free
							   : skel->progs.tp_kmem_cache_free, "kmem_cache_free");
		if (run.links[run.nlinks])
			run.nlinks++;
	}
	if (!find_probe("consume_skb")) {
		run.links[run.nlinks] = attach_one(run.raw ? skel->progs.raw_consume : skel->progs.tp_consume,
						   "consume_skb");
		if (run.links[run.nlinks])
			run.nlinks++;
	}
	if (!find_probe("kfree_skb")) {
		run.links[run.nlinks] = attach_one(run.raw ? skel->progs.raw_kfree : skel->progs.tp_kfree, "kfree_skb");
		if (run.links[run.nlinks])
			run.nlinks++;
	}
	for (i = 0; i < cfg.nprobes; i++) {
		struct bpf_link *l = attach_one(run.progs[i], cfg.probes[i].name);

		if (!l) {
			fprintf(stderr, "retis: warning: could not attach %s: %s\n", cfg.probes[i].symbol,
				strerror(errno));
			continue;
		}
		run.links[run.nlinks++] = l;
		attached++;
	}
	if (!attached) {
		fail("Failed to attach any probe");
		return -ENOENT;
	}
	return 0;
}

static void detach(void)
{
	while (run.nlinks)
		bpf_link__destroy(run.links[--run.nlinks]);
}

/* Symbols once the programs are loaded, so that their own frames are known (and skipped). */
static int load_symbols(void)
{
	size_t i;

	for (i = 0; i < cfg.nprobes; i++)
		if (cfg.probes[i].stack)
			return ksyms_load();
	return 0;
}

static void progress(struct skb_tp_bpf *skel, double *last)
{
	if (cfg.stdout_json || !isatty(2) || now_s() - *last < 1)
		return;
	*last = now_s();
	fprintf(stderr, "\r%llu events, %llu dropped by kernel", (unsigned long long)run.events,
		(unsigned long long)lost_events(skel));
}

/*
 * --status-fd: one JSON line of counters, for a program driving the collector (retis's collect() shows
 * them live). Written whole with one write(); a reader that went away only ends the status lines.
 */
static void status(struct skb_tp_bpf *skel, double *last, bool final)
{
	char line[256];
	int n;

	if (cfg.status_fd < 0 || (!final && now_s() - *last < 0.25))
		return;
	*last = now_s();
	n = snprintf(line, sizeof(line),
		     "{\"events\":%llu,\"drops\":%llu,\"lost\":%llu,\"not_written\":%llu,\"filtered\":%llu,\"final\":%s}\n",
		     (unsigned long long)run.events, (unsigned long long)run.drops,
		     (unsigned long long)lost_events(skel), (unsigned long long)output_lost(),
		     (unsigned long long)run.filtered, final ? "true" : "false");
	if (write(cfg.status_fd, line, n) != n)
		cfg.status_fd = -1;
}

/*
 * The write error is said when it happens; collecting goes on until a signal, --timeout, --stop-after or
 * --cmd's end as usual, every later event counted as not written, so the end summary accounts for them all.
 */
static void say_write_error(void)
{
	fail("Failed to write '%s': %s; writing stopped after the last complete event", cfg.out,
	     strerror(-run.write_err));
}

/* Until a signal, --timeout or --stop-after; then what the probes already wrote. */
static int poll_events(struct skb_tp_bpf *skel, struct ring_buffer *rb)
{
	double start = now_s(), last = 0, last_status = 0;
	bool said = false;
	int n = 0;

	while (!exiting) {
		n = ring_buffer__poll(rb, 10);
		/* no wakeups below the threshold: poll only sleeps, consume drains */
		if (n >= 0)
			n = ring_buffer__consume(rb);
		if (n < 0 && n != -EINTR && n != -ECANCELED && !run.write_err) {
			fail("Failed to read events: %s", strerror(-n));
			return n;
		}
		if (cfg.stdout_json)
			fflush(stdout);
		/* whole lines reach the file every round (~10 ms), so that a reader can follow it */
		if (!run.write_err)
			run.write_err = output_flush();
		if (run.write_err && !said) {
			said = true;
			if (last)
				fputc('\n', stderr);
			say_write_error();
		}
		if (cfg.timeout && now_s() - start >= cfg.timeout)
			break;
		progress(skel, &last);
		status(skel, &last_status, false);
	}
	if (last)
		fputc('\n', stderr);
	/* detach first, then drain what the probes already wrote */
	detach();
	if (!run.write_err && !(cfg.stop_after && run.events >= cfg.stop_after))
		ring_buffer__consume(rb);
	if (!run.write_err)
		run.write_err = output_flush();
	if (run.write_err && !said)
		say_write_error();
	return 0;
}

/* Events the ring buffer still holds after a write error: collected, never written (the writer counts them). */
static void count_left(struct ring_buffer *rb)
{
	while (ring_buffer__consume(rb) > 0)
		;
}

/*
 * Runs the kernel skipped because the same program was already running on that CPU (an interrupt in the
 * middle of it): for probes, events never produced; for the tracking hooks, frees not seen.
 */
static int prog_info(struct bpf_program *prog, struct bpf_prog_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	if (bpf_program__fd(prog) < 0 || bpf_obj_get_info_by_fd(bpf_program__fd(prog), info, &len))
		return -1;
	return 0;
}

static void summary(struct skb_tp_bpf *skel, const struct output_opts *oo)
{
	uint64_t lost = lost_events(skel), run_ns = 0, run_cnt = 0, missed = 0;
	uint64_t hook_ns = 0, hook_cnt = 0, hook_missed = 0;
	struct bpf_program *prog;
	struct bpf_prog_info info;
	struct rusage ru;
	size_t i;

	/* the probes, then the tracking hooks (every other program: frees, slab) */
	for (i = 0; i < cfg.nprobes; i++) {
		if (prog_info(run.progs[i], &info))
			continue;
		run_ns += info.run_time_ns;
		run_cnt += info.run_cnt;
		missed += info.recursion_misses;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		if (prog_info(prog, &info))
			continue;
		hook_ns += info.run_time_ns;
		hook_cnt += info.run_cnt;
		hook_missed += info.recursion_misses;
	}
	hook_ns -= run_ns;
	hook_cnt -= run_cnt;
	hook_missed -= missed;

	if (run.write_err)
		fprintf(stderr, "retis: %llu events written to %s, %llu events not written, %llu events dropped by kernel\n",
			(unsigned long long)output_written(), cfg.out, (unsigned long long)output_lost(),
			(unsigned long long)lost);
	else
		fprintf(stderr, "retis: %llu events written to %s%s, %llu events dropped by kernel\n",
			(unsigned long long)run.events, cfg.out, oo->rotate_limit ? ".*" : "", (unsigned long long)lost);
	if (missed)
		fprintf(stderr, "retis: %llu probe hits missed by the kernel (the probe was already running on that CPU)\n",
			(unsigned long long)missed);
	if (!cfg.summary_json)
		return;
	/* the collection's CPU time, setup excluded (BTF, verifier, symbols) */
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
		"{\"events\":%llu,\"lost\":%llu,\"missed\":%llu,\"not_written\":%llu,\"filtered\":%llu,"
		"\"prog_run_cnt\":%llu,\"prog_run_time_ns\":%llu,\"hook_run_cnt\":%llu,\"hook_run_time_ns\":%llu,"
		"\"hook_missed\":%llu,\"cpu_user_us\":%llu,\"cpu_sys_us\":%llu}\n",
		(unsigned long long)run.events, (unsigned long long)lost, (unsigned long long)missed,
		(unsigned long long)output_lost(), (unsigned long long)run.filtered, (unsigned long long)run_cnt,
		(unsigned long long)run_ns, (unsigned long long)hook_cnt, (unsigned long long)hook_ns,
		(unsigned long long)hook_missed,
		(unsigned long long)(usec(&ru.ru_utime) - usec(&run.ru_start.ru_utime)),
		(unsigned long long)(usec(&ru.ru_stime) - usec(&run.ru_start.ru_stime)));
}

int main(int argc, char **argv)
{
	struct skb_tp_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct output_opts oo = {};
	bool out_open = false;
	int err;

	libbpf_set_print(libbpf_print);
	/* a stop request during setup is honoured once collection starts: the loop sees it */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	/* a closed stdout (--stdout-json) is a write error, not a silent death */
	signal(SIGPIPE, SIG_IGN);

	/* arguments */
	err = setup(argc, argv, &oo);
	if (err >= 0)
		return err;
	err = 1;

	/* open, configure, load */
	skel = load();
	if (!skel || fill_maps(skel))
		goto cleanup;
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

	/* attach */
	if (attach(skel))
		goto cleanup;
	if (load_symbols()) {
		fail("Failed to read /proc/kallsyms for stack traces");
		goto cleanup;
	}
	fprintf(stderr, "retis-collector: attached\n");
	fprintf(stderr, "retis: collecting events with %zu probes (%s%s), writing %s; Ctrl-C to stop\n",
		cfg.nprobes, run.raw ? "raw_tp" : "tp_btf",
		run.pkt_filter ? (run.kernel_filter ? ", packet filter in kernel" : ", packet filter in user space") : "",
		cfg.out);

	/* poll */
	getrusage(RUSAGE_SELF, &run.ru_start);
	if (poll_events(skel, rb))
		goto cleanup;
	if (run.write_err) {
		count_left(rb);
	} else {
		err = 0;
	}

cleanup:
	detach();
	if (out_open && output_close() && !err && !run.write_err) {
		fail("Failed to close '%s': %s", cfg.out, strerror(errno));
		err = 1;
	}
	if (cfg.stdout_json)
		fflush(stdout);
	if (skel && (!err || run.write_err))
		summary(skel, &oo);
	if (skel && out_open) {
		double last = 0;

		status(skel, &last, true);
	}
	ring_buffer__free(rb);
	skb_tp_bpf__destroy(skel);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * retis-pktgen: sends UDP datagrams at a paced rate (or as fast as it can) and reports what it sent and the
 * CPU it used. On a veth pair the receiving side runs in the sender's softirq, so the sender's CPU time per
 * packet includes the whole kernel path, probes included: what the collector benchmark compares.
 *
 * usage: retis-pktgen DST_IP PORT RATE_PPS SECONDS [PAYLOAD_BYTES]   (RATE_PPS 0 = unpaced)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define BATCH 16

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	char payload[1500] = "retis-pktgen";
	unsigned long long sent = 0, failed = 0;
	double rate, seconds, start, elapsed;
	struct rusage ru;
	size_t len = 64;
	int fd, i;

	if (argc < 5 || inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: retis-pktgen DST_IP PORT RATE_PPS SECONDS [PAYLOAD_BYTES]\n");
		return 2;
	}
	dst.sin_port = htons(atoi(argv[2]));
	rate = atof(argv[3]);
	seconds = atof(argv[4]);
	if (argc > 5)
		len = atoi(argv[5]);
	if (len > sizeof(payload))
		len = sizeof(payload);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
		perror("retis-pktgen: socket");
		return 1;
	}
	iov.iov_base = payload;
	iov.iov_len = len;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	start = now_s();
	while ((elapsed = now_s() - start) < seconds) {
		unsigned long long due = rate > 0 ? (unsigned long long)(elapsed * rate) : sent + BATCH;
		int n, r;

		if (due <= sent) {
			/* ahead of schedule: sleep a fraction of a batch period */
			struct timespec ts = { 0, rate > 0 ? (long)(BATCH / rate * 1e9 / 4) : 0 };

			nanosleep(&ts, NULL);
			continue;
		}
		n = due - sent > BATCH ? BATCH : due - sent;
		r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			failed++;
			r = n; /* e.g. ECONNREFUSED from an ICMP error: the packets still went out */
		}
		sent += r;
	}
	elapsed = now_s() - start;
	getrusage(RUSAGE_SELF, &ru);
	printf("{\"sent\":%llu,\"seconds\":%.6f,\"pps\":%.1f,\"send_errors\":%llu,\"cpu_user_us\":%lld,\"cpu_sys_us\":%lld}\n",
	       sent, elapsed, sent / elapsed, failed,
	       (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
	       (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec);
	return 0;
}

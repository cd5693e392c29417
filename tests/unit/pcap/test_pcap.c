/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap tests (TAP): option and open errors (no port, no fd left),
 * a tx_pcap -> rx_pcap round trip byte for byte (frames of 60..1514
 * bytes and 9000-byte chains, nanosecond file), exact stats, restart
 * replays from the start, infinite_rx wraps, several queues, the file read
 * by tcpdump (and tshark when installed), a file written by tcpdump
 * replayed, and live capture/injection across a veth pair in a private
 * network namespace.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vfn_ethdev.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_vdev.h"
#include "vfn_frames.h"
#include "vfn_netns.h"
#include "vfn_tap.h"

#define NB_FRAMES 1000u
static const uint8_t dst_mac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
static char dir[64];
static struct vfn_mempool *pool, *small_pool;

static uint32_t frame_len(uint32_t seq)
{
	if (seq % 100 == 99)
		return 9000;
	return 60 + (seq * 37) % 1455;
}

static void cleanup(void)
{
	char cmd[128];

	if (dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			tap_diag("cannot remove %s", dir);
	}
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the DIR's own */
}

static int port_of(const char *name)
{
	uint16_t id;

	return vfn_eth_dev_get_port_by_name(name, &id) ? -1 : id;
}

/* Create, configure (nq queues each way), set up and start @name. */
static int port_up(const char *name, const char *args, uint16_t nrx,
		   uint16_t ntx, struct vfn_mempool *mp)
{
	int ret = vfn_vdev_init(name, args), pid;
	uint16_t q;

	if (ret)
		return ret;
	pid = port_of(name);
	ret = vfn_eth_dev_configure((uint16_t)pid, nrx, ntx, NULL);
	for (q = 0; !ret && q < nrx; q++)
		ret = vfn_eth_rx_queue_setup((uint16_t)pid, q, 256, -1, NULL, mp);
	for (q = 0; !ret && q < ntx; q++)
		ret = vfn_eth_tx_queue_setup((uint16_t)pid, q, 256, -1, NULL);
	if (!ret)
		ret = vfn_eth_dev_start((uint16_t)pid);
	if (ret) {
		vfn_vdev_uninit(name);
		return ret;
	}
	return pid;
}

/* Frame (stream, seq) in an mbuf chain of segments of at most 2000 bytes. */
static struct vfn_mbuf *make_frame(uint32_t stream, uint32_t seq)
{
	static uint8_t buf[9000];
	uint32_t len = frame_len(seq), off = 0;
	struct vfn_mbuf *head = NULL, *last = NULL;

	vfn_frame_build(buf, len, dst_mac, stream, seq);
	while (off < len) {
		struct vfn_mbuf *m = vfn_pktmbuf_alloc(pool);
		uint32_t chunk = len - off < 2000 ? len - off : 2000;

		if (!m) {
			vfn_pktmbuf_free(head);
			return NULL;
		}
		memcpy(vfn_pktmbuf_append(m, (uint16_t)chunk), buf + off, chunk);
		off += chunk;
		if (!head) {
			head = m;
		} else {
			last->next = m;
			head->nb_segs++;
			head->pkt_len += chunk;
		}
		last = m;
	}
	return head;
}

/* Whether @m is exactly frame (stream, seq). */
static int frame_is(struct vfn_mbuf *m, uint32_t stream, uint32_t seq)
{
	static uint8_t got[9000], want[9000];
	uint32_t len = frame_len(seq), off = 0;
	struct vfn_mbuf *s;

	if (m->pkt_len != len)
		return 0;
	for (s = m; s; s = s->next) {
		if (off + s->data_len > sizeof(got))
			return 0;
		memcpy(got + off, vfn_pktmbuf_mtod(s, void *), s->data_len);
		off += s->data_len;
	}
	vfn_frame_build(want, len, dst_mac, stream, seq);
	return off == len && memcmp(got, want, len) == 0;
}

static uint64_t total_bytes(uint32_t n)
{
	uint64_t b = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		b += frame_len(i);
	return b;
}

/* Send frames 0..n-1 of @stream on (pid, q) in bursts of 32. */
static uint32_t send_frames(int pid, uint16_t q, uint32_t stream, uint32_t n)
{
	struct vfn_mbuf *b[32];
	uint32_t seq = 0, sent = 0;

	while (seq < n) {
		uint16_t k = 0, got;

		while (k < 32 && seq < n) {
			b[k] = make_frame(stream, seq++);
			if (!b[k])
				return sent;
			k++;
		}
		got = vfn_eth_tx_burst((uint16_t)pid, q, b, k);
		sent += got;
		if (got < k)
			vfn_pktmbuf_free_bulk(b + got, k - got);
	}
	return sent;
}

/*
 * Receive on (pid, q) until @want frames came or @idle_ms passed with
 * nothing; check they are frames (stream, first..) in order, seq modulo
 * @wrap.  @return frames in order (stops counting at the first wrong one).
 */
static uint32_t recv_frames(int pid, uint16_t q, uint32_t stream,
			    uint32_t want, uint32_t wrap, int idle_ms,
			    uint32_t *other)
{
	struct vfn_mbuf *b[32];
	uint32_t good = 0, bad = 0, i;
	int idle = 0;

	*other = 0;
	while (good + bad < want && idle < idle_ms) {
		uint32_t left = want - good - bad;
		uint16_t n = vfn_eth_rx_burst((uint16_t)pid, q, b,
					      left < 32 ? (uint16_t)left : 32);

		if (!n) {
			usleep(1000);
			idle++;
			continue;
		}
		idle = 0;
		for (i = 0; i < n; i++) {
			uint8_t hdr[VFN_FRAME_HDR];
			const void *p = vfn_pktmbuf_read(b[i], 0, sizeof(hdr),
							 hdr);

			if (b[i]->pkt_len < VFN_FRAME_MIN || !p ||
			    ((const uint8_t *)p)[12] != 0x88 ||
			    ((const uint8_t *)p)[13] != 0xb5) {
				(*other)++;
			} else if (!bad && frame_is(b[i], stream,
						    (good % wrap))) {
				good++;
			} else {
				if (!bad++)
					tap_diag("first unexpected frame: %u "
						 "bytes after %u good", b[i]->pkt_len,
						 good);
			}
			vfn_pktmbuf_free(b[i]);
		}
	}
	return good;
}

static void test_errors(void)
{
	char path[128], args[256];
	FILE *f;
	int fds = count_fds();

	TAP_EQ(vfn_vdev_init("net_pcap0", "rx_pcap=/nonexistent/x.pcap"),
	       -ENOENT, "rx_pcap= of a missing file: -ENOENT");
	snprintf(path, sizeof(path), "%s/text.pcap", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("this is not a capture file, it is text\n", f);
		fclose(f);
	}
	snprintf(args, sizeof(args), "rx_pcap=%s", path);
	TAP_EQ(vfn_vdev_init("net_pcap0", args), -EINVAL,
	       "rx_pcap= of a text file: -EINVAL (not a pcap file)");
	TAP_EQ(vfn_vdev_init("net_pcap0", "tx_pcap=/nonexistent/out.pcap"),
	       -EACCES, "tx_pcap= in a missing directory: -EACCES");
	TAP_EQ(vfn_vdev_init("net_pcap0", "bogus=1"), -EINVAL, "unknown key");
	TAP_EQ(vfn_vdev_init("net_pcap0", "infinite_rx=1"), -EINVAL,
	       "infinite_rx=1 without a file");
	TAP_EQ(vfn_vdev_init("net_pcap0", "infinite_rx=2"), -EINVAL,
	       "infinite_rx=2");
	TAP_EQ(vfn_vdev_init("net_pcap0", "iface=lo,rx_pcap=/x"), -EINVAL,
	       "iface= with another source");
	TAP_EQ(vfn_vdev_init("net_pcap0", "rx_pcap="), -EINVAL,
	       "rx_pcap= without a path");
	TAP_EQ(vfn_eth_dev_count_avail(), 0, "no port left by failed probes");
	TAP_EQ(count_fds(), fds, "no file descriptor left by failed probes");
}

static void test_round_trip(void)
{
	char out[128], args[256];
	struct vfn_eth_stats st;
	uint32_t other, got;
	uint8_t magic[4] = { 0 };
	FILE *f;
	int tx, rx, fds = count_fds();

	snprintf(out, sizeof(out), "%s/out.pcap", dir);
	snprintf(args, sizeof(args), "tx_pcap=%s", out);
	tx = port_up("net_pcap1", args, 1, 1, pool);
	if (!TAP_CHECK(tx >= 0, "tx_pcap port up (%d)", tx))
		return;
	TAP_EQ(send_frames(tx, 0, 1, NB_FRAMES), NB_FRAMES,
	       "%u frames sent to the file", NB_FRAMES);
	vfn_eth_stats_get((uint16_t)tx, &st);
	TAP_EQ(st.opackets, NB_FRAMES, "opackets exact");
	TAP_EQ(st.obytes, total_bytes(NB_FRAMES), "obytes exact");
	TAP_EQ(st.oerrors, 0, "no oerrors");
	TAP_EQ(vfn_eth_dev_stop((uint16_t)tx), 0, "stop flushes the file");
	TAP_EQ(vfn_vdev_uninit("net_pcap1"), 0, "close the tx port");

	f = fopen(out, "rb");
	if (f) {
		if (fread(magic, 1, 4, f) != 4)
			memset(magic, 0, 4);
		fclose(f);
	}
	/* pcap's nanosecond magic 0xa1b23c4d, in host (little) order */
	TAP_CHECK(magic[0] == 0x4d && magic[1] == 0x3c && magic[2] == 0xb2 &&
		  magic[3] == 0xa1, "file has nanosecond timestamps");

	snprintf(args, sizeof(args), "rx_pcap=%s", out);
	/* 2048-byte mbufs: the 9000-byte frames arrive as chains. */
	rx = port_up("net_pcap2", args, 1, 1, small_pool);
	if (!TAP_CHECK(rx >= 0, "rx_pcap port up (%d)", rx))
		return;
	got = recv_frames(rx, 0, 1, NB_FRAMES, UINT32_MAX, 50, &other);
	TAP_EQ(got, NB_FRAMES, "every frame read back byte-identical, in order");
	TAP_EQ(other, 0, "nothing else in the file");
	TAP_EQ(recv_frames(rx, 0, 1, 1, UINT32_MAX, 5, &other), 0,
	       "nothing after the end of the file");
	vfn_eth_stats_get((uint16_t)rx, &st);
	TAP_EQ(st.ipackets, NB_FRAMES, "ipackets exact");
	TAP_EQ(st.ibytes, total_bytes(NB_FRAMES), "ibytes exact");
	TAP_EQ(st.ierrors + st.rx_nombuf, 0, "no rx errors");
	/* Restart: the file is replayed from its first packet. */
	TAP_EQ(vfn_eth_dev_stop((uint16_t)rx), 0, "stop");
	TAP_EQ(vfn_eth_dev_start((uint16_t)rx), 0, "start again");
	TAP_EQ(recv_frames(rx, 0, 1, NB_FRAMES, UINT32_MAX, 50, &other),
	       NB_FRAMES, "restart replays the whole file");
	vfn_eth_stats_get((uint16_t)rx, &st);
	TAP_EQ(st.ipackets, 2 * NB_FRAMES, "ipackets count both replays");
	TAP_EQ(vfn_vdev_uninit("net_pcap2"), 0, "close the rx port");
	TAP_EQ(count_fds(), fds, "no file descriptor left after close");
}

static void test_tools(void)
{
	char cmd[512], f2[128], args[256];
	uint32_t other;
	int rx, n = -1;
	FILE *p;

	if (vfn_netns_sh("command -v tcpdump") != 0) {
		TAP_SKIP("tcpdump not installed (tools/setup-deps)",
			 "tcpdump reads the file");
		TAP_SKIP("tcpdump not installed", "a tcpdump file replays");
		return;
	}
	snprintf(cmd, sizeof(cmd), "tcpdump -ttnr %s/out.pcap 2>/dev/null | grep -c '^[0-9]'",
		 dir);
	p = popen(cmd, "r");
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	TAP_EQ(n, NB_FRAMES, "tcpdump -r reads %u packets", NB_FRAMES);
	if (vfn_netns_sh("command -v tshark") == 0) {
		snprintf(cmd, sizeof(cmd),
			 "tshark -r %s/out.pcap 2>/dev/null | wc -l", dir);
		p = popen(cmd, "r");
		n = -1;
		if (p) {
			if (fscanf(p, "%d", &n) != 1)
				n = -1;
			pclose(p);
		}
		TAP_EQ(n, NB_FRAMES, "tshark -r reads %u packets", NB_FRAMES);
		snprintf(cmd, sizeof(cmd), "tshark -r %s/out.pcap -T fields "
			 "-e frame.len 2>/dev/null | awk '{s += $1} END {print s}'",
			 dir);
		p = popen(cmd, "r");
		n = -1;
		if (p) {
			if (fscanf(p, "%d", &n) != 1)
				n = -1;
			pclose(p);
		}
		TAP_EQ(n, total_bytes(NB_FRAMES), "tshark sees every byte");
	} else {
		TAP_SKIP("tshark not installed", "tshark reads the file");
	}
	/* tcpdump writes a (microsecond) file of its own; vfnet replays it. */
	snprintf(f2, sizeof(f2), "%s/tcpdump.pcap", dir);
	snprintf(cmd, sizeof(cmd), "tcpdump -r %s/out.pcap -w %s", dir, f2);
	TAP_EQ(vfn_netns_sh(cmd), 0, "tcpdump -w writes a copy");
	snprintf(args, sizeof(args), "rx_pcap=%s", f2);
	rx = port_up("net_pcap3", args, 1, 1, pool);
	if (!TAP_CHECK(rx >= 0, "port on the tcpdump file up (%d)", rx))
		return;
	TAP_EQ(recv_frames(rx, 0, 1, NB_FRAMES, UINT32_MAX, 50, &other),
	       NB_FRAMES, "the tcpdump file replays byte-identical");
	vfn_vdev_uninit("net_pcap3");
}

static void test_infinite(void)
{
	char args[256];
	struct vfn_eth_stats st;
	uint32_t other;
	int rx, ret;

	snprintf(args, sizeof(args), "rx_pcap=%s/out.pcap,infinite_rx=1", dir);
	ret = port_up("net_pcap4", args, 1, 1, small_pool);
	TAP_EQ(ret, -EINVAL, "infinite_rx with 9000-byte packets and "
	       "2048-byte mbufs: start fails");
	TAP_EQ(vfn_eth_dev_count_avail(), 0, "and leaves no port");
	rx = port_up("net_pcap4", args, 1, 1, pool);
	if (!TAP_CHECK(rx >= 0, "infinite_rx port up (%d)", rx))
		return;
	TAP_EQ(recv_frames(rx, 0, 1, 3 * NB_FRAMES + 7, NB_FRAMES, 50, &other),
	       3 * NB_FRAMES + 7, "replay wraps around: 3 passes and 7 more, "
	       "in order");
	vfn_eth_stats_get((uint16_t)rx, &st);
	TAP_EQ(st.ipackets, 3 * NB_FRAMES + 7, "ipackets exact");
	TAP_EQ(st.ibytes, 3 * total_bytes(NB_FRAMES) + total_bytes(7),
	       "ibytes exact");
	vfn_vdev_uninit("net_pcap4");
}

static void test_multi_queue(void)
{
	char args[512];
	uint32_t other;
	int pid, rx;

	snprintf(args, sizeof(args), "tx_pcap=%s/q0.pcap,tx_pcap=%s/q1.pcap",
		 dir, dir);
	pid = port_up("net_pcap5", args, 1, 2, pool);
	if (!TAP_CHECK(pid >= 0, "two tx files (%d)", pid))
		return;
	TAP_EQ(vfn_eth_dev_configure((uint16_t)pid, 1, 3, NULL), -EBUSY,
	       "reconfigure while started: -EBUSY");
	TAP_EQ(send_frames(pid, 0, 10, 100), 100, "100 frames on queue 0");
	TAP_EQ(send_frames(pid, 1, 11, 200), 200, "200 frames on queue 1");
	vfn_vdev_uninit("net_pcap5");
	snprintf(args, sizeof(args), "rx_pcap=%s/q0.pcap,rx_pcap=%s/q1.pcap",
		 dir, dir);
	TAP_EQ(vfn_vdev_init("net_pcap6", args), 0, "two rx files");
	pid = port_of("net_pcap6");
	TAP_EQ(vfn_eth_dev_configure((uint16_t)pid, 3, 1, NULL), -EINVAL,
	       "3 rx queues for 2 files: -EINVAL");
	vfn_vdev_uninit("net_pcap6");
	rx = port_up("net_pcap6", args, 2, 1, pool);
	if (!TAP_CHECK(rx >= 0, "two rx files up (%d)", rx))
		return;
	TAP_EQ(recv_frames(rx, 1, 11, 200, UINT32_MAX, 50, &other), 200,
	       "queue 1 reads the second file");
	TAP_EQ(recv_frames(rx, 0, 10, 100, UINT32_MAX, 50, &other), 100,
	       "queue 0 reads the first file");
	vfn_vdev_uninit("net_pcap6");
}

/* phy_mac=1: the port's MAC is the interface's. */
static void test_phy_mac(void)
{
	struct vfn_ether_addr mac;
	char args[128];
	struct ifreq ifr;
	uint16_t pid;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "pcapv0");
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr) != 0)
		memset(ifr.ifr_hwaddr.sa_data, 0, 6);
	if (fd >= 0)
		close(fd);
	TAP_EQ(vfn_vdev_init("net_pcap10", "iface=pcapv0,phy_mac=1"), 0,
	       "iface=,phy_mac=1");
	memset(&mac, 0, sizeof(mac));
	if (vfn_eth_dev_get_port_by_name("net_pcap10", &pid) == 0)
		vfn_eth_macaddr_get(pid, &mac);
	TAP_CHECK(memcmp(mac.addr_bytes, ifr.ifr_hwaddr.sa_data, 6) == 0,
		  "the port has the MAC of pcapv0");
	vfn_vdev_uninit("net_pcap10");
	snprintf(args, sizeof(args), "tx_pcap=%s/mac.pcap,phy_mac=1", dir);
	TAP_EQ(vfn_vdev_init("net_pcap10", args), -EINVAL,
	       "phy_mac=1 without an interface: -EINVAL");
	TAP_EQ(vfn_eth_dev_count_avail(), 0, "and no port left");
}

static void test_live(void)
{
	char why[256];
	struct vfn_eth_stats st;
	uint32_t other;
	int a, b;

	if (vfn_netns_enter(why, sizeof(why)) ||
	    vfn_veth_add("pcapv0", "pcapv1", why, sizeof(why))) {
		TAP_SKIP(why, "live capture across a veth pair");
		return;
	}
	/* The 9000-byte frames must fit the link. */
	if (vfn_link_set("pcapv0", "mtu 9000") || vfn_link_set("pcapv1", "mtu 9000"))
		tap_diag("cannot set MTU 9000 on the veth pair");
	TAP_EQ(vfn_vdev_init("net_pcap7", "rx_iface=nosuch0"), -ENODEV,
	       "rx_iface= of a missing interface: -ENODEV");
	a = port_up("net_pcap8", "iface=pcapv0", 1, 1, pool);
	b = port_up("net_pcap9", "rx_iface_in=pcapv1,tx_iface=pcapv1", 1, 1,
		    pool);
	if (!TAP_CHECK(a >= 0 && b >= 0, "iface= and rx_iface_in= ports up "
		       "(%d %d)", a, b))
		return;
	usleep(100 * 1000);
	TAP_EQ(send_frames(a, 0, 20, 300), 300, "300 frames injected on pcapv0");
	TAP_EQ(recv_frames(b, 0, 20, 300, UINT32_MAX, 500, &other), 300,
	       "all 300 captured on pcapv1, intact, in order");
	TAP_EQ(send_frames(b, 0, 21, 300), 300, "300 frames back on pcapv1");
	TAP_EQ(recv_frames(a, 0, 21, 300, UINT32_MAX, 500, &other), 300,
	       "all 300 captured on pcapv0 (iface= sees incoming only)");
	vfn_eth_stats_get((uint16_t)a, &st);
	TAP_EQ(st.opackets, 300, "opackets exact");
	TAP_EQ(st.ipackets, 300 + other, "ipackets: the frames and %u others",
	       other);
	/* A frame longer than the link's MTU cannot be injected: an error. */
	vfn_link_set("pcapv0", "mtu 1500");
	TAP_EQ(send_frames(a, 0, 22, 100), 100, "100 frames, one of 9000 bytes, "
	       "on MTU 1500");
	vfn_eth_stats_get((uint16_t)a, &st);
	TAP_EQ(st.opackets, 300 + 99, "opackets: the 99 that fit");
	TAP_EQ(st.oerrors, 1, "oerrors: the one that does not");
	vfn_vdev_uninit("net_pcap8");
	vfn_vdev_uninit("net_pcap9");
	test_phy_mac();
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vfn_pcap_XXXXXX");
	if (!mkdtemp(dir))
		tap_bail("mkdtemp: %s", strerror(errno));
	if (!getenv("VFN_TEST_KEEP")) atexit(cleanup);
	pool = vfn_pktmbuf_pool_create("pcap_pool", 4096, 0, 0, 9000 + 128,
				       VFN_SOCKET_ID_ANY);
	small_pool = vfn_pktmbuf_pool_create("pcap_small", 1024, 0, 0, 2048 + 128,
					     VFN_SOCKET_ID_ANY);
	if (!pool || !small_pool)
		tap_bail("cannot create mbuf pools");
	test_errors();
	test_round_trip();
	test_tools();
	test_infinite();
	test_multi_queue();
	test_live();
	vfn_mempool_free(pool);
	vfn_mempool_free(small_pool);
	return tap_done();
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap: opening files and interfaces through libpcap, with errors
 * that say what is wrong and what to do about it.  Files are read and
 * written with nanosecond timestamps (libpcap converts microsecond files
 * on read); the file format is libpcap's business, never ours.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vfn_log.h"
#include "pcap_private.h"


static int check_dlt(const char *port, const char *path, pcap_t *p)
{
	int dlt = pcap_datalink(p);

	if (dlt == DLT_EN10MB)
		return 0;
	PCAP_LOG(ERR, "%s: %s has link type %s (%d): net_pcap replays "
		 "Ethernet captures (DLT_EN10MB) only", port, path,
		 pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) :
						  "?", dlt);
	return -EINVAL;
}

static pcap_t *open_file(const char *port, const char *path, int *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;

	if (access(path, R_OK) != 0) {
		*err = -errno;
		PCAP_LOG(ERR, "%s: rx_pcap=%s: %s: give the path of an existing, "
			 "readable pcap file", port, path, strerror(errno));
		return NULL;
	}
	p = pcap_open_offline_with_tstamp_precision(path,
						    PCAP_TSTAMP_PRECISION_NANO,
						    errbuf);
	if (!p) {
		*err = -EINVAL;
		PCAP_LOG(ERR, "%s: rx_pcap=%s is not a pcap file (libpcap: %s): "
			 "give a pcap or pcapng capture (tcpdump -w writes one)",
			 port, path, errbuf);
		return NULL;
	}
	*err = check_dlt(port, path, p);
	if (*err) {
		pcap_close(p);
		return NULL;
	}
	return p;
}

static int activate_error(const char *port, const char *ifname, pcap_t *p,
			  int rc)
{
	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		PCAP_LOG(ERR, "%s: interface %s not found: give an interface "
			 "of this network namespace (see `ip link`)", port, ifname);
		return -ENODEV;
	case PCAP_ERROR_PERM_DENIED:
		PCAP_LOG(ERR, "%s: capturing on %s is not permitted: net_pcap "
			 "live interfaces need CAP_NET_RAW (run as root)", port,
			 ifname);
		return -EPERM;
	case PCAP_ERROR_IFACE_NOT_UP:
		PCAP_LOG(ERR, "%s: interface %s is down: `ip link set %s up`",
			 port, ifname, ifname);
		return -ENETDOWN;
	default:
		PCAP_LOG(ERR, "%s: cannot open interface %s: %s", port, ifname,
			 pcap_geterr(p));
		return -EIO;
	}
}

/*
 * Keep incoming packets only.  libpcap's direction is applied when a
 * packet is read, so the kernel still fills the capture ring with what
 * the port sends; a socket filter on the packet type keeps those out of
 * the ring.  (libpcap's own "inbound" filter drops the first packet
 * captured after it is set: libpcap re-filters the ring in user space
 * then, where the packet type is unknown.)
 */
static int set_inbound(const char *port, const char *ifname, pcap_t *p)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, UINT32_MAX),
	};
	struct sock_fprog prog = { VFN_DIM(code), code };

	if (pcap_setdirection(p, PCAP_D_IN) != 0) {
		PCAP_LOG(ERR, "%s: %s: cannot capture incoming packets only: %s",
			 port, ifname, pcap_geterr(p));
		return -EIO;
	}
	if (setsockopt(pcap_fileno(p), SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)) != 0) {
		PCAP_LOG(ERR, "%s: %s: cannot filter out outgoing packets: %s",
			 port, ifname, strerror(errno));
		return -errno;
	}
	return 0;
}

static pcap_t *open_iface(const char *port, const char *ifname, int in_only,
			  int rx, int *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(ifname, errbuf);
	int rc;

	if (!p) {
		*err = -ENOMEM;
		PCAP_LOG(ERR, "%s: pcap_create(%s): %s", port, ifname, errbuf);
		return NULL;
	}
	/* As DPDK: whole frames, promiscuous, no batching delay. */
	if (pcap_set_snaplen(p, PCAP_SNAPLEN) || pcap_set_promisc(p, 1) ||
	    pcap_set_immediate_mode(p, 1) || pcap_set_timeout(p, 1) ||
	    (rx && pcap_set_buffer_size(p, PCAP_RX_BUFFER) != 0)) {
		*err = -EINVAL;
		PCAP_LOG(ERR, "%s: %s: cannot set capture options: %s", port,
			 ifname, pcap_geterr(p));
		goto fail;
	}
	rc = pcap_activate(p);
	if (rc < 0) {
		*err = activate_error(port, ifname, p, rc);
		goto fail;
	}
	if (pcap_setnonblock(p, 1, errbuf) != 0) {
		*err = -EIO;
		PCAP_LOG(ERR, "%s: %s: cannot make the capture non-blocking: %s",
			 port, ifname, errbuf);
		goto fail;
	}
	*err = check_dlt(port, ifname, p);
	if (!*err && in_only)
		*err = set_inbound(port, ifname, p);
	if (*err)
		goto fail;
	return p;
fail:
	pcap_close(p);
	return NULL;
}

int pcap_open_rx(const char *port, const struct pcap_endpoint *ep,
		 pcap_t **out)
{
	int err = 0;

	*out = NULL;
	if (ep->kind == PCAP_KIND_FILE)
		*out = open_file(port, ep->name, &err);
	else if (ep->kind == PCAP_KIND_IFACE)
		*out = open_iface(port, ep->name, ep->in_only, 1, &err);
	return err;
}

int pcap_open_tx(const char *port, const struct pcap_endpoint *ep,
		 pcap_t **pcap, pcap_dumper_t **dumper)
{
	int err = 0;

	*pcap = NULL;
	*dumper = NULL;
	if (ep->kind == PCAP_KIND_IFACE) {
		*pcap = open_iface(port, ep->name, 0, 0, &err);
		return err;
	}
	if (ep->kind != PCAP_KIND_FILE)
		return 0;
	*pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, PCAP_SNAPLEN,
						     PCAP_TSTAMP_PRECISION_NANO);
	if (!*pcap) {
		PCAP_LOG(ERR, "%s: tx_pcap=%s: out of memory", port, ep->name);
		return -ENOMEM;
	}
	*dumper = pcap_dump_open(*pcap, ep->name);
	if (!*dumper) {
		PCAP_LOG(ERR, "%s: tx_pcap=%s: cannot create the file (%s): "
			 "check that its directory exists and is writable",
			 port, ep->name, pcap_geterr(*pcap));
		pcap_close(*pcap);
		*pcap = NULL;
		return -EACCES;
	}
	return 0;
}

void pcap_replay_free(struct pcap_replay *r)
{
	free(r->data);
	free(r->off);
	free(r->len);
	memset(r, 0, sizeof(*r));
}

/* Append one packet to @r, growing its arrays. */
static int replay_add(struct pcap_replay *r, uint64_t *cap, uint32_t *slots,
		      const uint8_t *pkt, uint32_t len)
{
	uint64_t used = r->nb ? r->off[r->nb - 1] + r->len[r->nb - 1] : 0;

	if (r->nb == *slots) {
		uint32_t n = *slots ? *slots * 2 : 1024;
		uint64_t *off = realloc(r->off, n * sizeof(*off));
		uint16_t *l;

		if (!off)
			return -ENOMEM;
		r->off = off;
		l = realloc(r->len, n * sizeof(*l));
		if (!l)
			return -ENOMEM;
		r->len = l;
		*slots = n;
	}
	if (used + len > *cap) {
		uint64_t n = *cap ? *cap * 2 : 1 << 20;
		uint8_t *d;

		while (n < used + len)
			n *= 2;
		d = realloc(r->data, n);
		if (!d)
			return -ENOMEM;
		r->data = d;
		*cap = n;
	}
	memcpy(r->data + used, pkt, len);
	r->off[r->nb] = used;
	r->len[r->nb] = (uint16_t)len;
	if (len > r->max_len)
		r->max_len = len;
	r->nb++;
	return 0;
}

int pcap_replay_load(const char *port, const struct pcap_endpoint *ep,
		     struct pcap_replay *r)
{
	struct pcap_pkthdr *h;
	const u_char *pkt;
	uint64_t cap = 0;
	uint32_t slots = 0;
	pcap_t *p;
	int ret, rc = 0;

	memset(r, 0, sizeof(*r));
	ret = pcap_open_rx(port, ep, &p);
	if (ret)
		return ret;
	while ((rc = pcap_next_ex(p, &h, &pkt)) == 1) {
		ret = replay_add(r, &cap, &slots, pkt, h->caplen);
		if (ret)
			break;
	}
	if (!ret && rc == PCAP_ERROR) {
		PCAP_LOG(ERR, "%s: rx_pcap=%s: read error after %u packets: %s",
			 port, ep->name, r->nb, pcap_geterr(p));
		ret = -EIO;
	}
	if (!ret && r->nb == 0) {
		PCAP_LOG(ERR, "%s: rx_pcap=%s has no packets: infinite_rx=1 "
			 "needs at least one", port, ep->name);
		ret = -EINVAL;
	}
	if (ret == -ENOMEM)
		PCAP_LOG(ERR, "%s: rx_pcap=%s does not fit in memory for "
			 "infinite_rx=1", port, ep->name);
	pcap_close(p);
	if (ret)
		pcap_replay_free(r);
	return ret;
}

int pcap_iface_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = 0;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0)
		ret = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return ret;
}

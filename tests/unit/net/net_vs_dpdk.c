/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfnet's checksums against DPDK 22.11's own (Debian's rte_ip.h, inline
 * functions, no DPDK library linked): 20000 random IPv4/UDP, IPv4/TCP
 * and IPv6/UDP packets of random (odd and even) lengths, seed 1.  Every
 * function must return exactly what DPDK's returns.  TAP.
 */
#define ALLOW_EXPERIMENTAL_API 1
#include <stdlib.h>
#include <string.h>

#include <rte_ip.h>

#include "vfn_ip.h"
#include "vfn_tap.h"

#define ROUNDS 20000

static void fill(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rand();
}

int main(void)
{
	static uint8_t buf[2048] __attribute__((aligned(8)));
	unsigned int i, bad_raw = 0, bad_v4 = 0, bad_l4 = 0, bad_v6 = 0;
	unsigned int bad_verify = 0, bad_phdr = 0;

	srand(1);
	for (i = 0; i < ROUNDS; i++) {
		struct vfn_ipv4_hdr *v = (struct vfn_ipv4_hdr *)buf;
		struct vfn_ipv6_hdr *v6 = (struct vfn_ipv6_hdr *)buf;
		uint16_t l4len = (uint16_t)(20 + rand() % 1400); /* holds a TCP header */
		uint8_t ihl = (uint8_t)(5 + rand() % 3);
		uint16_t c;

		fill(buf, sizeof(buf));
		bad_raw += vfn_raw_cksum(buf, l4len) != rte_raw_cksum(buf, l4len);
		v->version_ihl = (uint8_t)(0x40 | ihl);
		v->next_proto_id = (i & 1) ? IPPROTO_UDP : IPPROTO_TCP;
		v->total_length = vfn_cpu_to_be_16((uint16_t)(ihl * 4 + l4len));
		v->hdr_checksum = 0;
		bad_v4 += vfn_ipv4_cksum(v) !=
			  rte_ipv4_cksum((const struct rte_ipv4_hdr *)v);
		bad_phdr += vfn_ipv4_phdr_cksum(v, 0) !=
			    rte_ipv4_phdr_cksum((const struct rte_ipv4_hdr *)v, 0);
		memset(buf + ihl * 4 + ((i & 1) ? 6 : 16), 0, 2); /* L4 cksum */
		c = vfn_ipv4_udptcp_cksum(v, buf + ihl * 4);
		bad_l4 += c != rte_ipv4_udptcp_cksum(
			(const struct rte_ipv4_hdr *)v, buf + ihl * 4);
		/* store it: both must now verify it */
		memcpy(buf + ihl * 4 + ((i & 1) ? 6 : 16), &c, 2);
		bad_verify += vfn_ipv4_udptcp_cksum_verify(v, buf + ihl * 4) != 0 ||
			rte_ipv4_udptcp_cksum_verify(
				(const struct rte_ipv4_hdr *)v, buf + ihl * 4) != 0;

		fill(buf, sizeof(buf));
		v6->vtc_flow = vfn_cpu_to_be_32(6u << 28);
		v6->proto = IPPROTO_UDP;
		v6->payload_len = vfn_cpu_to_be_16(l4len);
		bad_v6 += vfn_ipv6_udptcp_cksum(v6, buf + 40) !=
			  rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)v6,
						buf + 40);
		bad_phdr += vfn_ipv6_phdr_cksum(v6, 0) !=
			    rte_ipv6_phdr_cksum((const struct rte_ipv6_hdr *)v6, 0);
	}
	TAP_CHECK(bad_raw == 0, "vfn_raw_cksum == rte_raw_cksum (%u rounds)", ROUNDS);
	TAP_CHECK(bad_v4 == 0, "vfn_ipv4_cksum == rte_ipv4_cksum");
	TAP_CHECK(bad_phdr == 0, "vfn_ipv4/6_phdr_cksum == rte_ipv4/6_phdr_cksum");
	TAP_CHECK(bad_l4 == 0, "vfn_ipv4_udptcp_cksum == rte_ipv4_udptcp_cksum");
	TAP_CHECK(bad_verify == 0, "a stored checksum verifies with both");
	TAP_CHECK(bad_v6 == 0, "vfn_ipv6_udptcp_cksum == rte_ipv6_udptcp_cksum");
	return tap_done();
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* Ethernet address text conversion and random addresses. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "vfn_ether.h"

void vfn_ether_format_addr(char *buf, uint16_t size,
			   const struct vfn_ether_addr *a)
{
	snprintf(buf, size, "%02X:%02X:%02X:%02X:%02X:%02X",
		 a->addr_bytes[0], a->addr_bytes[1], a->addr_bytes[2],
		 a->addr_bytes[3], a->addr_bytes[4], a->addr_bytes[5]);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int vfn_ether_unformat_addr(const char *str, struct vfn_ether_addr *a)
{
	struct vfn_ether_addr tmp;
	char sep = 0;
	int i;

	if (!str || !a)
		return -EINVAL;
	for (i = 0; i < VFN_ETHER_ADDR_LEN; i++) {
		int hi = hexval(str[0]), lo = hexval(str[1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		tmp.addr_bytes[i] = (uint8_t)(hi << 4 | lo);
		str += 2;
		if (i == VFN_ETHER_ADDR_LEN - 1)
			break;
		if (!sep && (*str == ':' || *str == '-'))
			sep = *str;
		if (*str != sep)
			return -EINVAL;
		str++;
	}
	if (*str)
		return -EINVAL;
	*a = tmp;
	return 0;
}

void vfn_eth_random_addr(uint8_t *a)
{
	static unsigned int seed;
	int i;

	if (!seed)
		seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	for (i = 0; i < VFN_ETHER_ADDR_LEN; i++)
		a[i] = (uint8_t)rand_r(&seed);
	a[0] &= 0xfe; /* unicast */
	a[0] |= 0x02; /* locally administered */
}

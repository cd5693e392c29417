/* SPDX-License-Identifier: BSD-3-Clause */
#include "vfn_lcore.h"

__thread unsigned int vfn_per_lcore_id = VFN_LCORE_ID_ANY;

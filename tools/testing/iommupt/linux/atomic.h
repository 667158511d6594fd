/* SPDX-License-Identifier: GPL-2.0 */
/* The 64-bit compare-and-exchange table items are published with */
#ifndef _IOMMUPT_LINUX_ATOMIC_H
#define _IOMMUPT_LINUX_ATOMIC_H

#include <linux/types.h>

#define try_cmpxchg64(ptr, oldp, new)                                     \
	__atomic_compare_exchange_n(ptr, oldp, new, false, __ATOMIC_SEQ_CST, \
				    __ATOMIC_SEQ_CST)
#define cmpxchg64(ptr, old, new) ({                                       \
	u64 __old = (old);                                                \
	__atomic_compare_exchange_n(ptr, &__old, new, false,              \
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);  \
	__old;                                                            \
})

#endif

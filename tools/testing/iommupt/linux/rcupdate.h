/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU for a single-threaded harness: readers need nothing, and callbacks
 * run at the next grace period, which the harness ends between operations
 * (hrcu_barrier()), so a page freed through call_rcu() is still readable
 * for the rest of the operation that freed it, as under a real reader.
 */
#ifndef _IOMMUPT_LINUX_RCUPDATE_H
#define _IOMMUPT_LINUX_RCUPDATE_H

#include <linux/mm_types.h>

#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define rcu_dereference(p) READ_ONCE(p)
#define rcu_assign_pointer(p, v) WRITE_ONCE(p, v)

typedef void (*rcu_callback_t)(struct rcu_head *head);
void call_rcu(struct rcu_head *head, rcu_callback_t func);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * WARN_ON() in the page table code means a broken invariant: the harness
 * counts it as a failure of the operation that hit it instead of printing
 * and going on as tools/include's version does.
 */
#ifndef _IOMMUPT_LINUX_BUG_H
#define _IOMMUPT_LINUX_BUG_H

#include <linux/build_bug.h>
#include <linux/compiler.h>

void iommupt_warn(const char *file, int line);

#define WARN_ON(condition) ({                                  \
	int __ret_warn_on = !!(condition);                     \
	if (unlikely(__ret_warn_on))                           \
		iommupt_warn(__FILE__, __LINE__);              \
	unlikely(__ret_warn_on);                               \
})
#define WARN_ON_ONCE(condition) WARN_ON(condition)
#define WARN(condition, format...) WARN_ON(condition)
#define WARN_ONCE(condition, format...) WARN_ON(condition)

#endif

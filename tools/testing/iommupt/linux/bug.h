/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOMMUPT_LINUX_BUG_H
#define _IOMMUPT_LINUX_BUG_H

#include <asm/bug.h>
#include <linux/build_bug.h>

#endif

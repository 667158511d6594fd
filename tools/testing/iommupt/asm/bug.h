/* SPDX-License-Identifier: GPL-2.0 */
/* In place of tools/include's, which headers from there include */
#ifndef _IOMMUPT_ASM_BUG_H
#define _IOMMUPT_ASM_BUG_H

#include <linux/bug.h>

#endif

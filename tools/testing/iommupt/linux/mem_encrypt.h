/* SPDX-License-Identifier: GPL-2.0 */
/* An SME C-bit the encrypting formats can set, where an x86 kernel has one */
#ifndef _IOMMUPT_LINUX_MEM_ENCRYPT_H
#define _IOMMUPT_LINUX_MEM_ENCRYPT_H

#include <linux/bits.h>

#define IOMMUPT_SME_MASK BIT_ULL(51)
#define sme_me_mask IOMMUPT_SME_MASK
#define __sme_set(x) ((x) | IOMMUPT_SME_MASK)
#define __sme_clr(x) ((x) & ~IOMMUPT_SME_MASK)

#endif

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOMMUPT_LINUX_MODULE_H
#define _IOMMUPT_LINUX_MODULE_H

#include <linux/compiler.h>

#define MODULE_DESCRIPTION(desc) \
	static const char __maybe_unused __module_description[] = desc
#define MODULE_LICENSE(license) \
	static const char __maybe_unused __module_license[] = license

#endif

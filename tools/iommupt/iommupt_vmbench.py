# SPDX-License-Identifier: GPL-2.0
"""iommupt bench --vm: a real IOMMU driver's page table, 6.12's against genpt.

The guest module tools/iommupt/guest/iommubench.c, built against the
unpatched guest kernel and the patched one, times iommu_map(), iommu_unmap()
and iommu_iova_to_phys() of a paging domain of a device behind QEMU's
emulated IOMMU. The guests run under TCG with -icount shift=0: the guest's
clock advances one nanosecond per guest instruction, so its nanoseconds are
instruction counts, free of the host's noise. The guests, their builds and
their QEMU command lines come from iommupt_vm; this module adds the targets,
the runs and the table.
"""

import os
import re
import time

import iommupt_vm as vm

wb = None  # the workbench script, set by bind()


def bind(workbench):
    global wb
    wb = workbench


class Level:
    """A level count of the IOMMU's table: its IOMMU device properties and width.

    BASE_WARNING matches the one kernel warning 6.12's driver gives when it
    refuses the level check's map at 2^aw (io-pgtable-arm's WARN_ON): the
    unpatched run expects exactly that one and no other.
    """

    def __init__(self, name, props, aw, base_warning=None):
        self.name = name
        self.props = props   # appended to the IOMMU's -device
        self.aw = aw         # the input address width the unit offers, in bits
        self.base_warning = base_warning


class Target:
    """What "bench --vm NAME" times: an IOMMU of iommupt_vm.IOMMUS and its rows.

    DEVICE is the -device the module takes a paging domain for: QEMU's edu,
    which no driver of the guest kernel binds and whose DMA engine proves the
    level count (see iommubench.c). SIZES are the leaf sizes, COUNTS the
    leaves per call: a row for each pair, each leaf at a physical address
    aligned like its IOVA, so that an aligned run of leaves may be one larger
    leaf. SKEWED are more counts, a row each of the smallest size with the
    physical address SKEW bytes off that alignment: leaves of that size only.
    VARIANT names the guest kernel of the IOMMU's variants (an arm64 page
    size) both sides are built as.
    """

    def __init__(self, iommu, device, levels, sizes, note, counts=(1, 256), skewed=(),
                 skew=4 << 10, variant=None):
        self.iommu = iommu
        self.device = device
        self.levels = levels
        self.sizes = sizes
        self.note = note      # how the IOMMU is set up, for the table
        self.counts = counts
        self.variant = variant
        self.skewed = skewed
        self.skew = skew

    def rows(self):
        """(size, count, skew) of every row, in the table's order."""
        rows = [(size, count, 0) for count in self.counts for size in self.sizes]
        return rows + [(self.sizes[0], count, self.skew) for count in self.skewed]


K, M, G = 1 << 10, 1 << 20, 1 << 30
EDU = 'edu,dma_mask=0xffffffffffffffff'

# One entry per IOMMU of iommupt_vm.IOMMUS, x86_64 and arm64 guests alike
TARGETS = {
    'intel': Target('intel', EDU, [Level('3-level', 'aw-bits=39', 39),
                                   Level('4-level', 'aw-bits=48', 48)],
                    [4 * K, 2 * M, G],
                    'intel-iommu in legacy mode without caching mode: iotlb_sync_map flushes '
                    'nothing, and every unmap\nends with an IOTLB invalidation through the '
                    'invalidation queue by the same code in both (intel_iommu_tlb_sync).'),
    # 6.12's v1 table and genpt's both start with 3 levels and grow only for
    # IOVAs above 2^39, which the rows do not reach; the aperture is 64-bit,
    # so there is no width whose map must be refused (aw=0 skips that check).
    # An aligned 256 x 4K is one 1M leaf: the skewed row maps 256 leaves of 4K
    'amd': Target('amd', EDU, [Level('3-level', '', 0)],
                  [4 * K] + [1 << n for n in range(13, 21)] + [2 * M, G],
                  'amd-iommu (v1 tables): QEMU 7.2 advertises NpCache, so both drivers flush '
                  'the range on every iotlb_sync_map\nand 6.12 runs strict; every unmap ends '
                  'with a flush through the command buffer by the same code in both.',
                  skewed=(256,)),
    # A stage 1 domain of a 4K-page guest: 6.12 gives it an IAS of
    # min(48, VA_BITS) (52 only with IDR5.VAX, which QEMU 7.2's SMMUv3 does
    # not advertise), a 4-level table from level 0; the patched driver
    # clamps the 4K granule to 48 bits too. 6.12's io-pgtable-arm refuses
    # the map at 2^48 with a WARN_ON (-ERANGE), genpt without one. 64K is
    # a contiguous run of 16 4K PTEs in genpt's armv8; io-pgtable-arm has
    # no contiguous hint, so iommu_map() splits it into 16 4K leaves there.
    'smmuv3': Target('smmuv3', EDU,
                     [Level('4-level', '', 48,
                            base_warning=r'io-pgtable-arm\.c:\d+ arm_lpae_map_pages')],
                     [4 * K, 64 * K, 2 * M, G],
                     'SMMUv3 of QEMU\'s arm virt machine, stage 1, 4K granule (a 4K-page '
                     'guest), strict: iommu_map syncs nothing\n(no iotlb_sync_map), every '
                     'unmap ends with a TLBI range command and a CMD_SYNC through the command '
                     'queue\n(arm_smmu_iotlb_sync; genpt\'s sizes the TLBI granule of a '
                     'contiguous run by its items).',
                     skewed=(256,), variant='4k'),
}

OPS = ['map', 'unmap', 'iova_to_phys']


def size_text(n):
    for unit, div in (('G', G), ('M', M), ('K', K)):
        if n % div == 0:
            return f'{n // div}{unit}'
    return str(n)


def bench_run(args, g, target, level):
    """Boot one guest at one level count; the module's numbers and the run's counts."""
    iommu = vm.IOMMUS[target.iommu]
    kernel = 'base' if g.base else 'patched'
    run_dir = os.path.join(g.build_dir, f'bench-{iommu.name}-{level.name}')
    os.makedirs(run_dir, exist_ok=True)
    params = (f'aw={level.aw} batches={args.batches} calls={args.calls} '
              f'sizes={",".join(str(s) for s in target.sizes)} '
              f'counts={",".join(str(c) for c in target.counts)}')
    if target.skewed:
        params += (f' skew_counts={",".join(str(c) for c in target.skewed)} '
                   f'skew={target.skew}')
    module = [t for t in g.tools if os.path.basename(t) == 'iommubench.ko']
    conf = {'IOMMUPT_BENCH': params}
    if iommu.faults:
        conf['IOMMUPT_FAULTS'] = iommu.faults
    initrd = vm.vm_initramfs(g.build_dir, None, [], False, module, conf, g.arch)
    trace = os.path.join(run_dir, 'qemu-trace.log')
    # icount needs one vCPU thread: one vCPU
    qemu = vm.iommu_qemu(iommu, level.props, False, trace, smp=1,
                         extra=['-icount', 'shift=0'])
    qemu += ['-device', target.device] + vm.guest_boot(g, iommu, initrd, args.cmdline)
    serial = os.path.join(run_dir, f'serial-{kernel}.log')
    wb.say(f'bench {iommu.name} {level.name} ({kernel}): QEMU TCG -icount shift=0, '
           f'timeout {args.timeout}s')
    text, elapsed = vm.boot(qemu, serial, args.timeout, args.verbose,
                            r'(qemu-system|\[.*\] (WARNING|BUG|Kernel panic|iommubench: FAILED))')
    r = parse_bench(text)
    r.update(kernel=kernel, level=level.name, serial=serial, seconds=elapsed,
             qemu_faults=vm.trace_events(iommu, trace))
    judge_bench(r, target, converted=g.base or iommu.name in g.converted,
                timeout=elapsed >= args.timeout,
                warning=level.base_warning if g.base and level.aw else None)
    print(f'\n{iommu.name} {level.name} ({kernel}), guest {elapsed:.0f}s, serial log {serial}:')
    print(f'  device {r["device"]}')
    for line in r['iommu_log']:
        print(f'  | {line}')
    print(f'  clocksource {r["clocksource"]}, counter {r["tsc"]}; reading the clock: '
          f'{r["clock"]} ns')
    for line in r['levels']:
        print(f'  {line}')
    for problem in r['problems']:
        print(f'  problem: {problem}')
    return r


def parse_bench(text):
    """What the guest reported: the module's rows and checks, and the run's counts."""
    text = vm.unsplit_console(text)
    # The guest's dmesg after the module, not the console's copy of it
    log = '\n'.join(re.findall(r'^IOMMUPT-BENCH-LOG (.*)$', text, re.M))

    def last(pattern, within=log, conv=str):
        found = re.findall(pattern, within, re.M)
        return conv(found[-1]) if found else None

    r = {'rows': {}}
    for m in re.finditer(r'iommubench: row op=(\S+) size=(\d+) count=(\d+) skew=(\d+) '
                         r'calls=(\d+) batches=(\d+) sum_ns=(\d+) min_ns=(\d+) leaf=(\w+)', log):
        size, count, skew, calls, batches, total, low = map(int, m.group(2, 3, 4, 5, 6, 7, 8))
        r['rows'][(m.group(1), size, count, skew)] = dict(calls=calls, batches=batches,
                                                          sum=total, min=low,
                                                          leaf=m.group(9) == 'yes')
    r['clock'] = last(r'iommubench: clock batches=\d+ sum_ns=\d+ min_ns=(\d+)', conv=int)
    r['device'] = last(r'iommubench: device (.*)$')
    r['pgsizes'] = int(last(r'iommubench: device .* pgsize_bitmap=(0x[0-9a-f]+)') or '0', 16)
    r['levels'] = re.findall(r'iommubench: levels: (.*)$', log, re.M)
    r['warning_lines'] = re.findall(r'(?:WARNING|BUG):.*$', log, re.M)
    r['iommu_log'] = re.findall(r'(arm-smmu-v3 .*)$', log, re.M)
    r['done'] = 'iommubench: done' in log
    # The clock the module read, and the rate of its counter: the TSC the
    # x86 guest measured against the emulated timers, the arm64 generic
    # timer's frequency (CNTFRQ): under -icount both count instructions
    r['clocksource'] = last(r'clocksource: Switched to clocksource (\S+)')
    r['tsc'] = (last(r'tsc: Detected (\S+ MHz)') or
                last(r'arch_timer: cp15 timer\(s\) running at (\S+?MHz)'))
    r['failed'] = re.findall(r'iommubench: FAILED: (.*)$', log, re.M)
    r['rc'] = last(r'IOMMUPT-BENCH rc=(\d+)', text, int)
    r['dmar_faults'] = last(r'IOMMUPT-DMAR-FAULTS (\d+)', text, int)
    r['warnings'] = last(r'IOMMUPT-WARNINGS (\d+)', text, int)
    r['finished'] = 'IOMMUPT-END' in text
    return r


def judge_bench(r, target, converted, timeout, warning=None):
    """Set r['problems']: why the run failed, empty if every call and check worked.

    WARNING matches the one warning the run must have: 6.12's refusal of the
    level check's map, after which the module must have gone on to the DMA.
    """
    p = []
    if not r['finished']:
        p.append('the guest did not finish' + (' (timeout)' if timeout else ''))
    if r['rc'] != 0 or r['failed'] or not r['done']:
        p.append(f'the module failed (insmod exit {r["rc"]})')
    p += [f'module: {f}' for f in r['failed']]
    if r['dmar_faults'] != 0:
        p.append(f'DMAR faults in the guest log: {r["dmar_faults"]}')
    if r['qemu_faults'] != 0:
        p.append(f'QEMU fault trace events: {r["qemu_faults"]}')
    expected = 0
    if warning:
        expected = 1
        named = [w for w in r['warning_lines'] if re.search(warning, w)]
        if len(named) != 1 or not any('is refused' in lv for lv in r['levels']):
            p.append(f'expected one warning of 6.12\'s refused map ({warning}) and the '
                     f'refusal, got {r["warning_lines"]}')
    if r['warnings'] != expected:
        p.append(f'kernel warnings/BUGs: {r["warnings"]}' +
                 (' (one expected: the refused map)' if expected else ''))
    if r['clock'] is None:
        p.append('no cost of reading the clock reported')
    want = {(op,) + row for op in OPS for row in target.rows()}
    if not p and set(r['rows']) != want:
        p.append(f'rows missing from the module: {sorted(want - set(r["rows"]))}')
    if not converted:
        p.append(f'the patched tree\'s {target.iommu} driver is not on genpt: nothing to compare')
    r['problems'] = p


def per_call(r, key):
    """(average, minimum) guest ns per call of a row, the clock's cost taken off."""
    row = r['rows'][key]
    avg = (row['sum'] / row['batches'] - r['clock']) / row['calls']
    return avg, (row['min'] - r['clock']) / row['calls']


# Every row maps to this physical address and up (BENCH_PA of iommubench.c)
BENCH_PA = G


def joined_leaves(r):
    """The rows iommu_map() maps with a larger page size than the row's: its size.

    As 6.12's iommu_pgsize(): the largest page size of the domain that the
    call's length and the alignment of its IOVA and physical address allow.
    Each row's IOVAs are aligned to the call's length, its physical
    addresses to that or BENCH_PA's alignment, or only to the skew of a
    skewed row.
    """
    joined = {}
    for key in r['rows']:
        span = key[1] * key[2]
        align = min(span & -span, BENCH_PA & -BENCH_PA)
        if key[3]:
            align = min(align, key[3] & -key[3])
        fits = [1 << b for b in range(64) if r['pgsizes'] >> b & 1 and 1 << b <= align]
        if fits and fits[-1] > key[1]:
            joined[key] = fits[-1]
    return joined


def bench_table(target, results):
    """The table: rows x (old, genpt, old/genpt) for each level count."""
    iommu = vm.IOMMUS[target.iommu]
    levels = [lv for lv in target.levels
              if (lv.name, 'base') in results and (lv.name, 'patched') in results]
    print(f'\nbench --vm {iommu.name}: guest-clock ns per call, average over the batches '
          f'and the minimum batch (avg/min),\nthe cost of reading the clock taken off. '
          f'QEMU TCG with -icount shift=0: the guest clock advances one ns per guest\n'
          f'instruction, so these ns are exact counts of guest instructions, not time on '
          f'any hardware. old: the unpatched\n6.12 driver; genpt: the patched driver on '
          f'the generic page table; ratio old/genpt (above 1: genpt executes\nfewer '
          f'instructions). "N x S": one call for N leaves of size S, or for one leaf of N times '
          f'S where the\ntable has that size; "(PA+O)": the physical address O off the IOVA\'s '
          f'alignment, so N leaves of S. iova_to_phys rows\nare per lookup, one lookup per '
          f'leaf of S.\n{target.note}')
    clocks = sorted({f'{r["clocksource"]} at {r["tsc"]}, read in {r["clock"]} ns'
                     for r in results.values()})
    print(f'Guest clock of the runs: {"; ".join(clocks)}.')
    head = f'  {"":26}'
    sub = f'  {"row":26}'
    for lv in levels:
        aw = f'{lv.name} ({lv.props})' if lv.props else \
            f'{lv.name} ({lv.aw}-bit IAS)' if lv.aw else lv.name
        head += f' | {aw:^40}'
        sub += f' | {"old avg/min":>14} {"genpt avg/min":>14} {"ratio":>10}'
    print(head)
    print(sub)
    for op in OPS:
        for size, count, skew in target.rows():
            key = (op, size, count, skew)
            name = f'{op} {size_text(size) if count == 1 else f"{count} x {size_text(size)}"}'
            if skew:
                name += f' (PA+{size_text(skew)})'
            line = f'  {name:26}'
            for lv in levels:
                old = per_call(results[(lv.name, 'base')], key)
                new = per_call(results[(lv.name, 'patched')], key)
                cell = [f'{old[0]:.0f}/{old[1]:.0f}', f'{new[0]:.0f}/{new[1]:.0f}',
                        f'{old[0] / new[0]:.2f}/{old[1] / new[1]:.2f}']
                line += f' | {cell[0]:>14} {cell[1]:>14} {cell[2]:>10}'
            print(line)
    notleaf = sorted({(k[1], r['kernel']) for r in results.values() for k, row in r['rows'].items()
                      if not row['leaf']})
    for size, kernel in notleaf:
        print(f'  note: {size_text(size)} is not a page size of the {kernel} domain: '
              f'iommu_map() splits it')
    for r in sorted(results.values(), key=lambda r: r['kernel']):
        for (op, size, count, _), leaf in sorted(joined_leaves(r).items()):
            if op == 'map':
                print(f'  note: the {r["kernel"]} domain (page sizes {r["pgsizes"]:#x}) maps '
                      f'{count} x {size_text(size)} as {count * size // leaf} leaves of '
                      f'{size_text(leaf)}: iommu_map() takes the largest page size that fits')


def cmd_bench_vm(args):
    start = time.monotonic()
    if wb.setup_needed():
        wb.cmd_setup(args)
    target = TARGETS[args.vm]
    iommu = vm.IOMMUS[target.iommu]
    arch = vm.ARCHES[iommu.arch]
    variant = (target.variant, iommu.variants[target.variant]) if target.variant else None
    guests = [vm.build_guest(base, bench=True, arch=arch, variant=variant)
              for base in (True, False)]
    results, ok = {}, True
    for level in target.levels:
        for g in guests:
            r = bench_run(args, g, target, level)
            ok = ok and not r['problems']
            results[(level.name, r['kernel'])] = r
    if ok:
        bench_table(target, results)
    print(f'bench --vm {args.vm} {"done" if ok else "FAILED"} in {time.monotonic() - start:.0f}s')
    return 0 if ok else 1


def add_arguments(s):
    """The options of "bench" for the VM benchmark."""
    s.add_argument('--vm', choices=sorted(TARGETS),
                   help='old against new: time a real driver\'s map/unmap/iova_to_phys in QEMU '
                   'guests (-icount), the unpatched 6.12 kernel against the patched one')
    s.add_argument('--batches', type=int, default=500,
                   help='with --vm: timed batches per row (default 500)')
    s.add_argument('--calls', type=int, default=32,
                   help='with --vm: calls per batch, fewer for rows of more than 2 GiB a call '
                   '(default 32)')
    s.add_argument('--cmdline', help='with --vm: more guest kernel command line')
    s.add_argument('--timeout', type=int, default=1200,
                   help='with --vm: seconds before a guest is killed (default 1200)')
    s.add_argument('-v', '--verbose', action='store_true',
                   help='with --vm: show the whole serial console')

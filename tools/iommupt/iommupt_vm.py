# SPDX-License-Identifier: GPL-2.0
"""The VM runs of the iommupt workbench: guest kernels under QEMU.

The workbench script (tools/iommupt/iommupt) imports this module and hands it
itself with bind(); everything shared with the other commands (paths, the
build lock, apply, messages) stays in the script and is reached as wb.NAME.
"""

import os
import re
import shutil
import subprocess
import sys
import threading
import time

wb = None  # the workbench script, set by bind()


def bind(workbench):
    """Give the module the workbench script's helpers (paths, lock, apply)."""
    global wb
    wb = workbench

VM_TESTS = ['iommufd', 'iommufd_fail_nth']

# The guest counts warnings and sanitizer reports with dmesg at the end of a
# run, so its ring buffer must hold all that a run logs: the selftests log
# more than the default 128K, which lost the sanitizer's line from early boot.
GUEST_LOG = 'log_buf_len=16M'


class Arch:
    """What a guest of one architecture needs: its kernel, compiler, console, busybox."""

    def __init__(self, name, karch, cross, qemu, image, console, config, cmdline, busybox):
        self.name = name
        self.qemu = qemu          # the QEMU system emulator
        self.karch = karch        # the kernel's ARCH=
        self.cross = cross        # the cross compiler's prefix, '' for the host's
        self.image = image        # the kernel image QEMU boots, in the build directory
        self.console = console
        self.config = config      # the guest's config fragment in tools/iommupt
        self.cmdline = cmdline    # more kernel command line of every disk run
        self.busybox = busybox    # a static busybox for the guest: a path, or a callable


def arm64_busybox():
    """Debian's busybox-static for arm64, fetched and unpacked in the cache once."""
    bb = os.path.join(wb.CACHE, 'busybox-arm64', 'bin', 'busybox')
    if os.path.isfile(bb):
        return bb
    top = os.path.dirname(os.path.dirname(bb))
    debs = os.path.join(top, 'deb')
    os.makedirs(debs, exist_ok=True)
    wb.say('fetching busybox-static:arm64 from Debian (apt-get download)')
    if 'arm64' not in subprocess.run(['dpkg', '--print-foreign-architectures'],
                                     stdout=subprocess.PIPE, text=True).stdout.split():
        wb.run(['dpkg', '--add-architecture', 'arm64'])
        wb.run(['apt-get', 'update', '-q'], stdout=subprocess.DEVNULL)
    wb.run(['apt-get', 'download', '-q', 'busybox-static:arm64'], cwd=debs,
           stdout=subprocess.DEVNULL)
    deb = [f for f in os.listdir(debs) if f.endswith('_arm64.deb')]
    if not deb:
        raise wb.Failure('apt-get download busybox-static:arm64 gave no package')
    wb.run(['dpkg-deb', '-x', os.path.join(debs, deb[0]), top])
    return bb


ARCHES = {
    'x86_64': Arch('x86_64', 'x86_64', '', 'qemu-system-x86_64', 'arch/x86/boot/bzImage',
                   'ttyS0', 'vm.config', '', '/bin/busybox'),
    # The hugepages of the workload are 2M whatever the page size: a PMD
    # with 4K pages, a contiguous run of PTEs with 16K and 64K pages
    'arm64': Arch('arm64', 'arm64', 'aarch64-linux-gnu-', 'qemu-system-aarch64',
                  'arch/arm64/boot/Image', 'ttyAMA0',
                  'vm-arm64.config', 'default_hugepagesz=2M', arm64_busybox),
}


def arch_busybox(arch):
    bb = arch.busybox() if callable(arch.busybox) else arch.busybox
    if not os.path.isfile(bb):
        raise wb.Failure(f'{bb} is missing: run "tools/iommupt/iommupt setup" (busybox-static)')
    return bb


def make(args, build_dir, src, log, what, arch=None):
    """Run make for the VM kernel, output in a log, a line of progress a minute."""
    arch = arch or ARCHES['x86_64']
    env = wb.ccache_env()
    cc = arch.cross + 'gcc'
    cmd = ['make', '-C', src, f'O={build_dir}', f'ARCH={arch.karch}', f'-j{os.cpu_count() or 1}',
           f'CC=ccache {cc}' if shutil.which('ccache') else f'CC={cc}'] + \
        ([f'CROSS_COMPILE={arch.cross}'] if arch.cross else []) + args
    with open(log, 'a') as f, wb.Ticker(what) as t:
        f.write('$ ' + ' '.join(cmd) + '\n')
        f.flush()
        rc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=env).returncode
    if rc:
        with open(log, errors='replace') as f:
            tail = f.read().splitlines()[-15:]
        print('\n'.join(tail), file=sys.stderr)
        raise wb.Failure(f'{what} failed after {t.elapsed():.0f}s; the full log is {log}')
    return t.elapsed()


def vm_kernel(src, build_dir, fragments, log, arch=None):
    """Configure and build the kernel image; return its path."""
    arch = arch or ARCHES['x86_64']
    os.makedirs(build_dir, exist_ok=True)
    wanted = {}
    for frag in fragments:
        with open(frag) as f:
            for line in f:
                m = re.match(r'^(CONFIG_\w+)=(.*)$', line.strip())
                if m:
                    wanted[m.group(1)] = m.group(2)
    merged = os.path.join(build_dir, 'iommupt.config')
    with open(merged, 'w') as f:
        f.writelines(f'{k}={v}\n' for k, v in wanted.items())
    wb.say(f'configuring the VM kernel in {build_dir}')
    make([f'KCONFIG_ALLCONFIG={merged}', 'allnoconfig'], build_dir, src, log, 'configuring', arch)
    with open(os.path.join(build_dir, '.config')) as f:
        have = dict(re.findall(r'^(CONFIG_\w+)=(.*)$', f.read(), re.M))
    lost = [f'{k}={v}' for k, v in wanted.items() if v != 'n' and have.get(k) != v]
    if lost:
        raise wb.Failure('the VM kernel config lost ' + ' '.join(lost) +
                      f' (a dependency is missing; add it to tools/iommupt/{arch.config})')
    wb.say('building the VM kernel')
    # modules: no module is configured, but it writes the Module.symvers
    # that the out-of-tree module of the planted fault is built against
    secs = make([os.path.basename(arch.image), 'modules', 'headers'], build_dir, src, log,
                'building the VM kernel', arch)
    wb.say(f'VM kernel built in {secs:.0f}s')
    return os.path.join(build_dir, arch.image)


# Names the selftests of Debian's 6.12.y use that its own headers lack: the
# stable backports of the selftests outran the uAPI. Each is defined only if
# the tree being built does not have it, to the value later kernels give it;
# the kernel rejects what it does not implement, the same on base and patched.
# Except MOCK_FLAGS_DEVICE_PASID: the iommufd_ioas.mock_domain fixture asks
# for a PASID-capable mock device in its setup, which 6.12 rejects, and so
# every test of that fixture would fail there. With no flag the fixture gets
# the same second device without PASID, and only what asks that device for
# its PASID width fails.
SELFTEST_COMPAT = [
    ('usr/include/linux/iommufd.h', 'IOMMU_HW_INFO_TYPE_DEFAULT',
     '#define IOMMU_HW_INFO_TYPE_DEFAULT 0'),
    ('usr/include/linux/iommufd.h', 'IOMMU_HW_INFO_FLAG_INPUT_TYPE',
     '#define IOMMU_HW_INFO_FLAG_INPUT_TYPE (1 << 0)'),
    ('usr/include/linux/iommufd.h', 'in_data_type', '#define in_data_type out_data_type'),
    ('drivers/iommu/iommufd/iommufd_test.h', 'MOCK_FLAGS_DEVICE_PASID',
     '#define MOCK_FLAGS_DEVICE_PASID 0'),
    ('drivers/iommu/iommufd/iommufd_test.h', 'MOCK_PASID_WIDTH', '#define MOCK_PASID_WIDTH 20'),
]


def selftest_compat(src, build_dir):
    """Write the compat header for the selftests; return the names it defines."""
    lines, names = ['/* Generated by iommupt vm: see SELFTEST_COMPAT */'], []
    for header, name, definition in SELFTEST_COMPAT:
        path = os.path.join(build_dir if header.startswith('usr/') else src, header)
        with open(path) as f:
            if re.search(rf'\b{name}\b', f.read()):
                continue
        lines.append(definition)
        names.append(name)
    compat, text = os.path.join(build_dir, 'selftest-compat.h'), '\n'.join(lines) + '\n'
    # make does not know this header: other definitions rebuild the selftests
    if not os.path.isfile(compat) or open(compat).read() != text:
        shutil.rmtree(os.path.join(build_dir, 'selftests'), ignore_errors=True)
        os.makedirs(os.path.join(build_dir, 'selftests'))
    with open(compat, 'w') as f:
        f.write(text)
    return compat, names


def vm_selftests(src, build_dir, log):
    """Build the iommu selftests statically against the kernel's own headers."""
    outdir = os.path.join(build_dir, 'selftests')
    os.makedirs(outdir, exist_ok=True)
    compat, names = selftest_compat(src, build_dir)
    if names:
        wb.say('the selftests use names this tree lacks; building with compat definitions of '
               + ' '.join(names))
    cmd = ['make', '-C', os.path.join(src, 'tools', 'testing', 'selftests', 'iommu'),
           f'OUTPUT={outdir}', f'KHDR_INCLUDES=-isystem {build_dir}/usr/include',
           f'USERCFLAGS=-include {compat}', 'USERLDFLAGS=-static', f'-j{os.cpu_count() or 1}']
    wb.say('building the iommu selftests')
    with open(log, 'a') as f:
        f.write('$ ' + ' '.join(cmd) + '\n')
        f.flush()
        rc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT).returncode
    if rc:
        raise wb.Failure(f'building the iommu selftests failed; the log is {log}')
    return outdir


def vm_initramfs(build_dir, tests_dir, tests, shell, files=(), conf=None, arch=None):
    """Pack busybox, the init, the selftests and FILES into an initramfs.

    FILES are host paths copied to /tests; CONF is more of iommupt.conf.
    """
    busybox = arch_busybox(arch or ARCHES['x86_64'])
    root = os.path.join(build_dir, 'initramfs')
    shutil.rmtree(root, ignore_errors=True)
    for d in ('bin', 'dev', 'proc', 'sys', 'tmp', 'tests'):
        os.makedirs(os.path.join(root, d))
    shutil.copy2(busybox, os.path.join(root, 'bin', 'busybox'))
    os.symlink('busybox', os.path.join(root, 'bin', 'sh'))
    shutil.copy2(os.path.join(wb.REPO, 'tools', 'iommupt', 'guest-init'), os.path.join(root, 'init'))
    for t in tests:
        shutil.copy2(os.path.join(tests_dir, t), os.path.join(root, 'tests', t))
    for path in files:
        shutil.copy2(path, os.path.join(root, 'tests', os.path.basename(path)))
    with open(os.path.join(root, 'iommupt.conf'), 'w') as f:
        f.write(f'IOMMUPT_TESTS="{" ".join(tests)}"\nIOMMUPT_SHELL={1 if shell else 0}\n')
        for k, v in (conf or {}).items():
            f.write(f'{k}="{v}"\n')
    image = os.path.join(build_dir, 'initramfs.cpio.gz')
    wb.run(f'cd {root} && find . | cpio -o -H newc --quiet | gzip -1 > {image}', shell=True)
    return image


def unsplit_console(text):
    """Take out the kernel messages that the console put inside other lines.

    The guest's programs and the kernel share the console: a printk can land
    in the middle of a line of the selftests or the workload. The guest's
    own copies of dmesg lines (IOMMUPT-...-LOG [...]) stay.
    """
    return re.sub(r'(?<=[^\n])(?<!-LOG )\[ *\d+\.\d+\] [^\n]*\n', '', text.replace('\r', ''))


def parse_vm_output(text, tests):
    """Per test: (rc, passed, failed names, skipped, seconds) from the guest's markers."""
    text = unsplit_console(text)
    results = {}
    for t in tests:
        m = re.search(rf'IOMMUPT-TEST-BEGIN {t}\r?\n(.*?)IOMMUPT-TEST-END {t} rc=(\d+) seconds=(\d+)',
                      text, re.S)
        if not m:
            results[t] = None
            continue
        passed = len(re.findall(r'^ok \d+ ', m.group(1), re.M))
        failed = re.findall(r'^not ok \d+ (\S+)', m.group(1), re.M)
        skipped = len(re.findall(r'^ok \d+ \S+ # SKIP', m.group(1), re.M))
        results[t] = (int(m.group(2)), passed - skipped, failed, skipped, int(m.group(3)))
    return results


def known_failures():
    path = os.path.join(wb.REPO, 'tools', 'iommupt', 'vm-known-failures')
    with open(path) as f:
        return {l.strip() for l in f if l.strip() and not l.startswith('#')}


# ---------------------------------------------------------------- building

class Guest:
    """A built guest: kernel, selftests and the tools of the disk runs."""

    def __init__(self, base, src, version, build_dir, kernel, tests_dir, tools, converted,
                 arch=None):
        self.base = base
        self.arch = arch or ARCHES['x86_64']
        self.converted = converted  # the IOMMUs whose driver is on genpt in this kernel
        self.src = src
        self.version = version
        self.build_dir = build_dir
        self.kernel = kernel
        self.tests_dir = tests_dir
        self.tools = tools


def guest_tools(src, build_dir, log, arch=None):
    """The static disk workload, the planted fault's module and fgsp.ko."""
    arch = arch or ARCHES['x86_64']
    guest = os.path.join(wb.REPO, 'tools', 'iommupt', 'guest')
    outdir = os.path.join(build_dir, 'guest')
    os.makedirs(outdir, exist_ok=True)
    dmaload = os.path.join(outdir, 'dmaload')
    cmd = [arch.cross + 'gcc', '-O2', '-Wall', '-static', '-pthread', '-o', dmaload,
           os.path.join(guest, 'dmaload.c')]
    with open(log, 'a') as f:
        f.write('$ ' + ' '.join(cmd) + '\n')
        f.flush()
        if subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT).returncode:
            raise wb.Failure(f'building the guest workload (dmaload) failed; the log is {log}')
    # The guest's modules, for the base too (it only runs fgsp.ko)
    mods = guest_modules(src, build_dir, log, arch)
    return [dmaload, mods['dmaleak'], mods['fgsp']]


def guest_modules(src, build_dir, log, arch=None):
    """Build the guest's modules (tools/iommupt/guest/Kbuild); their paths by name."""
    guest = os.path.join(wb.REPO, 'tools', 'iommupt', 'guest')
    with open(os.path.join(guest, 'Kbuild')) as f:
        names = re.findall(r'(\w+)\.o\b', ''.join(l for l in f if not l.startswith('#')))
    # Built out of tree in the build directory, not in the repository
    moddir = os.path.join(build_dir, 'guest', 'modules')
    os.makedirs(moddir, exist_ok=True)
    for name in ['Kbuild'] + [n + '.c' for n in names]:
        wb.install_file(os.path.join(guest, name), os.path.join(moddir, name))
    make([f'M={moddir}', 'modules'], build_dir, src, log, 'building the guest modules', arch)
    return {n: os.path.join(moddir, n + '.ko') for n in names}


def build_guest(base, kasan=False, tools=False, bench=False, arch=None, variant=None):
    """Build (incrementally) the guest kernel of the base or the patched tree.

    BENCH: the guest of "bench --vm", with only the guest modules beside the
    kernel. Its patched kernel has the arch's config alone, like the base,
    and its own build directory: Kconfig.fragment switches on what the tests
    need (DEBUG_GENERIC_PT, the sanitizer, KUnit), which a benchmark of the
    page table against 6.12's must leave out. VARIANT is (name, config
    lines) of a kernel that differs by its configuration, an arm64 page
    size: it gets its own build directory.
    """
    # One build directory per architecture and variant
    arch = arch or ARCHES['x86_64']
    vname = f'vm-{arch.name}' + (f'-{variant[0]}' if variant else '')
    fragments = [os.path.join(wb.REPO, 'tools', 'iommupt', arch.config)]
    if variant:
        path = os.path.join(wb.CACHE, f'{vname}.config')
        with open(path, 'w') as f:
            f.writelines(line + '\n' for line in variant[1])
        fragments.append(path)
    if base:
        src, version = wb.base_tree()
        name = vname + '-base'
    else:
        src = None
        _, version = wb.base_tree()
        name = vname + ('-bench' if bench else '')
        if not bench:
            fragments.append(os.path.join(wb.REPO, 'Kconfig.fragment'))
    if kasan:
        name += '-kasan'
        path = os.path.join(wb.CACHE, 'kasan.config')
        with open(path, 'w') as f:
            f.write('CONFIG_KASAN=y\nCONFIG_KASAN_INLINE=y\n')
        fragments.append(path)
    build_dir = os.path.join(wb.CACHE, 'build', name)
    os.makedirs(build_dir, exist_ok=True)
    log = os.path.join(build_dir, 'iommupt-build.log')
    open(log, 'w').close()
    wb.say(f'{"unpatched base" if base else "patched tree"}: {version}')
    with wb.BuildLock():
        src = src or wb.apply_series(quiet=True)
        kernel = vm_kernel(src, build_dir, fragments, log, arch)
        if bench:
            tests_dir, built = None, list(guest_modules(src, build_dir, log, arch).values())
        else:
            # The iommufd selftests are the x86_64 main job's
            tests_dir = vm_selftests(src, build_dir, log) if arch.name == 'x86_64' else None
            built = guest_tools(src, build_dir, log, arch) if tools else []
        # Read now: once the lock is released another apply may rewrite the tree
        converted = {name for name, iommu in IOMMUS.items()
                     if not base and iommu.converted(src)}
        run_dir, kernel, tests_dir, built = snapshot(name, kernel, tests_dir, built)
    return Guest(base, src, version, run_dir, kernel, tests_dir, built, converted, arch)


def snapshot(name, kernel, tests_dir, tools):
    """Copy what the guests boot out of the shared build directory.

    The lock covers builds, not the runs after them: another checkout may
    rebuild the same directory from its own tree while our guests still
    have to boot. Each process boots its own copies, in a directory of its
    own under the cache's vm-runs/ (also where its initramfs, serial logs and
    disk run directories go); those of processes that are gone are removed.
    """
    runs = os.path.join(wb.CACHE, 'vm-runs')
    os.makedirs(runs, exist_ok=True)
    for d in os.listdir(runs):
        pid = d.rsplit('-', 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not os.path.exists(f'/proc/{pid}'):
            shutil.rmtree(os.path.join(runs, d), ignore_errors=True)
    snap = os.path.join(runs, f'{name}-{os.getpid()}')
    shutil.rmtree(snap, ignore_errors=True)
    os.makedirs(os.path.join(snap, 'selftests'))
    kernel = shutil.copy2(kernel, snap)
    for t in VM_TESTS if tests_dir else ():
        if os.path.isfile(os.path.join(tests_dir, t)):
            shutil.copy2(os.path.join(tests_dir, t), os.path.join(snap, 'selftests'))
    tools = [shutil.copy2(t, snap) for t in tools]
    return snap, kernel, os.path.join(snap, 'selftests') if tests_dir else None, tools


SHOWN = r'(IOMMUPT-|# Totals|not ok|\[.*\] (WARNING|BUG|Kernel panic))'


def boot(qemu, serial, timeout, verbose, shown=SHOWN):
    """Run QEMU to the guest's IOMMUPT-END; return the console text and the seconds."""
    captured = []
    with open(serial, 'w') as f, wb.Ticker('guest running') as t:
        proc = subprocess.Popen(qemu, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors='replace')
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        for line in proc.stdout:
            f.write(line)
            captured.append(line)
            if line.startswith('IOMMUPT-END'):
                # The guest is done; do not wait on a guest that cannot power off
                threading.Timer(15, proc.kill).start()
            if verbose or re.match(shown, line.lstrip()):
                sys.stdout.write(line)
                sys.stdout.flush()
        proc.wait()
        timer.cancel()
        return ''.join(captured), t.elapsed()


def selftest_run(args, g, start):
    """The iommufd selftests against the mock domain; True if they passed."""
    tests = args.tests.split(',') if args.tests else VM_TESTS
    initrd = vm_initramfs(g.build_dir, g.tests_dir, tests, args.shell)

    accel = 'kvm' if args.kvm else 'tcg'
    # KUnit suites built in through Kconfig.fragment stay off: kunit runs them
    cmdline = f'console=ttyS0 {GUEST_LOG} panic=-1 oops=panic kunit.enable=0 ' + (args.cmdline or '')
    if getattr(args, 'leak', False):
        # The one KUnit suite that frees a page its domain still maps
        cmdline += (' iommu.debug_pagealloc=1 kunit.enable=1'
                    ' kunit.filter_glob=iommu_debug_pagealloc_leak')
    qemu = ['qemu-system-x86_64', '-machine', f'q35,accel={accel}', '-cpu', 'max',
            '-smp', '2', '-m', '2G', '-nographic', '-no-reboot', '-kernel', g.kernel,
            '-initrd', initrd, '-append', cmdline.strip()]
    wb.say(f'booting with QEMU ({accel.upper()}{"" if args.kvm else "; --kvm for KVM"}), '
           f'timeout {args.timeout}s: {" ".join(tests)}')
    serial = os.path.join(g.build_dir, 'serial.log')
    if args.shell:
        return subprocess.run(qemu).returncode == 0
    text, elapsed = boot(qemu, serial, args.timeout, args.verbose)
    results = parse_vm_output(text, tests)
    warnings = re.findall(r'IOMMUPT-WARNINGS (\d+)', text)
    sanitizer = re.findall(r'IOMMUPT-SANITIZER (.*?) reports=(\d+)', text)
    print(f'\nvm summary ({"base" if args.base else "patched"}, {accel}, guest {elapsed:.0f}s, '
          f'total {time.monotonic() - start:.0f}s; serial log {serial}):')
    ok = 'IOMMUPT-END' in text
    if not ok:
        print('  the guest did not finish' + (' (timeout)' if elapsed >= args.timeout else ''))
    known = known_failures()
    for t in tests:
        r = results[t]
        if r is None:
            print(f'  {t:20} did not run to the end')
            ok = False
            continue
        rc, p, failed, sk, secs = r
        new = [f for f in failed if f not in known]
        print(f'  {t:20} {p} passed, {len(failed)} failed, {sk} skipped ({secs}s, exit {rc})'
              + (f'; {len(failed) - len(new)} of the failures also fail on the base '
                 '(tools/iommupt/vm-known-failures)' if len(new) != len(failed) else ''))
        for f in new:
            print(f'    new failure: {f}')
        ok = ok and not new and (rc == 0 or failed)
    if sanitizer:
        print(f'  IOMMU_DEBUG_PAGEALLOC: {sanitizer[-1][0]}, {sanitizer[-1][1]} reports')
        if getattr(args, 'leak', False):
            print(f'  deliberate leak: {"exactly one report" if sanitizer[-1][1] == "1" else "expected exactly one report"}')
            ok = ok and sanitizer[-1][1] == '1'
    live = re.search(r'IOMMUPT-PTDUMP-LIVE (.*?)\r?\n(.*?)IOMMUPT-PTDUMP-STATS', text, re.S)
    if live:
        print(f'  page table dumps read while the tests ran: {live.group(1).strip()}; a sample:')
        for line in live.group(2).splitlines()[:25]:
            print(f'    {line.rstrip()}')
    stats = re.search(r'IOMMUPT-PTDUMP-STATS\r?\n(.*?)IOMMUPT-', text, re.S)
    if stats and stats.group(1).strip():
        print('  its stats:')
        for line in stats.group(1).splitlines()[1:12]:
            print(f'    {line.rstrip()}')
    ptdumps = re.findall(r'IOMMUPT-PTDUMP (\S+)', text)
    print(f'  page table dumps read: {len(ptdumps)}' if ptdumps else
          '  page table dumps: none in debugfs (no live genpt domain at the end, or no dump yet)')
    if warnings:
        print(f'  kernel warnings/BUGs in dmesg: {warnings[-1]}')
        # The deliberate leak's report is itself one "BUG:" line
        ok = ok and warnings[-1] == ('1' if getattr(args, 'leak', False) else '0')
    print(f'vm {"passed" if ok else "FAILED"}')
    return ok


# ---------------------------------------------------------------- disk runs

class Disk:
    """A disk of the guest: the QEMU options that attach it and its guest name."""

    def __init__(self, name, guest_dev, options, max_kb=None):
        self.name = name
        self.guest_dev = guest_dev
        self.options = options   # {image}: the backing file
        self.max_kb = max_kb     # a cap on its requests, for a device model's limits

    def workload_arg(self):
        return self.guest_dev + (f':{self.max_kb}' if self.max_kb else '')

    def qemu(self, image, props=None):
        """Its QEMU options; PROPS are more properties of its -device."""
        opts = [a.format(image=image, name=self.name) for a in self.options]
        if props:
            i = opts.index('-device') + 1
            opts[i] += ',' + props
        return opts


# The disks of the x86_64 (q35) runs. The emulated devices DMA through the
# IOMMU placed before them; virtio only with iommu_platform=on. The NVMe
# mdts is raised to 2 MiB (2^9 pages), but 6.12's NVMe driver caps requests
# at dma_opt_mapping_size(), 128K behind an IOMMU (the IOVA rcache limit),
# so only virtio-blk and AHCI get 2M requests whole.
Q35_DISKS = [
    Disk('nvme', '/dev/nvme0n1', ['-drive', 'file={image},if=none,id={name},format=raw',
                                  '-device', 'nvme,drive={name},serial=iommupt-nvme,mdts=9']),
    Disk('virtio', '/dev/vda', ['-drive', 'file={image},if=none,id={name},format=raw',
                                '-device', 'virtio-blk-pci,drive={name},disable-legacy=on,'
                                'iommu_platform=on']),
    # On the q35's own ICH9 AHCI controller (00:1f.2). QEMU 7.2's AHCI maps
    # a command's whole PRDT in one piece, which through an IOMMU fails
    # ("PRDT length ... is smaller than the requested size", then an
    # assertion) when the PRDT crosses a page; 6.12's command tables leave
    # room for 8 entries before the page end in the worst slots (14 and 30),
    # and libata's segments are at most 64K: 448K requests always fit.
    Disk('ahci', '/dev/sda', ['-drive', 'file={image},if=none,id={name},format=raw',
                              '-device', 'ide-hd,drive={name},bus=ide.0'], max_kb=448),
]


class Config:
    """One configuration of a disk run: IOMMU device options and command line."""

    def __init__(self, name, props, cmdline, leak=False, disk_props=None, grows=False,
                 variant=None):
        self.name = name
        self.props = props
        self.cmdline = cmdline
        self.leak = leak   # plant the fault (patched kernel, sanitizer on)
        self.disk_props = disk_props or {}  # disk name: more -device properties
        self.grows = grows  # a genpt domain must end with more levels than it began
        self.variant = variant  # a key of the IOMMU's kernel variants, e.g. a page size


class Iommu:
    """What a disk run needs to know about one emulated IOMMU."""

    def __init__(self, name, arch, machine, device, cmdline, disks, traces, planted, configs,
                 main, converted, fgsp, walks=None, start_levels=None, faults=None,
                 variants=None, sample='0.5'):
        self.name = name
        self.arch = arch
        self.machine = machine
        self.device = device          # the -device of the IOMMU, before the disks
        self.cmdline = cmdline
        self.disks = disks
        self.traces = traces          # QEMU trace events that are DMA faults
        self.planted = planted        # dmaleak.ko's parameters: whose domain maps the page
        self.configs = configs
        self.main = main              # the configurations of the main job
        self.converted = converted    # does this tree's driver use genpt?
        # What 6.12's driver returns to VFIO type1's probe for fine grained
        # super pages (tools/iommupt/guest/fgsp.c): the unmap of the first
        # page of a two-page map
        self.fgsp = fgsp
        # A QEMU trace event for each page walk the IOMMU makes, with the
        # device and "gpa 0x<IOVA> hpa 0x<address>": proof that the DMA went
        # through the IOMMU. The run fails unless every disk's device has some
        self.walks = walks
        self.start_levels = start_levels  # levels a table starts with (dynamic top)
        self.faults = faults          # what the guest's dmesg says for a fault (grep -e)
        self.variants = variants or {}  # guest kernels by name: their config lines
        self.sample = sample          # seconds between the guest's reads of the ptdumps


def intel_converted(src):
    """Whether the tree's VT-d driver is on the generic page table."""
    with open(os.path.join(src, 'drivers', 'iommu', 'intel', 'Kconfig')) as f:
        return 'IOMMU_PT' in f.read()


def amd_converted(src):
    """Whether the tree's AMD IOMMU driver is on the generic page table."""
    with open(os.path.join(src, 'drivers', 'iommu', 'amd', 'Kconfig')) as f:
        return 'IOMMU_PT' in f.read()


def smmuv3_converted(src):
    """Whether the tree's SMMUv3 driver is on the generic page table."""
    with open(os.path.join(src, 'drivers', 'iommu', 'Kconfig')) as f:
        text = f.read()
    block = r'config ARM_SMMU_V3\n(?:\t.*\n|\n)*?\tselect IOMMU_PT_ARMV8'
    return re.search(block, text) is not None


SANITIZER_ON = 'iommu.debug_pagealloc=1'

IOMMUS = {
    'intel': Iommu(
        'intel', 'x86_64', 'q35', 'intel-iommu,intremap=on',
        # intel_iommu=on; 6.12 uses scalable mode only where the unit has it
        # (x-scalable-mode=on) and the command line asks for it (sm_on):
        # INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON is off in the VM kernel
        'intel_iommu=on', Q35_DISKS, ['vtd_dmar_fault'],
        # The planted fault maps its page for the NVMe controller
        'class=0x010802',
        [
            Config('aw39-legacy-strict', 'aw-bits=39', 'iommu.strict=1'),
            Config('aw48-legacy-lazy', 'aw-bits=48', 'iommu.strict=0'),
            Config('aw39-sm-lazy', 'aw-bits=39,x-scalable-mode=on',
                   'intel_iommu=sm_on iommu.strict=0'),
            Config('aw48-sm-strict', 'aw-bits=48,x-scalable-mode=on',
                   'intel_iommu=sm_on iommu.strict=1'),
            Config('aw48-legacy-cm-strict', 'aw-bits=48,caching-mode=on', 'iommu.strict=1'),
            Config('aw39-sm-strict-san', 'aw-bits=39,x-scalable-mode=on',
                   'intel_iommu=sm_on iommu.strict=1 ' + SANITIZER_ON, leak=True),
        ],
        ['aw39-sm-strict-san', 'aw48-legacy-lazy'],
        # 6.12's VT-d maps 8K as two 4K pages and intel_iommu_unmap()
        # removes the one asked for
        intel_converted, 4096),
    # QEMU 7.2's amd-iommu translates v1 tables only (6.12 uses v1 unless
    # amd_iommu=pgtbl_v2, and falls back to it on a unit without GT), and
    # only for devices on the root bus: the q35's disks are all on pcie.0.
    # It reports some faults only as trace events (amdvi_page_fault), and
    # some bad tables only as the others counted here.
    'amd': Iommu(
        'amd', 'x86_64', 'q35', 'amd-iommu,intremap=on', '', Q35_DISKS,
        ['amdvi_page_fault', 'amdvi_mode_invalid', 'amdvi_invalid_dte',
         'amdvi_dte_get_fail', 'amdvi_get_pte_hwerror'],
        'class=0x010802',
        [
            Config('strict', '', 'iommu.strict=1'),
            Config('lazy', '', 'iommu.strict=0'),
            Config('strict-san', '', 'iommu.strict=1 ' + SANITIZER_ON, leak=True),
            # 64-bit IOVAs from the top of the space: the v1 table grows
            # from 3 levels to 6. QEMU 7.2 keys its IOTLB with the device
            # id ORed in at bit 36 of the page number, so from 2^48 up the
            # same IOVA of two devices is one entry: with a domain each, a
            # device would use another's translation. The NVMe and
            # virtio-blk disks therefore join the AHCI one as functions of
            # the ICH9's slot, one IOMMU group without ACS, one domain.
            Config('forcedac-strict', '', 'iommu.strict=1 iommu.forcedac=1',
                   disk_props={'nvme': 'addr=0x1f.4', 'virtio': 'addr=0x1f.5'}, grows=True),
        ],
        ['strict-san'],
        # 6.12's AMD v1 maps 8K as one 8K leaf (two items, NextLevel 7) and
        # iommu_v1_unmap_pages() removes it whole and returns its size
        amd_converted, 8192, walks='amdvi_cache_update', start_levels=3),
    # QEMU 7.2's SMMUv3 (-M virt,iommu=smmuv3) translates stage 1 only, and
    # the driver's table takes the granule of the guest's pages: each page
    # size is its own guest kernel, so that 4K, 16K and 64K tables all meet
    # QEMU's walker. The PCIe root
    # complex and so both disks are behind it. 6.12 reports every event of
    # the SMMU's event queue as "event 0x.. received".
    'smmuv3': Iommu(
        'smmuv3', 'arm64', 'virt,iommu=smmuv3,gic-version=3', None, '', Q35_DISKS[:2],
        ['smmuv3_record_event', 'smmuv3_translate_abort'], 'class=0x010802',
        [
            Config('4k-strict', '', 'iommu.strict=1', variant='4k'),
            Config('4k-lazy', '', 'iommu.strict=0', variant='4k'),
            Config('4k-strict-san', '', 'iommu.strict=1 ' + SANITIZER_ON, leak=True,
                   variant='4k'),
            Config('16k-strict', '', 'iommu.strict=1', variant='16k'),
            Config('16k-lazy', '', 'iommu.strict=0', variant='16k'),
            Config('64k-strict', '', 'iommu.strict=1', variant='64k'),
            Config('64k-lazy', '', 'iommu.strict=0', variant='64k'),
        ],
        ['4k-strict-san'],
        # 6.12's io-pgtable-arm maps two pages as two leaves and unmaps
        # the one asked for: a page of the guest's size
        smmuv3_converted, {'4k': 4096, '16k': 16384, '64k': 65536}, faults='event 0x[0-9a-f]* received',
        # The arm64 guest's workload is over in seconds: sample its 2M
        # leaves, each mapped for one request, more often
        sample='0.05',
        variants={'4k': ['CONFIG_ARM64_4K_PAGES=y'], '16k': ['CONFIG_ARM64_16K_PAGES=y'],
                  '64k': ['CONFIG_ARM64_64K_PAGES=y']}),
}

DEFAULT_MIB = 256


def iommu_qemu(iommu, props, kvm, trace, smp=2, extra=()):
    """QEMU's command line up to the IOMMU: the IOMMU with PROPS, no devices yet.

    TRACE is a file for the IOMMU's fault and page walk trace events, emptied now; EXTRA
    are more options (-icount for the benchmark).
    """
    machine = f'{iommu.machine},accel={"kvm" if kvm else "tcg"}'
    if kvm:
        # Interrupt remapping with KVM needs the split irqchip
        machine += ',kernel-irqchip=split'
    if os.path.exists(trace):
        os.unlink(trace)
    qemu = [ARCHES[iommu.arch].qemu, '-machine', machine, '-cpu', 'max', '-smp', str(smp),
            '-m', '2G', '-nographic', '-no-reboot', '-nic', 'none'] + list(extra)
    for event in iommu.traces:
        qemu += ['-trace', f'enable={event},file={trace}']
    if iommu.walks:
        qemu += ['-trace', f'enable={iommu.walks},file={trace}']
    if iommu.device:
        qemu += ['-device', f'{iommu.device},{props}' if props else iommu.device]
    return qemu


def guest_boot(g, iommu, initrd, *cmdline):
    """QEMU's options that boot guest G behind IOMMU with more CMDLINE."""
    cmdline = ' '.join([f'console={g.arch.console} {GUEST_LOG} panic=-1 oops=panic kunit.enable=0',
                        g.arch.cmdline, iommu.cmdline] + [c or '' for c in cmdline])
    if g.base:
        # The unpatched kernel has no sanitizer: its option is unknown there
        cmdline = cmdline.replace(SANITIZER_ON, '')
    return ['-kernel', g.kernel, '-initrd', initrd, '-append', ' '.join(cmdline.split())]


def trace_events(iommu, trace):
    """How many of the IOMMU's fault events QEMU traced; None without a trace file."""
    return read_trace(trace, iommu)[0]


def disk_run(args, g, iommu, cfg, mib, seed):
    """Boot one configuration and run the disk workload; return its result."""
    run_dir = os.path.join(g.build_dir, f'{iommu.name}-{cfg.name}')
    os.makedirs(run_dir, exist_ok=True)
    leak = cfg.leak and not g.base
    conf = {'IOMMUPT_DMALOAD': f'-m {mib} -s {seed}',
            'IOMMUPT_DMALOAD_DISKS': ' '.join(d.workload_arg() for d in iommu.disks),
            'IOMMUPT_SAMPLE': iommu.sample, 'IOMMUPT_FGSP': iommu.planted}
    if leak:
        conf['IOMMUPT_LEAK'] = iommu.planted
    if iommu.faults:
        conf['IOMMUPT_FAULTS'] = iommu.faults
    initrd = vm_initramfs(g.build_dir, g.tests_dir, [], args.shell, g.tools, conf, g.arch)
    accel = 'kvm' if args.kvm else 'tcg'
    trace = os.path.join(run_dir, 'qemu-trace.log')
    qemu = iommu_qemu(iommu, cfg.props, args.kvm, trace)
    images = []
    for d in iommu.disks:
        image = os.path.join(run_dir, f'{d.name}.img')
        # Raw and sparse, fresh every run: nothing left from an earlier one
        with open(image, 'w') as f:
            f.truncate((mib + 1) << 20)
        images.append(image)
        qemu += d.qemu(image, cfg.disk_props.get(d.name))
    qemu += guest_boot(g, iommu, initrd, cfg.cmdline, args.cmdline)
    kernel = 'base' if g.base else 'patched'
    wb.say(f'{iommu.name} {cfg.name} ({kernel}): {mib} MiB per disk, QEMU {accel.upper()}, '
           f'timeout {args.timeout}s')
    serial = os.path.join(run_dir, f'serial-{kernel}.log')
    try:
        if args.shell:
            subprocess.run(qemu)
            return None
        text, elapsed = boot(qemu, serial, args.timeout, args.verbose,
                             r'(IOMMUPT-DMALOAD|DMALOAD-END|qemu-system|'
                             r'\[.*\] (WARNING|BUG|Kernel panic|dmaleak|fgsp))')
    finally:
        for image in images:
            os.unlink(image)
    r = parse_disk_run(text, leak)
    r['disks_expected'] = len(iommu.disks)
    # A number, or one per kernel variant (the guest's page size)
    r['fgsp_expected'] = iommu.fgsp.get(cfg.variant) if isinstance(iommu.fgsp, dict) \
        else iommu.fgsp
    r.update(config=cfg.name, kernel=kernel, guest_seconds=elapsed, serial=serial,
             finished='IOMMUPT-END' in text, timeout=elapsed >= args.timeout,
             converted=iommu.name in g.converted)
    r['qemu_faults'], r['walks'] = read_trace(trace, iommu)
    r['walks_expected'] = bool(iommu.walks)
    r['grows'] = cfg.grows and not g.base
    r['start_levels'] = iommu.start_levels
    judge(r, leak)
    return r


def read_trace(trace, iommu):
    """The fault events and, per device, the page walks of QEMU's trace.

    Walks are (walks, walks whose output differs from the IOVA) per device.
    """
    faults, walks = 0, {}
    walk = re.compile(r'devid: (\S+) gpa 0x([0-9a-f]+) hpa 0x([0-9a-f]+)')
    try:
        with open(trace, errors='replace') as f:
            for line in f:
                if iommu.walks and iommu.walks in line:
                    m = walk.search(line)
                    if m:
                        n = walks.setdefault(m.group(1), [0, 0])
                        n[0] += 1
                        n[1] += m.group(2) != m.group(3)
                elif any(e in line for e in iommu.traces):
                    faults += 1
    except FileNotFoundError:
        return None, walks
    return faults, walks


def parse_disk_run(text, leak):
    """The counts of one disk run, from the guest's markers."""
    text = unsplit_console(text)

    def last(pattern, default=None, conv=int):
        found = re.findall(pattern, text)
        return conv(found[-1]) if found else default

    r = {'disks': {}, 'queues': {}}
    for m in re.finditer(r'^DMALOAD disk=(\S+) (.*)$', text, re.M):
        r['disks'][m.group(1)] = dict(kv.split('=', 1) for kv in m.group(2).split())
    for m in re.finditer(r'^DMALOAD-QUEUE disk=(\S+) (.*)$', text, re.M):
        r['queues'][m.group(1)] = dict(kv.split('=', 1) for kv in m.group(2).split())
    r['errors'] = re.findall(r'^DMALOAD-ERROR (.*)$', text, re.M)
    r['workload'] = last(r'DMALOAD-END (\w+) seconds=(\d+)', None, lambda x: x)
    r['dmar_faults'] = last(r'IOMMUPT-DMAR-FAULTS (\d+)')
    r['warnings'] = last(r'IOMMUPT-WARNINGS (\d+)')
    r['sanitizer'] = last(r'IOMMUPT-SANITIZER (.*?) reports=(\d+)', None, lambda x: x)
    r['groups'] = re.findall(r'^group (\d+ \S+): (.*)$', text, re.M)
    r['disk_pci'] = dict(re.findall(r'^IOMMUPT-DISK (\S+) (\S*)$', text, re.M))
    r['live'] = last(r'IOMMUPT-PTDUMP-LIVE reads=(\d+)', 0)
    r['leaves_2m'] = {}
    for m in re.finditer(r'^IOMMUPT-LEAVES-2M (\S+) (\d+)\r?\n((?:0x.*\n)*)', text, re.M):
        r['leaves_2m'][m.group(1)] = (int(m.group(2)), m.group(3).splitlines())
    r['iommu_log'] = re.findall(r'^IOMMUPT-IOMMU-LOG (.*)$', text, re.M)
    # The live domains at the end, from the first line of each ptdump
    r['fgsp'] = last(r'IOMMUPT-FGSP-LOG .*fgsp: \S+: mapped \d+, unmapped \d+ of it: '
                     r'returned (\d+)')
    r['levels'] = {m.group(1): int(m.group(2)) for m in re.finditer(
        r'^IOMMUPT-PTDUMP /sys/kernel/debug/iommu/(domain_\d+)/ptdump\r?\n'
        r'format \S+, (\d+) levels', text, re.M)}
    r['qemu_messages'] = re.findall(r'^qemu-system-\S+: (.*)$', text, re.M)
    if leak:
        r['before_leak'] = last(r'IOMMUPT-BEFORE-LEAK reports=(\d+) warnings=(\d+)', None,
                                lambda x: tuple(map(int, x)))
        # From the guest's dmesg after the module, not the console's copy
        log = '\n'.join(re.findall(r'^IOMMUPT-LEAK-LOG (.*)$', text, re.M))
        r['leak_map'] = last(r'dmaleak: device (\S+) domain (\S+) IOVA (0x[0-9a-f]+)', None,
                             lambda x: x)
        # "mapped by domain_<id> at IOVA <iova>, devices: <dev> ...": the id is
        # the domain's debugfs directory, which the module cannot print, so
        # the report must name the device the module mapped for
        r['leak_reports'] = [(dom, iova, devs.split()) for dom, iova, devs in re.findall(
            r'mapped by (domain_\d+) at IOVA (0x[0-9a-f]+), devices: ([^\n]*)', log)]
    return r


def judge(r, leak):
    """Set r['problems']: why the run failed, empty if it passed."""
    p = []
    if not r['finished']:
        p.append('the guest did not finish' + (' (timeout)' if r['timeout'] else ''))
    if not r['workload'] or r['workload'][0] != 'ok':
        p.append('the workload did not end ok')
    p += [f'workload error: {e}' for e in r['errors']]
    if len(r['disks']) != r['disks_expected']:
        p.append(f'{len(r["disks"])} of {r["disks_expected"]} disks reported')
    for name, d in r['disks'].items():
        if d['wsum'] != d['rsum'] or d['bad_words'] != '0':
            p.append(f'{name}: read back {d["bad_words"]} words that differ from what was written')
    if r['dmar_faults'] != 0:
        p.append(f'DMAR faults in the guest log: {r["dmar_faults"]}')
    if r['qemu_faults'] != 0:
        p.append(f'QEMU fault trace events: {r["qemu_faults"]}')
    warnings, reports = r['warnings'], int(r['sanitizer'][1]) if r['sanitizer'] else 0
    if leak:
        before = r['before_leak'] or (None, None)
        if before != (0, 0):
            p.append(f'before the planted fault: {before[0]} sanitizer reports, '
                     f'{before[1]} warnings (expected none)')
        # The planted fault's report is one "BUG:" line of its own
        warnings = warnings - 1 if warnings else warnings
        dev, iova = (r['leak_map'][0], r['leak_map'][2]) if r['leak_map'] else (None, None)
        named = [x for x in r['leak_reports'] if x[1] == iova and dev in x[2]]
        if reports != 1 or len(r['leak_reports']) != 1 or len(named) != 1:
            p.append(f'planted fault: {reports} sanitizer reports naming '
                     f'{r["leak_reports"]}, expected one naming a domain_<id> '
                     f'with device {dev} at IOVA {iova}')
    elif reports:
        p.append(f'sanitizer reports: {reports}')
    if warnings != 0:
        p.append(f'kernel warnings/BUGs: {warnings}')
    # For the table: the workload's own counts, "+1" the planted fault's
    r['warn_text'] = f'{warnings}+1' if leak else str(warnings)
    on = r['sanitizer'] and r['sanitizer'][0] == 'on'
    r['san_text'] = ((f'{reports - 1}+1' if leak else str(reports)) if on else '-')
    if r['converted'] and not r['live']:
        p.append('the driver is on genpt but no domain showed up in debugfs')
    if r['fgsp'] != r['fgsp_expected']:
        p.append(f'VFIO\'s fine grained super page probe: the unmap returned {r["fgsp"]}, '
                 f'6.12 returns {r["fgsp_expected"]}')
    if r['walks_expected']:
        # Every disk's PCI function (QEMU names it bus:slot.func) must have
        # had its IOVAs translated to other addresses by the IOMMU's walks
        for dev, pci in sorted(r['disk_pci'].items()):
            n, moved = r['walks'].get(pci.split(':', 1)[-1], (0, 0))
            if not moved:
                p.append(f'{dev} ({pci or "no PCI function"}): QEMU traced {n} page walks, '
                         'none that translated an IOVA: its DMA did not go through the IOMMU')
        if len(r['disk_pci']) != r['disks_expected']:
            p.append(f'the PCI functions of {len(r["disk_pci"])} of {r["disks_expected"]} '
                     'disks reported')
    if r['grows']:
        top = max(r['levels'].values(), default=0)
        if top <= r['start_levels']:
            p.append(f'no domain grew its top: at most {top} levels at the end, '
                     f'{r["start_levels"]} at the start')
    r['problems'] = p


def leaves_text(r):
    if r['kernel'] == 'base':
        return 'n/a (6.12 driver)'
    if not r['live']:
        return 'no genpt domain'
    if not r['leaves_2m']:
        return 'none'
    return ' '.join(f'{d.replace("domain_", "d")}:{n}' for d, (n, _) in sorted(r['leaves_2m'].items()))


def disk_runs(args, iommu, start, patched=None):
    """Every configuration asked for, patched (and base with --base); a table.

    PATCHED is the patched guest if it is built already.
    """
    names = args.configs.split(',') if args.configs else None
    configs = [c for c in iommu.configs if names is None or c.name in names]
    unknown = set(names or ()) - {c.name for c in configs}
    if unknown:
        raise wb.Failure(f'unknown configuration {",".join(sorted(unknown))}; choose from '
                         + ','.join(c.name for c in iommu.configs))
    mib = args.mib or DEFAULT_MIB
    arch = ARCHES[iommu.arch]
    built = {}

    def guests(cfg):
        """The patched guest of CFG's kernel (and the base's with --base), built once."""
        for base in (False, True) if args.base else (False,):
            key = (base, cfg.variant)
            if key not in built:
                variant = (cfg.variant, iommu.variants[cfg.variant]) if cfg.variant else None
                built[key] = (patched if patched and not base and not variant else
                              build_guest(base, args.kasan, True, arch=arch, variant=variant))
            yield built[key]
    results = []
    for cfg in configs:
        for g in guests(cfg):
            r = disk_run(args, g, iommu, cfg, mib, args.seed)
            if r is None:
                return True
            results.append(r)
            show_disk_run(r)
    return disk_table(iommu, results, mib, time.monotonic() - start)


def show_disk_run(r):
    print(f'\n{r["config"]} ({r["kernel"]}), guest {r["guest_seconds"]:.0f}s, serial log {r["serial"]}:')
    for name, q in r['queues'].items():
        d = r['disks'].get(name, {})
        print(f'  {name:8} max_hw_sectors_kb {q["max_hw_sectors_kb"]:>5} '
              f'max_sectors_kb {q["max_sectors_kb"]:>5}  write {d.get("write_ms", "?")} ms '
              f'read {d.get("read_ms", "?")} ms  checksum {d.get("rsum", "?")}  '
              f'requests {d.get("sizes", "?")}')
    for g, devs in r['groups']:
        print(f'  iommu group {g}: {devs.strip()}')
    if r['walks']:
        print('  IOMMU page walks in QEMU\'s trace (to another address/all), by device: ' +
              ', '.join(f'{d} {moved}/{n}' for d, (n, moved) in sorted(r['walks'].items())) +
              '; disks: ' + ', '.join(f'{d} {p}' for d, p in sorted(r['disk_pci'].items())))
    print(f'  VFIO fgsp probe (fgsp.ko): map 8K, unmap 4K returned {r["fgsp"]}')
    if r['levels']:
        print('  live domains at the end: ' +
              ', '.join(f'{d} {n} levels' for d, n in sorted(r['levels'].items())))
    for line in r['qemu_messages'][:5]:
        print(f'  QEMU: {line.strip()}')
    for line in r['iommu_log'][:12]:
        print(f'  | {line.strip()}')
    for dom, (n, dump) in sorted(r['leaves_2m'].items()):
        print(f'  {dom}: up to {n} leaves of 2M and up at once; some of them from its ptdump:')
        for line in dump[:4]:
            print(f'    {line.rstrip()}')
    if r.get('leak_map'):
        print(f'  planted fault: dma_map_page for {r["leak_map"][0]}, domain {r["leak_map"][1]} '
              f'IOVA {r["leak_map"][2]}, freed; reports: {r["leak_reports"]}')
    for problem in r['problems']:
        print(f'  problem: {problem}')
    print(f'  {r["config"]} ({r["kernel"]}) {"passed" if not r["problems"] else "FAILED"}')


def disk_table(iommu, results, mib, total):
    """The table of every run; True if every run passed and all checksums agree."""
    sums = {}
    for r in results:
        for name, d in r['disks'].items():
            sums.setdefault(name, set()).add(d['wsum'])
            sums[name].add(d['rsum'])
    agree = all(len(v) == 1 for v in sums.values())
    print(f'\n{iommu.name}: {len(results)} runs, {mib} MiB per disk '
          f'({", ".join(d.name for d in iommu.disks)} at once), total {total:.0f}s')
    walks = bool(iommu.walks)
    print(f'  {"configuration":24} {"kernel":8} {"work":>5} {"guest":>5}  {"sums":5} '
          f'{"faults":>6} {"qemu":>4} {"warn":>4} {"san":>4} {"fgsp":>5}  '
          + (f'{"walks":>7} {"levels":>6}  ' if walks else '') + '2M+ leaves (domain:most seen)')
    print('  (work: the slowest disk\'s write plus the slowest read; guest: boot to power-off; '
          'faults: IOMMU faults in the guest log; qemu: fault trace events; warn and san: kernel '
          'warnings and sanitizer reports, +1 the planted fault\'s; fgsp: what the unmap of '
          'VFIO type1\'s super page probe returned'
          + ('; walks: the IOMMU\'s page walks in QEMU\'s trace that translated an IOVA to '
             'another address; levels: the most levels of a live genpt table at the end'
             if walks else '') + ')')
    for r in results:
        # The disks write, then read, together: the slowest of each phase
        ds = r['disks'].values()
        ms = max(int(d['write_ms']) for d in ds) + max(int(d['read_ms']) for d in ds) if ds else 0
        work = f'{ms / 1000:.1f}s' if ds else '-'
        same = all(d['wsum'] == d['rsum'] and d['bad_words'] == '0' for d in ds) and \
            len(ds) == r['disks_expected']
        print(f'  {r["config"]:24} {r["kernel"]:8} {work:>5} {r["guest_seconds"]:>4.0f}s  '
              f'{"ok" if same else "BAD":5} {str(r["dmar_faults"]):>6} '
              f'{str(r["qemu_faults"]):>4} {r["warn_text"]:>4} {r["san_text"]:>4} '
              f'{str(r["fgsp"]):>5}  '
              + (f'{sum(m for _, m in r["walks"].values()):>7} '
                 f'{max(r["levels"].values(), default="-"):>6}  ' if walks else '')
              + leaves_text(r)
              + ('' if not r['problems'] else '  FAILED'))
    print('  checksums (every run, read == written): ' +
          ', '.join(f'{n} {"/".join(sorted(v))}' for n, v in sums.items()) +
          ('' if agree else '  DIFFER'))
    ok = agree and all(not r['problems'] for r in results) and bool(results)
    print(f'{iommu.name} {"passed" if ok else "FAILED"}')
    return ok


# ---------------------------------------------------------------- the command

def cmd_vm(args):
    start = time.monotonic()
    if wb.setup_needed():
        wb.cmd_setup(args)
    iommu_name = getattr(args, 'iommu', None)
    tests = getattr(args, 'tests', None)
    for t in (tests.split(',') if tests else ()):
        if t not in VM_TESTS:
            raise wb.Failure(f'unknown selftest {t}; choose from {",".join(VM_TESTS)}')
    for name in ('configs', 'mib', 'seed'):
        if not hasattr(args, name):
            setattr(args, name, None if name != 'seed' else 1)
    if iommu_name:
        return 0 if disk_runs(args, IOMMUS[iommu_name], start) else 1
    # The selftests; with no --tests also the main job's disk runs
    g = build_guest(args.base, args.kasan, tools=not tests)
    ok = selftest_run(args, g, start)
    if tests or args.shell or args.base or getattr(args, 'leak', False):
        return 0 if ok else 1
    iommu = IOMMUS['intel']
    args.configs = args.configs or ','.join(iommu.main)
    ok = disk_runs(args, iommu, start, g) and ok
    # check also runs the main configurations of other IOMMUs, same guest
    also = getattr(args, 'also', None) or []
    for name in also:
        args.configs = ','.join(IOMMUS[name].main)
        ok = disk_runs(args, IOMMUS[name], start, g) and ok
    print(f'vm {"passed" if ok else "FAILED"}: selftests and {", ".join([iommu.name] + also)} '
          f'in {time.monotonic() - start:.0f}s')
    return 0 if ok else 1


def add_parser(sub):
    """The vm subcommand and its options."""
    s = sub.add_parser('vm', help='boot a kernel in QEMU: the iommu selftests (x86_64) and real '
                       'DMA through an emulated IOMMU (x86_64 or arm64)')
    s.add_argument('--base', action='store_true',
                   help='the unpatched base, for comparison: the selftests on it instead of the '
                   'patched kernel; with --iommu every configuration on both, side by side')
    s.add_argument('--cmdline', help='more kernel command line, e.g. iommu.debug_pagealloc=1')
    s.add_argument('--tests', help=f'only these selftests: comma-separated subset of '
                   f'{",".join(VM_TESTS)}')
    s.add_argument('--iommu', choices=sorted(IOMMUS),
                   help='only the disk runs through this IOMMU, every configuration')
    s.add_argument('--configs', help='with --iommu: comma-separated configurations ('
                   + '; '.join(f'{n}: ' + ','.join(c.name for c in i.configs)
                               for n, i in IOMMUS.items()) + ')')
    s.add_argument('--mib', type=int, help=f'MiB written and read per disk (default {DEFAULT_MIB})')
    s.add_argument('--seed', type=int, default=1, help='seed of the disk data (default 1)')
    s.add_argument('--shell', action='store_true', help='drop into a guest shell after the tests')
    s.add_argument('--kasan', action='store_true', help='build the guest kernel with KASAN')
    s.add_argument('--leak', action='store_true',
                   help='with iommu.debug_pagealloc=1, leak one mapped page at boot (a KUnit case): '
                        'expect exactly one sanitizer report')
    s.add_argument('--kvm', action='store_true', help='use KVM instead of TCG')
    s.add_argument('--timeout', type=int, default=1800, help='seconds before the guest is killed')
    s.add_argument('-v', '--verbose', action='store_true', help='show the whole serial console')
    s.set_defaults(fn=cmd_vm)

# SPDX-License-Identifier: GPL-2.0
# kmemsnoop: `make` builds, `make check` tests, `make demo` shows it off.

VERSION := 0.1.0
HOST_ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
ARCH := $(HOST_ARCH)
OUT := build

# `make ARCH=arm64` on another machine (ARCH=x86 on an arm64 one)
# cross-builds with Debian's cross toolchain (tools/install-deps.sh
# arm64), against the multiarch :arm64 -dev packages, which that
# compiler finds by itself; its output goes to build-arm64, beside the
# native build/. CC, AR and LD given on the command line or in the
# environment win, and so does OUT.
ifneq ($(ARCH),$(HOST_ARCH))
CROSS_COMPILE_arm64 := aarch64-linux-gnu-
CROSS_COMPILE_x86 := x86_64-linux-gnu-
CROSS_COMPILE ?= $(CROSS_COMPILE_$(ARCH))
OUT := build-$(ARCH)
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
ifeq ($(origin AR),default)
AR := $(CROSS_COMPILE)ar
endif
ifeq ($(origin LD),default)
LD := $(CROSS_COMPILE)ld
endif
endif

CC ?= cc
CLANG ?= clang
BPFTOOL ?= bpftool
# CFLAGS, CPPFLAGS and LDFLAGS are the user's (and the packager's:
# dpkg-buildflags' hardening flags come in through them); what the build
# needs whatever they say (the skeletons' include path, the C dialect,
# the version) is in the KM_ ones, always added. EXTRA_CFLAGS comes last,
# for the sanitized build. None of these reach the BPF objects, built by
# clang for the BPF target with BPF_CFLAGS alone.
CFLAGS ?= -g -O2
KM_CPPFLAGS := -D_GNU_SOURCE -I$(OUT) -DKM_TOOL_VERSION='"$(VERSION)"'
KM_CFLAGS := -Wall -Wextra -Wno-missing-field-initializers -std=gnu11
ALL_CFLAGS = $(KM_CPPFLAGS) $(CPPFLAGS) $(KM_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS := -lbpf -ldw -lelf -lz -lzstd -lm

# `make V=1` shows each command in full; otherwise one short line a step.
ifeq ($(V),1)
Q :=
say := @:
else
Q := @
say := @printf '  %-7s %s\n'
endif

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) \
	-Ibpf/vmlinux/$(ARCH) -Ibpf

# The layers, lowest first (docs/architecture.md): common/ with its
# trace/, symbolize/ and print/; capture and its front ends in record/;
# report/ and its views/. main.c, the dispatcher, is the only file that
# sees both record/ and report/.
COMMON := $(wildcard common/*.c common/*/*.c)
RECORD := $(wildcard record/*.c record/*/*.c)
REPORT := $(wildcard report/*.c report/*/*.c)
LIB_OBJS := $(patsubst %.c,$(OUT)/%.o,$(COMMON) $(RECORD) $(REPORT))
# For the fuzz harness, built in one step without dependency files.
HEADERS := $(wildcard common/*.h common/*/*.h record/*.h record/*/*.h \
	report/*.h report/*/*.h bpf/*.h)
SKELS := $(OUT)/kmemsnoop.skel.h $(OUT)/resolve.skel.h $(OUT)/lifetime.skel.h
# Each object's own headers, as the compiler found them (-MMD), in
# TARGET.d; -MP keeps a deleted or moved header from breaking the build.
# Every target built with them also depends on its .d, which has an
# empty rule: an object without one (built before, by another Makefile)
# is rebuilt rather than trusted.
DEPFLAGS = -MMD -MP -MF $@.d

.PHONY: all static deps check layering unit kernel-tests guest-tests check-arm64 vm-tests demo \
	bench format clean vmlinux-h sanitize fuzz-smoke install uninstall doc-tests \
	deb deb-tests

all: $(OUT)/kmemsnoop

BPF_HEADERS := $(wildcard bpf/*.h) bpf/vmlinux/$(ARCH)/vmlinux.h

$(OUT)/kmemsnoop.bpf.o: bpf/kmemsnoop.bpf.c $(BPF_HEADERS) | $(OUT)
	$(say) BPF $@
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/kmemsnoop.skel.h: $(OUT)/kmemsnoop.bpf.o
	$(say) SKEL $@
	$(Q)$(BPFTOOL) gen skeleton $< name kmemsnoop_bpf > $@.tmp && mv $@.tmp $@

# A second BPF object, loaded only to find the objects --pid-task,
# --pci-dev, ... name and to read kernel memory for their member paths.
$(OUT)/resolve.bpf.o: bpf/resolve.bpf.c $(BPF_HEADERS) | $(OUT)
	$(say) BPF $@
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/resolve.skel.h: $(OUT)/resolve.bpf.o
	$(say) SKEL $@
	$(Q)$(BPFTOOL) gen skeleton $< name resolve_bpf > $@.tmp && mv $@.tmp $@

# The arming programs of --on/--off, loaded only when asked for; their
# compare-and-swap needs the v3 instruction set (kernels 5.12 and later).
$(OUT)/lifetime.bpf.o: bpf/lifetime.bpf.c $(BPF_HEADERS) | $(OUT)
	@echo "  BPF     $@"
	@$(CLANG) $(BPF_CFLAGS) -mcpu=v3 -c $< -o $@

$(OUT)/lifetime.skel.h: $(OUT)/lifetime.bpf.o
	@echo "  SKEL    $@"
	@$(BPFTOOL) gen skeleton $< name lifetime_bpf > $@.tmp && mv $@.tmp $@

# The skeletons must exist before the first compile; afterwards the
# dependency files say which objects include them.
$(OUT)/%.o: %.c $(OUT)/%.o.d | $(SKELS)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

# Anew each time: ar keeps members whose source was moved or deleted.
$(OUT)/libkmemsnoop.a: $(LIB_OBJS)
	$(say) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(OUT)/kmemsnoop: $(OUT)/main.o $(OUT)/libkmemsnoop.a
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# One statically linked binary for production hosts, which may have none
# of the libraries: the same objects, linked against the static archives
# of Debian's -dev packages, with what libdw.a needs (liblzma, libbz2) and
# in a group, as libbpf, libdw and libelf refer to each other. glibc warns
# that libdw's dlopen of libdebuginfod cannot work statically: it only
# means no debuginfod from this binary.
STATIC_LDLIBS := -Wl,--start-group -lbpf -ldw -lelf -lz -lzstd -llzma -lbz2 \
	-Wl,--end-group -lm -lpthread -ldl

static: $(OUT)/kmemsnoop-static

$(OUT)/kmemsnoop-static: $(OUT)/main.o $(OUT)/libkmemsnoop.a
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -static $^ -o $@ $(STATIC_LDLIBS)

$(OUT):
	mkdir -p $@

# The BPF side is built against a committed vmlinux.h, so a build never
# needs the build machine's own BTF; regenerate it from a kernel with
# `make vmlinux-h` (BTF=/path/to/vmlinux to use another kernel's).
BTF ?= /sys/kernel/btf/vmlinux
vmlinux-h:
	$(BPFTOOL) btf dump file $(BTF) format c > bpf/vmlinux/$(ARCH)/vmlinux.h

deps:
	@tools/install-deps.sh

# The include rules of docs/architecture.md: no layer includes one above
# it, record and report never include each other.
layering:
	@tests/check-layering.sh

# Unit tests (cmocka), one binary per tests/unit/test_*.c.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRCS))

$(OUT)/tests/%: tests/unit/%.c $(OUT)/tests/%.d $(OUT)/libkmemsnoop.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(DEPFLAGS) $< $(OUT)/libkmemsnoop.a -o $@ $(LDLIBS) -lcmocka

# The program test_dwarf symbolizes: DWARF with inlined calls, in an
# ET_EXEC file as a vmlinux is, with a build-id and a _text to measure a
# KASLR slide from. Its own flags: the test needs -O2 inlining.
$(OUT)/tests/dwarf_fixture: tests/unit/dwarf_fixture.c tests/unit/dwarf_fixture.h
	@mkdir -p $(dir $@)
	$(CC) -g -O2 -no-pie -Wl,--build-id=sha1 -Wl,--defsym=_text=outer $< -o $@

$(OUT)/tests/test_dwarf: $(OUT)/tests/dwarf_fixture

# The same source as a kernel module is built: relocatable (ld -r), with
# a build-id, each section placed at run time; for test_module_dwarf.
$(OUT)/tests/module_fixture.ko: tests/unit/dwarf_fixture.c tests/unit/dwarf_fixture.h
	@mkdir -p $(dir $@)
	$(CC) -g -O2 -fno-pic -c $< -o $@.o
	$(LD) -r --build-id=sha1 $@.o -o $@
	@rm -f $@.o

$(OUT)/tests/test_module_dwarf: $(OUT)/tests/module_fixture.ko

unit: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

# The kernel tier wherever breakpoints fire: on this machine when
# `kmemsnoop check` sees them fire, and always in the test VM
# (tools/vm/run) on Debian's 6.12 (every test) and 6.1 (the core files)
# kernels. tests/run-kernel.sh runs the tier against the running kernel.
kernel-tests: $(OUT)/kmemsnoop $(OUT)/trigger $(OUT)/rename $(OUT)/fpos
	@tests/run-kernel-tiers.sh

$(OUT)/trigger: tools/trigger.c | $(OUT)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< -o $@ -lpthread

# Renames itself on demand, for the --pid-task tests.
$(OUT)/rename: tools/rename.c | $(OUT)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< -o $@

$(OUT)/fpos: tools/fpos.c | $(OUT)
	$(CC) $(CFLAGS) $< -o $@

# For the guest kernel's initramfs, which has no libraries.
$(OUT)/trigger-static: tools/trigger.c | $(OUT)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -static $< -o $@ -lpthread

$(OUT)/rename-static: tools/rename.c | $(OUT)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -static $< -o $@

$(OUT)/fpos-static: tools/fpos.c | $(OUT)
	$(CC) $(CFLAGS) -static $< -o $@

# Boots Debian 12 kernels under QEMU (downloaded once into a cache) and
# runs kmemsnoop in them: the cloud kernel for execute breakpoints, KASLR,
# KALLSYMS_ALL, modules and a memory dump for drgn; the generic kernel for
# USB devices.
guest-tests: $(OUT)/kmemsnoop $(OUT)/kmemsnoop-static $(OUT)/trigger-static
	@tests/guest/test_guest.sh

# The arm64 guest tier: cross-builds the static aarch64 kmemsnoop, boots
# Debian 12's arm64 cloud kernel (6.12) under qemu-system-aarch64 (TCG)
# and runs it there; this machine's kmemsnoop reports on the traces.
check-arm64: $(OUT)/kmemsnoop
	@tests/guest/test_guest_arm64.sh

# What tools/vm/run promises (the kernel tier relies on it), from the host.
vm-tests:
	@tests/vm/test_run.sh

# The guest tier first: it fetches the Debian vmlinux that a kernel test
# (offsetof against drgn's reading of its DWARF) needs too. Every tier
# runs even when one fails; the last lines say which, and how long each
# took.
CHECK_TIERS := all layering unit vm-tests guest-tests check-arm64 kernel-tests sanitize \
	fuzz-smoke doc-tests deb-tests browser-tests
check: deps
	@tests/run-check.sh $(CHECK_TIERS)

# The unit and kernel tests once more, everything built with ASan and
# UBSan (a finding, a leak included, fails the test that ran into it).
SAN_CFLAGS := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
# ASan's quarantine keeps freed memory back (256 MB by default); the
# overload test bounds the recorder's memory, so keep the quarantine small.
SAN_ASAN_OPTIONS := quarantine_size_mb=1:thread_local_quarantine_size_kb=64
# The sanitized kernel tier runs here where breakpoints fire; elsewhere
# the files of SAN_VM_FILES in the 6.12 test VM, to keep make check's
# time.
SAN_VM_FILES := counts stacks stop live report objects
sanitize: $(OUT)/trigger $(OUT)/rename
	@$(MAKE) --no-print-directory OUT=build-san EXTRA_CFLAGS='$(SAN_CFLAGS)' \
		all unit
	@echo "kernel tests with the sanitized build:"
	@ASAN_OPTIONS=$(SAN_ASAN_OPTIONS) KM_VM_612_FILES='$(SAN_VM_FILES)' \
		KMEMSNOOP=$(CURDIR)/build-san/kmemsnoop \
		tests/run-kernel-tiers.sh host-else-vm

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_TIME=20

# DEMO_VM=1 runs it in the test VM even where this machine's
# breakpoints fire. Installs only what the demo needs: the build's
# packages and jq, and QEMU's only where it runs in the test VM (as
# tools/demo.sh decides, with tools/fires-here.sh).
demo:
	@tools/install-deps.sh demo
	@$(MAKE) -s --no-print-directory all $(OUT)/trigger
	@if [ -n "$(DEMO_VM)" ] || [ -n "$$(tools/fires-here.sh)" ]; then \
		tools/install-deps.sh vm; fi
	@tools/demo.sh $(if $(DEMO_VM),--vm)

bench: deps
	@$(MAKE) -s --no-print-directory all $(OUT)/trigger $(OUT)/make_trace \
		$(OUT)/make_trace_crafted
	@tools/bench.sh

# Writes a trace of N hits for a given vmlinux, for timing report's
# DWARF symbolization in make bench (tools/bench_report_dwarf.sh).
$(OUT)/make_trace: tools/make_trace.c $(OUT)/make_trace.d $(OUT)/libkmemsnoop.a
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(DEPFLAGS) $< $(OUT)/libkmemsnoop.a -o $@ $(LDLIBS)

# Writes traces crafted against report's tables (colliding keys, one
# level of a million frames), for make bench
# (tools/bench_report_crafted.sh).
$(OUT)/make_trace_crafted: tools/make_trace_crafted.c \
		$(OUT)/make_trace_crafted.d $(OUT)/libkmemsnoop.a
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(DEPFLAGS) $< $(OUT)/libkmemsnoop.a -o $@ $(LDLIBS)

# make install / uninstall: the binary, the man pages, the bash
# completion and the documents the man pages refer to, under
# $(DESTDIR)$(PREFIX). The man pages name those documents by their
# installed path: /usr/local/share/doc/kmemsnoop in the source, DOCDIR
# once installed.
PREFIX ?= /usr/local
BINDIR := $(PREFIX)/bin
MAN1DIR := $(PREFIX)/share/man/man1
COMPLETIONDIR := $(PREFIX)/share/bash-completion/completions
DOCDIR := $(PREFIX)/share/doc/kmemsnoop
MANPAGES := $(wildcard docs/man/*.1)
DOCS := docs/report.md docs/trace-format.md

install: $(OUT)/kmemsnoop
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(COMPLETIONDIR) \
		$(DESTDIR)$(DOCDIR)
	install -m 0755 $(OUT)/kmemsnoop $(DESTDIR)$(BINDIR)/kmemsnoop
	for page in $(MANPAGES); do \
		sed 's|/usr/local/share/doc/kmemsnoop|$(DOCDIR)|g' $$page \
			>$(DESTDIR)$(MAN1DIR)/$${page##*/} && \
		chmod 0644 $(DESTDIR)$(MAN1DIR)/$${page##*/} || exit 1; \
	done
	install -m 0644 tools/kmemsnoop.bash-completion \
		$(DESTDIR)$(COMPLETIONDIR)/kmemsnoop
	install -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kmemsnoop \
		$(addprefix $(DESTDIR)$(MAN1DIR)/,$(notdir $(MANPAGES))) \
		$(DESTDIR)$(COMPLETIONDIR)/kmemsnoop \
		$(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOCS)))
	rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true

# The Debian package (debian/, native): dpkg-buildpackage in a copy of
# this tree under $(DEB_DIR), so that its output (written to the parent
# directory) lands there too, and the tree's own build/ stays as it is:
# $(DEB_DIR)/kmemsnoop_VERSION_ARCH.deb, with its .buildinfo and .changes;
# dpkg-buildpackage's output in $(DEB_DIR)/build.log.
DEB_DIR := $(OUT)/deb
DEB_SRC := $(DEB_DIR)/kmemsnoop-$(VERSION)
deb:
	@tools/install-deps.sh deb
	$(Q)rm -rf $(DEB_DIR)
	$(Q)mkdir -p $(DEB_SRC)
	$(Q)tar -cf - --exclude=./.git --exclude=./$(OUT) --exclude=./build \
		--exclude=./build-san --exclude=./build-arm64 . | tar -xf - -C $(DEB_SRC)
	$(say) DEB $(DEB_DIR)
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b -jauto \
		>$(CURDIR)/$(DEB_DIR)/build.log 2>&1 || \
		{ tail -n 30 $(CURDIR)/$(DEB_DIR)/build.log; \
		  echo "make deb: dpkg-buildpackage failed: $(DEB_DIR)/build.log"; exit 1; }
	$(Q)rm -rf $(DEB_SRC)
	@ls $(DEB_DIR)/*.deb

# Builds the package and checks it: hardening, lintian, installing and
# removing it (tests/doc/test_deb.sh). Root, for dpkg -i; not part of
# doc-tests, since it installs the package on this machine for a moment.
deb-tests: $(OUT)/kmemsnoop
	@tests/run-doc.sh tests/doc/test_deb.sh

# The man pages (rendering, options against --help), the completion and
# make install into a DESTDIR: nothing here needs the kernel.
# list_options prints the options each command's table holds, which
# --help, the man pages and the completion are checked against; it only
# calls the library, so no dependency file.
doc-tests: $(OUT)/kmemsnoop $(OUT)/tests/list_options
	@tests/run-doc.sh

$(OUT)/tests/list_options: tests/doc/list_options.c record/options.h \
		report/report_opts.h $(OUT)/libkmemsnoop.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< $(OUT)/libkmemsnoop.a -o $@ $(LDLIBS)

format:
	clang-format -i $(wildcard bpf/*.c bpf/*.h main.c $(COMMON) $(RECORD) \
		$(REPORT) $(HEADERS) tools/*.c tests/unit/*.[ch] tests/fuzz/*.c \
		tests/browser/*.c)

clean:
	rm -rf $(OUT) build-san

# Fuzzing the trace reader and report (clang's libFuzzer, ASan, UBSan):
# `make fuzz FUZZ_TIME=SECONDS`. Crashing inputs kept in
# tests/fuzz/regressions are replayed first, every time.
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -std=gnu11 -D_GNU_SOURCE -I$(OUT) \
	-DKM_TOOL_VERSION='"$(VERSION)"'
# The trace layer (writer included, for the seeds) lives in common/.
FUZZ_SRCS := $(COMMON) $(REPORT)
FUZZ_TIME ?= 60

$(OUT)/fuzz_report: tests/fuzz/fuzz_report.c $(FUZZ_SRCS) $(HEADERS) \
		$(OUT)/kmemsnoop.skel.h
	$(say) FUZZ $@
	$(Q)$(CLANG) $(FUZZ_CFLAGS) tests/fuzz/fuzz_report.c $(FUZZ_SRCS) -o $@ \
		$(LDLIBS)

$(OUT)/make_seeds: tests/fuzz/make_seeds.c $(OUT)/make_seeds.d \
		$(OUT)/libkmemsnoop.a
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(DEPFLAGS) $< $(OUT)/libkmemsnoop.a -o $@ $(LDLIBS)

.PHONY: fuzz
fuzz: $(OUT)/fuzz_report $(OUT)/make_seeds
	@tools/fuzz.sh $(FUZZ_TIME)

# The SVG flame graph rendered by headless Chromium (Debian's chromium,
# driven by playwright-core from npm): frame widths, hover, zoom. Its
# graph of a real trace comes from fg_trace, a small driver over
# report/views/flamegraph.c.
.PHONY: browser-tests
$(OUT)/tests/fg_trace: tests/browser/fg_trace.c $(OUT)/tests/fg_trace.d \
		$(OUT)/libkmemsnoop.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(DEPFLAGS) $< $(OUT)/libkmemsnoop.a -o $@ $(LDLIBS)

browser-tests: $(OUT)/kmemsnoop $(OUT)/trigger $(OUT)/tests/fg_trace
	@tests/browser/test_flamegraph.sh

# Named, not a pattern: a .d made by a pattern rule would be an
# intermediate file, whose absence make does not count as a reason to
# rebuild.
DEPFILES := $(addsuffix .d,$(LIB_OBJS) $(OUT)/main.o $(UNIT_BINS) \
	$(OUT)/make_trace $(OUT)/make_trace_crafted $(OUT)/make_seeds \
	$(OUT)/tests/fg_trace)
$(DEPFILES): ;
-include $(wildcard $(DEPFILES))

# inloop — one plain GNU Makefile. Objects and binaries go under build/.
#   make            build everything
#   make test       install step, build, run every test (prove); SAN=1 for ASan+UBSan
#   make run        install step, build, demo PKI on first run, case store + kiosk
#   make demo       the same end to end without a display
#   make bench      benchmarks beside their floors (figures, not pass/fail)
#   make shots      a PNG of every screen, Dutch and Arabic, two sizes, in build/shots/
#   make fuzz       each libFuzzer target in tests/fuzz/ for FUZZ_SECONDS (default 60)
#   make install    copies what make built: DESTDIR=, PREFIX=/usr/local (platform/linux/install.sh)

B        := build
CC       ?= cc
PKGS     := sdl2 SDL2_ttf fribidi espeak-ng sqlite3 libqrencode libcrypto libssl libcurl \
            jansson libevent libevent_openssl libevent_pthreads cairo pangocairo
TESTPKGS := cmocka
PKGS     += libsodium liboath
PKGS     += libpq
# sd-bus: field mode locks before suspend (platform/linux/sleepwatch.c)
PKGS     += libsystemd

# A missing library stops the build with the Debian package that provides it. It is checked
# in a recipe (libs-check), not while this file is read, so that on a new machine `make
# test` and `make run` get to run the install step first (STYLE.md habit 13).
deb_sdl2 := libsdl2-dev
deb_SDL2_ttf := libsdl2-ttf-dev
deb_fribidi := libfribidi-dev
deb_espeak-ng := libespeak-ng-dev
deb_sqlite3 := libsqlite3-dev
deb_libqrencode := libqrencode-dev
deb_libcrypto := libssl-dev
deb_libssl := libssl-dev
deb_libcurl := libcurl4-openssl-dev
deb_jansson := libjansson-dev
deb_libevent := libevent-dev
deb_libevent_openssl := libevent-dev
deb_libevent_pthreads := libevent-dev
deb_cmocka := libcmocka-dev
deb_cairo := libcairo2-dev
deb_pangocairo := libpango1.0-dev
deb_libsodium := libsodium-dev
deb_liboath := liboath-dev
deb_libpq := libpq-dev
deb_libsystemd := libsystemd-dev
MISSING_PKGS := $(strip $(foreach p,$(PKGS) $(TESTPKGS),$(if $(shell pkg-config --exists $(p) 2>/dev/null && echo y),,$(p))))
INSTALL_DEPS ?= platform/install-deps.sh

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libcups2-dev has no cups.pc (PLATFORM.md 1); only build/inloop-print links it.
CUPS_LIBS  := $(shell cups-config --libs 2>/dev/null)
TEST_LIBS  := $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral -Wvla
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -pthread $(WARN) -I. $(PKG_CFLAGS) \
           -fstack-protector-strong -D_FORTIFY_SOURCE=2 -include platform/banned.h
LDFLAGS += -pthread -Wl,--as-needed
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -U_FORTIFY_SOURCE
LDFLAGS += -fsanitize=address,undefined
endif

# Platform variant: one folder per variant behind one header (STYLE.md habit 4).
PLATFORM ?= linux

# One folder per layer (README "Layout": includes point down only). Each program links its
# own archive holding only the layers it may use, so the kiosk cannot link the opener or
# the server and the office cannot link the submit path; t0110 checks the symbols.
MAINS    := app/kiosk/inloop_main.c app/print/print_main.c sync/casestore/casestore_main.c \
            sync/ctl/ctl_main.c sync/office/office_main.c
srcs      = $(filter-out $(MAINS),$(wildcard $(addsuffix /*.c,$(1))))
PLATFORM_SRC  := $(call srcs,platform platform/$(PLATFORM))
RULES_SRC     := $(call srcs,sync/rules)
SEAL_SRC      := $(filter-out sync/record/open.c sync/record/visit_%.c,$(call srcs,sync/record))
OPEN_SRC      := sync/record/open.c
# Visits (issue 12): the office signs and seals them, only the device opens them.
VISIT_SEAL_SRC := sync/record/visit_seal.c
VISIT_OPEN_SRC := sync/record/visit_open.c
DEVICE_SRC    := $(call srcs,sync/device)
CASESTORE_SRC := $(call srcs,sync/casestore)
CA_SRC        := $(call srcs,sync/ca)
OFFICE_SRC    := $(call srcs,sync/office)
CTL_SRC       := $(call srcs,sync/ctl)
MEDIA_SRC     := $(call srcs,app/media)
# The replay commands for tests (faults, shots, dumps, monkey, waits): only in inloop-test.
REPLAY_TEST_SRC := app/kiosk/replay_test.c
KIOSK_SRC     := $(filter-out $(REPLAY_TEST_SRC),$(call srcs,app/ui app/field app/screens app/kiosk))
PRINT_SRC     := $(call srcs,app/print)

obj = $(1:%.c=$(B)/obj/%.o)
KIOSK_LIB     := $(call obj,$(PLATFORM_SRC) $(RULES_SRC) $(SEAL_SRC) $(VISIT_OPEN_SRC) $(DEVICE_SRC) $(MEDIA_SRC) $(KIOSK_SRC))
PRINT_LIB     := $(call obj,$(PLATFORM_SRC) $(MEDIA_SRC) $(PRINT_SRC))
CASESTORE_LIB := $(call obj,$(PLATFORM_SRC) $(SEAL_SRC) $(CASESTORE_SRC))
OFFICE_LIB    := $(call obj,$(PLATFORM_SRC) $(RULES_SRC) $(SEAL_SRC) $(OPEN_SRC) $(VISIT_SEAL_SRC) $(CASESTORE_SRC) $(CA_SRC) $(OFFICE_SRC))
CTL_LIB       := $(OFFICE_LIB) $(call obj,$(filter-out %/submit.c %/outbox.c %/upload.c,$(DEVICE_SRC)) $(CTL_SRC))

# Tests, benchmarks and fuzz targets may reach every layer (libinloop.a).
LIB_SRC  := $(sort $(PLATFORM_SRC) $(RULES_SRC) $(SEAL_SRC) $(OPEN_SRC) $(VISIT_SEAL_SRC) $(VISIT_OPEN_SRC) $(DEVICE_SRC) $(CASESTORE_SRC) \
            $(CA_SRC) $(OFFICE_SRC) $(CTL_SRC) $(MEDIA_SRC) $(KIOSK_SRC) $(REPLAY_TEST_SRC) $(PRINT_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o)
TEST_SRC := $(wildcard tests/unit/*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(B)/bench/%)
PO       := $(wildcard assets/po/*.po)
MO       := $(PO:assets/po/%.po=$(B)/locale/%/LC_MESSAGES/inloop.mo)
BINS     := $(B)/inloop $(B)/inloop-print $(B)/inloop-casestore $(B)/inloopctl $(B)/inloop-test

# The office (issue 11): its own program from its own objects, and the NL Design System
# files it serves, copied from assets/office/node_modules (npm ci in the install step).
BINS     += $(B)/inloop-office $(B)/office/static/.stamp $(B)/office/locale/en.mo

.PHONY: all test run demo bench shots clean install-deps install libs-check fuzz fuzz-run test-bins
all: $(BINS) $(MO)

# Rebuild everything when the flags change (SAN=1 and back).
FLAGS_NOW := $(CC) $(CFLAGS) $(LDFLAGS)
$(B)/flags.stamp: FORCE | libs-check
	@mkdir -p $(B)
	@if [ "$$(cat $@ 2>/dev/null)" != "$(FLAGS_NOW)" ]; then echo "$(FLAGS_NOW)" > $@; fi
FORCE:

$(B)/obj/%.o: %.c $(B)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/libinloop.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(B)/lib%.a:
	@rm -f $@
	ar rcs $@ $^
$(B)/libkiosk.a: $(KIOSK_LIB)
$(B)/libprint.a: $(PRINT_LIB)
$(B)/libcasestore.a: $(CASESTORE_LIB)
$(B)/liboffice.a: $(OFFICE_LIB)
$(B)/libctl.a: $(CTL_LIB)

$(B)/inloop: $(B)/obj/app/kiosk/inloop_main.o $(B)/libkiosk.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
# The kiosk's test build: the same objects plus the test replay commands (replay_test.c).
$(B)/inloop-test: $(B)/obj/app/kiosk/inloop_main.o $(call obj,$(REPLAY_TEST_SRC)) $(B)/libkiosk.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
$(B)/inloop-print: $(B)/obj/app/print/print_main.o $(B)/libprint.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CUPS_LIBS) -lm
$(B)/inloop-casestore: $(B)/obj/sync/casestore/casestore_main.o $(B)/libcasestore.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
$(B)/inloopctl: $(B)/obj/sync/ctl/ctl_main.o $(B)/libctl.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
$(B)/inloop-office: $(B)/obj/sync/office/office_main.o $(B)/liboffice.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
$(B)/office/static/.stamp: assets/office/copy-assets.sh assets/office/package-lock.json $(wildcard assets/office/static/*)
	@sh assets/office/copy-assets.sh assets/office $(B)/office/static

$(B)/office/locale/%.mo: assets/office/po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/libinloop.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS) -lm
$(B)/bench/%: $(B)/obj/bench/%.o $(B)/libinloop.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# Fuzzing (tests/fuzz/, issue 10): libFuzzer targets built with clang into build/fuzz/, from
# their own objects with their own flags (the main build stays gcc). Without clang the
# targets are not built and their test says so and skips.
FUZZ_CC     ?= $(shell command -v clang-14 2>/dev/null || command -v clang 2>/dev/null)
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -std=c11 -D_GNU_SOURCE -pthread -I. $(PKG_CFLAGS) \
               $(filter-out -Werror,$(WARN)) -include platform/banned.h $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_SRC    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN    := $(if $(FUZZ_CC),$(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%))
FUZZ_SECONDS ?= 60
$(B)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
$(B)/fuzz/libinloop.a: $(LIB_SRC:%.c=$(B)/fuzz/obj/%.o)
	@rm -f $@
	ar rcs $@ $^
$(B)/fuzz/%: $(B)/fuzz/obj/tests/fuzz/%.o $(B)/fuzz/libinloop.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -pthread -o $@ $^ $(PKG_LIBS) -lm
# What install-deps brings (clang, the -dev packages) is only seen by a make started after
# it: so test and fuzz name their binaries in a second make, never in this one's recipe
# (on a new machine this make's FUZZ_BIN was empty: t0101 found no fuzz target built).
fuzz: install-deps
	@$(MAKE) --no-print-directory fuzz-run
fuzz-run: all
	@$(if $(FUZZ_CC),,echo "make fuzz: clang not found (Debian packages clang-14 libclang-rt-14-dev)"; exit 1)
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@INLOOP_BUILD=$(abspath $(B)) sh tests/fuzz/run.sh $(FUZZ_SECONDS)
-include $(FUZZ_BIN:$(B)/fuzz/%=$(B)/fuzz/obj/tests/fuzz/%.d) $(LIB_SRC:%.c=$(B)/fuzz/obj/%.d)

$(B)/locale/%/LC_MESSAGES/inloop.mo: assets/po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

libs-check:
	@$(if $(CUPS_LIBS),:,echo "cups-config not found: install the Debian package libcups2-dev (or run platform/install-deps.sh as root)" >&2; exit 1)
	@$(if $(MISSING_PKGS),echo "pkg-config cannot find $(foreach p,$(MISSING_PKGS),'$(p)'): install the Debian package(s) $(sort $(foreach p,$(MISSING_PKGS), $(deb_$(p)))) (or run platform/install-deps.sh as root)" >&2; exit 1,:)

install-deps:
	@$(INSTALL_DEPS)

test: install-deps
	@$(MAKE) --no-print-directory all test-bins
	@INLOOP_BUILD=$(abspath $(B)) prove -j2 --timer -e /bin/sh tests/t*.sh
test-bins: $(TEST_BIN) $(FUZZ_BIN)

bench: install-deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN) $(B)/tests/faultproxy
	@INLOOP_BUILD=$(abspath $(B)) sh bench/run.sh

run: install-deps
	@$(MAKE) --no-print-directory all
	@INLOOP_BUILD=$(abspath $(B)) sh platform/run.sh

demo: install-deps
	@$(MAKE) --no-print-directory all
	@INLOOP_BUILD=$(abspath $(B)) sh platform/demo.sh

shots: install-deps
	@$(MAKE) --no-print-directory all $(B)/tests/test_visitbox   # it seals the field shots' visits
	@INLOOP_BUILD=$(abspath $(B)) sh tests/shots.sh

# The programs, assets, catalogues and the kiosk session (systemd unit, PAM service,
# sysusers/tmpfiles snippets). It never builds: run make first (then install as root).
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
install:
	@B='$(B)' DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' SYSCONFDIR='$(SYSCONFDIR)' \
	  $(if $(UNITDIR),UNITDIR='$(UNITDIR)') $(if $(SYSUSERSDIR),SYSUSERSDIR='$(SYSUSERSDIR)') \
	  $(if $(TMPFILESDIR),TMPFILESDIR='$(TMPFILESDIR)') sh platform/linux/install.sh

clean:
	rm -rf $(B)

-include $(LIB_OBJ:.o=.d) $(B)/obj/app/inloop_main.d $(B)/obj/app/print_main.d $(B)/obj/sync/casestore_main.d $(B)/obj/sync/ctl_main.d

# informe: CSV + YAML templates -> PDF management reports.
# `make` builds ./informe; `make demo` and `make test` first install any
# missing Debian package (see `deps`), so both work on a fresh machine.

CC      ?= cc
CLANG   ?= clang
WARN    = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
          -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wold-style-definition -Wwrite-strings -Wundef -Wformat=2 -Wvla
OPT     ?= -O2 -g
SAN     = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
          -fno-omit-frame-pointer
LIBS    = -lhpdf -lpng -lz -lcsv -lyaml -lm -pthread
# Where `make install` puts informe (DESTDIR: a staging root, as for the
# .deb). The binary looks for its fonts in $(FONTDIR) last (cli/fontdir.h).
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
FONTDIR  = $(PREFIX)/share/informe/fonts
DOCDIR   = $(PREFIX)/share/doc/informe
MANDIR   = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
VERSION := $(shell sed -n 's/^\#define INFORME_VERSION "\(.*\)"$$/\1/p' \
             generator/cli/main.c)
# The system's Python, whose modules come from DEB_PKGS (python3-pikepdf,
# python3-fonttools).
PYTHON_DEB ?= /usr/bin/python3

# Everything the build, the tests and the demo need from Debian.
DEB_PKGS = build-essential libhpdf-dev libyaml-dev libcsv-dev libcmocka-dev \
           libpng-dev zlib1g-dev poppler-utils qpdf mupdf-tools clang \
           libclang-rt-dev clang-format valgrind python3 python3-jsonschema \
           python3-yaml time bsdutils parallel python3-pikepdf dpkg-dev \
           man-db groff-base bash-completion default-jre-headless \
           libpdfbox2-java libactivation-java libjaxb-api-java nodejs libjs-pdf \
           python3-fonttools

# generator/ holds one folder per pipeline stage (docs/architecture.md).
# Everything but cli/main.c goes into libinforme.a; the binary, the tests
# and the fuzz targets link that archive, so each takes only the objects
# it uses. Header dependencies come from the compiler (-MMD -MP): touching
# one header rebuilds only the objects that include it.
SRC      = $(sort $(shell find generator -name '*.c'))
LIB_SRC  = $(filter-out generator/cli/main.c,$(SRC))
REL_OBJ  = $(patsubst generator/%.c,build/rel/%.o,$(LIB_SRC))
SAN_OBJ  = $(patsubst generator/%.c,build/san/%.o,$(LIB_SRC))
TESTS    = $(patsubst tests/%.c,build/san/%,$(wildcard tests/test_*.c))
FMT_SRC  = $(shell find generator tests -name '*.[ch]' | LC_ALL=C sort)
DEPFLAGS = -MMD -MP -iquote generator
LDLIB    = -Wl,--as-needed

.PHONY: all deps demo test unit e2e install uninstall deb install-check cli-docs watch FORCE matrix stress format format-check fuzz \
        fuzz-regress fuzz-smoke clean faults alloc-sweep kill-sweep layers \
        docs-keys docs-check jsonschema burst tagcheck bench pdfa pdfjs tsan

all: informe

informe: build/rel/cli/main.o build/rel/libinforme.a
	$(CC) $(OPT) -o $@ $^ $(LDLIB) $(LIBS)

build/rel/libinforme.a: $(REL_OBJ)
	rm -f $@ && ar rcs $@ $^

build/san/libinforme.a: $(SAN_OBJ)
	rm -f $@ && ar rcs $@ $^

build/rel/%.o: generator/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(OPT) $(DEPFLAGS) $(XDEFS) -c -o $@ $<

build/san/%.o: generator/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(SAN) $(DEPFLAGS) $(XDEFS) -c -o $@ $<

# The installed fonts' folder is compiled into cli/fontdir.o; the stamp
# changes (and the object is rebuilt) only when PREFIX does.
FONTDIR_OBJ = build/rel/cli/fontdir.o build/san/cli/fontdir.o \
              build/tsan/cli/fontdir.o
$(FONTDIR_OBJ): XDEFS = -DINFORME_FONTDIR='"$(FONTDIR)"'
$(FONTDIR_OBJ): build/fontdir.stamp
build/fontdir.stamp: FORCE
	@mkdir -p build
	@echo '$(FONTDIR)' | cmp -s - $@ || echo '$(FONTDIR)' >$@
FORCE:

build/san/informe: build/san/cli/main.o build/san/libinforme.a
	$(CC) $(SAN) -o $@ $^ $(LDLIB) $(LIBS)

# ThreadSanitizer: the two modules that start threads (base/commit,
# pdf/zpipe), through their tests and a burst of the binary.
TSAN     = -g -O1 -fsanitize=thread -fno-omit-frame-pointer
TSAN_OBJ = $(patsubst generator/%.c,build/tsan/%.o,$(LIB_SRC))
TSAN_TESTS = build/tsan/test_commit build/tsan/test_zpipe

build/tsan/libinforme.a: $(TSAN_OBJ)
	rm -f $@ && ar rcs $@ $^

build/tsan/%.o: generator/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(TSAN) $(DEPFLAGS) $(XDEFS) -c -o $@ $<

build/tsan/informe: build/tsan/cli/main.o build/tsan/libinforme.a
	$(CC) $(TSAN) -o $@ $^ $(LDLIB) $(LIBS)

build/tsan/test_%: tests/test_%.c build/tsan/libinforme.a
	@mkdir -p $(@D)
	$(CC) $(WARN) $(TSAN) $(DEPFLAGS) -o $@ $< build/tsan/libinforme.a \
	  $(LDLIB) $(LIBS) -lcmocka

build/san/test_%: tests/test_%.c build/san/libinforme.a
	@mkdir -p $(@D)
	$(CC) $(WARN) $(SAN) $(DEPFLAGS) -o $@ $< build/san/libinforme.a \
	  $(LDLIB) $(LIBS) -lcmocka

-include $(shell find build -name '*.d' 2>/dev/null)

build/rel build/san build/fault build/tsan:
	mkdir -p $@

# The release objects with malloc, calloc, realloc and free replaced for the
# whole process (tests/faults/failmalloc.c): INFORME_FAIL_AT=N fails the
# N-th allocation request, of informe or of any library.
build/fault/informe: build/rel/cli/main.o build/rel/libinforme.a \
                     tests/faults/failmalloc.c | build/fault
	$(CC) $(OPT) -c -o build/fault/failmalloc.o tests/faults/failmalloc.c
	$(CC) $(OPT) -o $@ build/rel/cli/main.o build/fault/failmalloc.o \
	  build/rel/libinforme.a $(LIBS)

# Installs only what is missing; does nothing when everything is there.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	    --no-install-recommends $$missing; \
	fi

demo: deps
	$(MAKE) informe
	sh tests/demo.sh ./informe out

unit: $(TESTS)
	@set -e; for t in $(TESTS); do echo "== $$t"; $$t; done

# The threads under ThreadSanitizer (any report fails the run): the
# tests of commit and zpipe (its deflate thread started whatever the
# load), then bursts whose files are put in place in the background
# (tests/tsan.sh).
tsan: $(TSAN_TESTS) build/tsan/informe
	@set -e; for t in $(TSAN_TESTS); do echo "== $$t"; \
	  TSAN_OPTIONS=halt_on_error=1:exitcode=66 $$t; done
	sh tests/tsan.sh build/tsan/informe

# Golden command-line cases, then every demo report rendered twice (same
# bytes) and checked with qpdf, pdffonts and pdftotext, and its embedded
# font subsets with pikepdf and fontTools (tests/fontcheck.py).
e2e: build/san/informe informe
	sh tests/e2e.sh build/san/informe
	sh tests/docs.sh build/san/informe
	rm -rf build/demo-a build/demo-b
	SOURCE_DATE_EPOCH=1522540800 sh tests/demo.sh build/san/informe build/demo-a
	SOURCE_DATE_EPOCH=1522540800 sh tests/demo.sh build/san/informe build/demo-b
	diff -r build/demo-a build/demo-b && echo "demo: same bytes on two runs"
	sh tests/pdfcheck.sh build/demo-a/*.pdf build/demo-a/entidades/*.pdf
	$(PYTHON_DEB) tests/fontcheck.py build/demo-a/*.pdf \
	  build/demo-a/entidades/*.pdf
	valgrind -q --leak-check=full --errors-for-leak-kinds=all \
	  --error-exitcode=9 ./informe render templates/informe-comite.yaml \
	  -d samples -o build/valgrind.pdf --burst-by entidad
	@echo "valgrind: no leak and no error in a demo render"
	valgrind -q --leak-check=full --errors-for-leak-kinds=all \
	  --error-exitcode=9 ./informe render templates/furag.yaml -d samples \
	  -o 'build/valgrind/{entidad}.pdf' --burst-by entidad --jobs 2 \
	  2>build/valgrind-jobs.err || { cat build/valgrind-jobs.err; exit 1; }
	@if [ -s build/valgrind-jobs.err ]; then cat build/valgrind-jobs.err; \
	  exit 1; fi; echo "valgrind: nothing to say of a burst with --jobs 2"

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, its fonts with
# their licence, the manual page informe(1), the bash completion and, as
# examples (Debian's share/doc/PACKAGE/examples), the templates with the
# data they read and the JSON Schema their first line names.
EXAMPLES = $(DESTDIR)$(DOCDIR)/examples
install: informe
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(FONTDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
	  $(EXAMPLES)/templates $(EXAMPLES)/samples $(EXAMPLES)/docs
	install -m 0755 informe $(DESTDIR)$(BINDIR)/informe
	install -m 0644 fonts/*.ttf fonts/LICENSE-Liberation.txt \
	  $(DESTDIR)$(FONTDIR)
	gzip -9n <docs/informe.1 >$(DESTDIR)$(MANDIR)/man1/informe.1.gz
	chmod 0644 $(DESTDIR)$(MANDIR)/man1/informe.1.gz
	install -m 0644 docs/informe.bash $(DESTDIR)$(BASHCOMPDIR)/informe
	install -m 0644 templates/*.yaml templates/*.png $(EXAMPLES)/templates
	install -m 0644 samples/*.csv samples/README.md $(EXAMPLES)/samples
	install -m 0644 docs/informe.schema.json $(EXAMPLES)/docs

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/informe \
	  $(DESTDIR)$(MANDIR)/man1/informe.1.gz $(DESTDIR)$(BASHCOMPDIR)/informe
	rm -rf $(DESTDIR)$(PREFIX)/share/informe $(DESTDIR)$(DOCDIR)

# make deb: build/informe_VERSION_ARCH.deb from `make install PREFIX=/usr`
# in a staging root, its Depends computed by dpkg-shlibdeps from the
# libraries the binary links (DEB_DEPENDS when dpkg-shlibdeps is missing).
# Reproducible: files owned by root, times from SOURCE_DATE_EPOCH.
DEB_ARCH   := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB        = build/informe_$(VERSION)_$(DEB_ARCH).deb
DEB_DEPENDS = libc6, libhpdf-2.3.0, libyaml-0-2, libcsv3, libpng16-16, zlib1g
DEB_MAINTAINER ?= informe <informe@example.org>
DEB_EPOCH ?= 1522540800
deb:
	rm -rf build/deb
	$(MAKE) install PREFIX=/usr DESTDIR=$(CURDIR)/build/deb/root
	mkdir -p build/deb/shlibs/debian build/deb/root/DEBIAN
	printf 'Source: informe\n\nPackage: informe\nArchitecture: any\n' \
	  >build/deb/shlibs/debian/control
	deps=$$(cd build/deb/shlibs && dpkg-shlibdeps -O ../root/usr/bin/informe \
	  2>/dev/null | sed -n 's/^shlibs:Depends=//p'); \
	[ -n "$$deps" ] || deps='$(DEB_DEPENDS)'; \
	size=$$(du -sk --exclude=DEBIAN build/deb/root | cut -f1); \
	{ echo 'Package: informe'; echo 'Version: $(VERSION)'; \
	  echo 'Architecture: $(DEB_ARCH)'; \
	  echo 'Maintainer: $(DEB_MAINTAINER)'; \
	  echo "Installed-Size: $$size"; echo "Depends: $$deps"; \
	  echo 'Section: text'; echo 'Priority: optional'; \
	  echo 'Description: informes de gestión en PDF desde CSV y plantillas YAML'; \
	  echo ' informe convierte exportaciones CSV y plantillas YAML en informes'; \
	  echo ' de gestión en PDF para entidades públicas colombianas (MIPG,'; \
	  echo ' FURAG, planes de acción), con números y fechas en es-CO, PDF'; \
	  echo ' etiquetado y salida reproducible.'; \
	} >build/deb/root/DEBIAN/control
	find build/deb/root -exec touch -h -d @$(DEB_EPOCH) {} +
	SOURCE_DATE_EPOCH=$(DEB_EPOCH) dpkg-deb --root-owner-group \
	  -Zxz --build build/deb/root $(DEB)
	@echo "deb: $(DEB)"

# The installed layout, from outside (tests/install.sh): an install into
# a staging root run with an empty environment from /, the manual page
# through man, the .deb unpacked and installed into scratch roots, and
# make uninstall leaving nothing behind; then the .deb built again is the
# same file.
install-check: deb
	rm -rf build/install-check
	$(MAKE) install PREFIX=/usr DESTDIR=$(CURDIR)/build/install-check/stage
	sh tests/install.sh build/install-check $(DEB)
	cp $(DEB) build/install-check/first.deb
	$(MAKE) -s deb >/dev/null
	cmp build/install-check/first.deb $(DEB)
	@echo "deb: the same bytes on two builds"

# The structure of every demo PDF, checked from outside (pikepdf and
# poppler, tests/tagcheck.py): tagged as docs/accesibilidad.md says; and
# its tree and parent tree agreeing (tests/tagtree.py).
tagcheck: informe
	rm -rf build/tagcheck
	SOURCE_DATE_EPOCH=1522540800 sh tests/demo.sh ./informe build/tagcheck
	$(PYTHON_DEB) tests/tagcheck.py build/tagcheck/*.pdf \
	  build/tagcheck/entidades/*.pdf
	$(PYTHON_DEB) tests/tagtree.py build/tagcheck/*.pdf \
	  build/tagcheck/entidades/*.pdf

# Data shapes x block types, each cell against tests/matrix.golden
# (`sh tests/matrix.sh --markdown ./informe` prints the matrix); the slow
# shapes (a million rows) only under `make stress`.
matrix: informe
	sh tests/matrix.sh ./informe

stress: deps
	$(MAKE) informe
	sh tests/matrix.sh --stress ./informe

# Bursts against the binary's own single report (tests/burst.sh): peak
# memory as a ratio of one run, --jobs N against --jobs 1 (same bytes,
# same messages), shards as a partition, the progress line; then the job
# files of docs/bursts.md run here (tests/burst_examples.sh).
# Every sample report as PDF/A-1b, validated by Apache PDFBox Preflight,
# qpdf and pdffonts; the same bytes on two runs, with PDF/A and without.
pdfa: informe
	sh tests/pdfa.sh ./informe

# PDF.js (Debian's libjs-pdf under node) reads each page's content before
# its header and footer, and every number drawn alone as its own item.
pdfjs: informe
	sh tests/pdfjs.sh ./informe

burst: informe
	sh tests/burst.sh ./informe
	sh tests/burst_examples.sh ./informe

test: deps
	$(MAKE) format-check
	$(MAKE) layers
	$(MAKE) docs-check
	$(MAKE) jsonschema
	$(MAKE) unit
	$(MAKE) tsan
	$(MAKE) e2e
	$(MAKE) burst
	$(MAKE) tagcheck
	$(MAKE) pdfa
	$(MAKE) pdfjs
	$(MAKE) matrix
	$(MAKE) fuzz-regress
	$(MAKE) faults
	$(MAKE) cli-docs
	$(MAKE) watch
	$(MAKE) install-check

# The manual page and the bash completion against the CLI's own help
# (tests/cli_docs.sh); render --watch (tests/watch.sh).
cli-docs: informe
	sh tests/cli_docs.sh ./informe
watch: informe
	sh tests/watch.sh ./informe

# Faults of the machine: a full disk, a read-only folder, a device as
# output, two renders to one path at once, SIGKILL and SIGTERM during a
# large render (3 each), and every 97th point of the allocation-failure
# sweep. ALLOC_SWEEP_KNOWN counts apart libharu 2.3.0's own crash and
# leaks inside HPDF_SaveToFile (docs/reliability.md), tolerated only with
# the previous PDF intact and no temporary file left.
faults: informe build/fault/informe
	sh tests/faults/output_faults.sh informe
	sh tests/faults/kill_save.sh informe 3
	ALLOC_SWEEP_KNOWN=1 sh tests/faults/alloc_sweep.sh build/fault/informe 97

# The long runs: every allocation request of a committee render failed in
# turn (about 7,200 renders), and 20 SIGKILL and 20 SIGTERM.
alloc-sweep: build/fault/informe
	ALLOC_SWEEP_KNOWN=1 sh tests/faults/alloc_sweep.sh build/fault/informe 1
kill-sweep: informe
	sh tests/faults/kill_save.sh informe 20
stress: alloc-sweep kill-sweep

# informe's own benchmark (bench/run.py, docs/performance.md): data from
# bench/gen_data.py in build/bench, then wall time, peak RSS, pages and
# bytes of each case and the ratios they are judged by. A few minutes;
# BENCH_ARGS='--only S,L' runs some cases, '--before OLD/informe' adds a
# run of another build for S and L.
bench: informe
	python3 bench/run.py --informe ./informe $(BENCH_ARGS)

# The layer rule of generator/README.md, from includes and from nm.
layers: informe
	python3 tests/layers.py build/rel

# The reference of the template language, written from its description
# (generator/template/tl.def) by tests/informe_lang.c: the key tables of
# docs/templates.md and docs/informe.schema.json. docs-keys rewrites both;
# docs-check writes them afresh and fails when the checked-in copies
# differ; jsonschema validates the templates against the JSON Schema.
build/rel/informe-lang: tests/informe_lang.c build/rel/libinforme.a
	$(CC) $(WARN) $(OPT) $(DEPFLAGS) -o $@ $< build/rel/libinforme.a \
	  $(LDLIB) $(LIBS)

docs-keys: build/rel/informe-lang
	build/rel/informe-lang keys docs/templates.md >build/templates.md.new
	mv build/templates.md.new docs/templates.md
	build/rel/informe-lang schema >docs/informe.schema.json

docs-check: build/rel/informe-lang
	@mkdir -p build/docs-check
	build/rel/informe-lang keys docs/templates.md >build/docs-check/templates.md
	diff -u docs/templates.md build/docs-check/templates.md
	build/rel/informe-lang schema >build/docs-check/informe.schema.json
	diff -u docs/informe.schema.json build/docs-check/informe.schema.json
	@echo "docs-check: the key tables and the JSON Schema follow tl.def"

jsonschema: docs-check
	python3 tests/jsonschema.py

format:
	clang-format -i $(FMT_SRC)

format-check:
	@clang-format --dry-run --Werror $(FMT_SRC)

# libFuzzer targets (tests/fuzz/README.md): the library is compiled once
# with coverage and sanitizers into build/fuzz/obj, each target links it.
FUZZ_TARGETS = csv csvsplit template expr shape set render burst nuevo ttsubset font
FUZZ_BIN   = $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_FLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 \
             -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all -iquote generator
FUZZ_OBJ   = $(patsubst generator/%.c,build/fuzz/obj/%.o,$(LIB_SRC))
FUZZ_SECS ?= 25

build/fuzz/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -MMD -MP -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/libinforme.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^

build/fuzz/obj/fuzz_util.o: tests/fuzz/fuzz_util.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -MMD -MP -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/obj/fuzz_util.o \
                   build/fuzz/libinforme.a
	$(CLANG) $(FUZZ_FLAGS) -MMD -MP -fsanitize=fuzzer -iquote tests/fuzz \
	  -o $@ $< build/fuzz/obj/fuzz_util.o build/fuzz/libinforme.a $(LIBS)

fuzz: deps
	$(MAKE) $(FUZZ_BIN)

# Every target over its seed corpus and its fixed reproducers, once each:
# a regression check of a few seconds (part of `make test`).
fuzz-regress: fuzz
	sh tests/fuzz/seed.sh
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz_$$t: seeds and tests/fuzz/regress/$$t"; \
	  mkdir -p tests/fuzz/regress/$$t; \
	  build/fuzz/fuzz_$$t -runs=0 -timeout=10 -rss_limit_mb=2048 \
	    build/fuzz/seeds/$$t tests/fuzz/regress/$$t 2>build/fuzz/$$t.log \
	    || { tail -40 build/fuzz/$$t.log; exit 1; }; \
	  grep -E "INITED|DONE" build/fuzz/$$t.log | tail -1; done

# Every target fuzzed for FUZZ_SECS seconds, growing build/fuzz/corpus.
fuzz-smoke: fuzz
	sh tests/fuzz/seed.sh
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz_$$t: $(FUZZ_SECS) s"; \
	  mkdir -p build/fuzz/corpus/$$t build/fuzz/crashes/$$t; \
	  build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECS) -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -dict=tests/fuzz/$$t.dict \
	    -artifact_prefix=build/fuzz/crashes/$$t/ \
	    build/fuzz/corpus/$$t build/fuzz/seeds/$$t \
	    tests/fuzz/regress/$$t 2>build/fuzz/$$t.log \
	    || { tail -60 build/fuzz/$$t.log; exit 1; }; \
	  grep -E "stat::number_of_executed_units|stat::average_exec_per_sec" \
	    build/fuzz/$$t.log; done

clean:
	rm -rf build informe out

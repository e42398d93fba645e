# Tasks for foi. `just --list` shows them. Each is a plain cargo command,
# so nothing here is needed to build, test or run foi.

export CARGO_TARGET_DIR := env_var_or_default("CARGO_TARGET_DIR", env_var("HOME") + "/.cache/foi/target")

# Fetch, build and publish the bundled campaign.
run *ARGS:
    cargo run -p foi -- run {{ARGS}}

test:
    cargo test --workspace

# What CI runs.
ci:
    bash .ci/run

# Regenerate the fixture corpus and its answer keys from ground truth.
fixtures:
    cargo run -p foi-fixtures

# Regenerate the held-out set (fixtures/heldout, every generation) from its
# ground truth; needs python3 with openpyxl, pandas, xlwt and odfpy, and
# LibreOffice (soffice), for some writers.
heldout:
    cargo run -p foi-fixtures -- heldout

# Score table detection (issue 13): every response of the bundled campaign,
# of fixtures/heldout (generations 1 to 4, each seen once it fixed the
# detector: heldout to heldout4; generation 5, unseen: heldout5) and of the real files the ONS campaigns read, with its
# [[table]]s removed, run through the real foi and compared with its answer
# key: exact / wrong / refused per file and per set, also written to
# target/detect-score.csv. Exits 1 when any file is wrong. ARGS: --sets
# bundled,heldout,heldout2,heldout3,heldout4,heldout5,realworld  --only TEXT  --keep (the scratch runs)
# --keep-tables (score the hand-written layouts: a check of the harness).
detect-score *ARGS:
    cargo build -q -p foi
    cargo run -q -p foi-fixtures -- detect-score {{ARGS}}

# Refresh snapshot tests on purpose.
bless:
    INSTA_UPDATE=always cargo test --workspace

fmt:
    cargo fmt --all

lint:
    cargo clippy --workspace --all-targets -- -D warnings

# Fuzz: run each property-test target (value parser, table detector, csv,
# sniff and read) for SECS seconds on random and mutated inputs; each prints
# its cases and failures. `cargo test` runs them briefly.
fuzz SECS="600":
    FOI_FUZZ_SECS={{SECS}} cargo test --release -p foi-normalise --test normalise fuzz -- --nocapture --test-threads 4

# Crash consistency: kill `foi run` with SIGKILL at N random moments over
# the bundled campaign served on loopback, and after each kill check that
# out/latest is whole, the cache true to its hashes, and the next run
# completes and sweeps what the killed run left. SEED repeats the moments.
crash-test N="200" SEED="99540737":
    FOI_CRASH_KILLS={{N}} FOI_CRASH_SEED={{SEED}} cargo test --release -p foi --test cli crash -- --nocapture

# Validate a release's datapackage.json with the Frictionless tool
# (installed with pip into ~/.cache/foi/tools on first use).
validate RELEASE="out/latest":
    scripts/validate-datapackage {{RELEASE}}

# Render a release's summary.html in headless Chromium: no console errors,
# fits a desktop and a phone; writes summary.png beside it to look at.
check-html RELEASE="out/latest":
    scripts/check-html {{RELEASE}}

# Write the bench corpus: the 44 forces answering with N record-level rows
# in all (xlsx, csv, ods, xls) and its expected totals, into
# target/bench-corpus/N (not committed; the same bytes for the same N).
bench-corpus N="1000000":
    cargo run --release -q -p foi-fixtures -- bench-corpus {{N}}

# Time `foi build` on the bench corpus from a cold start against a plain
# single-threaded calamine pass over the same files; then a no-change
# `foi run`; check the published totals. Needs GNU time
# (`apt-get install -y time`). BENCHMARKS.md has the figures.
bench N="1000000":
    bash scripts/bench {{N}}

# Time a first `foi run` from an empty cache against a second with nothing
# changed (hyperfine when installed); PROFILE is release or dev.
bench-rerun PROFILE="release" RUNS="5":
    scripts/bench-rerun {{PROFILE}} {{RUNS}}

# Score the crosswalk suggestions (issue 16) on the labelled set in
# fixtures/labels/: top-1, top-3, how often a label meaning no single
# category is declined, and wrong auto-accepts, for the tuned and the
# held-out part apart. ARGS: --misses lists every miss. Exits 1 when a
# goal is not met.
suggest-score *ARGS:
    cargo run -q --release -p foi-normalise --example suggest_score -- {{ARGS}}

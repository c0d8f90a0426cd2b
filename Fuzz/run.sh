#!/bin/bash
# Runs one libFuzzer target of BulletinFuzz (built by `make fuzz`) and prints one line:
#   fuzz TARGET: RUNS runs in S s (R/s), coverage C, corpus N inputs: ok | FOUND …
# Usage: Fuzz/run.sh BINARY TARGET SECONDS [RUNS]
#
# The corpus grows in .build/fuzz/corpus/TARGET, seeded from our own fixtures the first time;
# what libFuzzer finds (crash-…, leak-…, timeout-…, oom-…) goes to .build/fuzz/findings/TARGET/,
# and the whole log to .build/fuzz/logs/TARGET.log. Replay a finding with
#   BULLETIN_FUZZ_TARGET=TARGET .build/fuzz/build/release/BulletinFuzz FILE
set -u
binary=$1 target=$2 seconds=$3 runs=${4:-}
root=.build/fuzz
corpus=$root/corpus/$target findings=$root/findings/$target log=$root/logs/$target.log

# Per target: the seeds (globs in the repository) and the longest input tried, in bytes.
case $target in
    feed) seeds="Tests/Fixtures/feeds/*"; max_len=4096 ;;
    feed-html) seeds="Tests/Fixtures/feeds/*"; max_len=2048 ;;
    toml) seeds="Config/*.toml"; max_len=4096 ;;
    search) seeds=""; max_len=256 ;;
    opml) seeds="Feeds/*.opml"; max_len=8192 ;;
    cyclonedx) seeds="Tests/Fixtures/inventory/cyclonedx-*.json"; max_len=2048 ;;
    csv) seeds="Tests/Fixtures/inventory/komiser-*.csv Tests/Fixtures/inventory/plain-list-*.txt"; max_len=2048 ;;
    sanitizer) seeds=""; max_len=1024 ;;
    *) echo "fuzz: unknown target '$target' (feed feed-html toml search opml cyclonedx csv sanitizer)" >&2; exit 2 ;;
esac

mkdir -p "$corpus" "$findings" "$(dirname "$log")"
if [ -z "$(ls -A "$corpus")" ]; then
    for seed in $seeds; do cp "$seed" "$corpus/"; done
fi
options=(-max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1
         -print_final_stats=1 -artifact_prefix="$findings/")
[ -n "$runs" ] && options+=(-runs="$runs")
[ -f "Fuzz/Dictionaries/$target.dict" ] && options+=(-dict="Fuzz/Dictionaries/$target.dict")

# libFuzzer looks for leaks (LeakSanitizer) after each input that allocated more than it
# freed, twice in a row; after 1000 such looks that find nothing it stops and says so in the
# log (there is no check at exit). Fuzz/lsan.supp lists leaks that are not Bulletin's to fix.
# Allocations keep 8 frames of their stack, not 30 (LeakSanitizer reports nothing with
# fewer than 2), and freed memory is reused sooner: about 12% more inputs a second. Replay
# a finding without this ASAN_OPTIONS to see whole stacks. A failed check (`require`) is a
# trap, reported by libFuzzer (Swift's own backtracer is off).
BULLETIN_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no \
ASAN_OPTIONS="detect_leaks=1:malloc_context_size=8:quarantine_size_mb=16:${ASAN_OPTIONS:-}" \
LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}" \
    "$binary" "${options[@]}" "$corpus" >"$log" 2>&1
status=$?

executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
elapsed=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
corpus_size=$(ls "$corpus" | wc -l)
rate=""
[ -n "$elapsed" ] && [ "${elapsed:-0}" -gt 0 ] && rate=" ($((${executed:-0} / elapsed))/s)"
# Lines that are not libFuzzer's own: something the code under test printed (libxml2 wrote
# "xmlParseChunk: encoder error" to stderr this way until LibXML silenced it). libFuzzer's
# own messages that run over several lines (NEW_FUNC, the note that it stopped looking for
# leaks) continue indented.
# A slow input (one over 10 s is a time-out, a failure) is libFuzzer's too: it says
# "Slowest unit: N s:", writes the input to the findings as slow-unit-…, and prints it in
# base64. It is reported beside the result, not as a finding: a machine that stalls makes them.
own='^(#[0-9]|INFO:|[[:space:]]|stat::|Done [0-9]+ runs|Dictionary: |###### |"|Slowest unit: |artifact_prefix=.*slow-unit-|Base64: )'
printed=$(grep -v -E "$own" "$log" | grep -c .)
if [ $status -eq 0 ] && [ "$printed" -gt 0 ]; then
    result="FOUND output of its own ($printed lines, e.g. '$(grep -v -E "$own" "$log" | head -1 | cut -c1-80)'): see $log"
    status=1
elif [ $status -eq 0 ]; then
    result=ok
else
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    kind=$(grep -o -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [a-z-]+( signal)?' "$log" | sed 's/ERROR: //')
    check=$(grep -o -m1 'Fatal error: .*' "$log" | cut -c14-200)
    result="FOUND ${kind:-a failure (exit $status)}${check:+ ($check)}: ${artifact:-see $log}"
fi
grep -q "disabled leak detection" "$log" && result="$result (libFuzzer stopped looking for leaks on the way)"
slowest=$(sed -n 's/^Slowest unit: \([0-9]*\) s:.*/\1/p' "$log" | sort -n | tail -1)
[ -n "$slowest" ] && result="$result (slowest input $slowest s, kept in $findings as slow-unit-…: replay it to see whether it is slow again)"
echo "fuzz $target: ${executed:-?} runs in ${elapsed:-?} s$rate, coverage ${coverage:-?}, corpus $corpus_size inputs: $result"
[ $status -eq 0 ]

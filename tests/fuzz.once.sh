# The fuzz targets (tests/fuzz/fuzz_*.c, built by "make fuzz" with
# libFuzzer, ASan and UBSan into build/fuzz/): each runs for
# FUZZ_SECONDS (default 10) from its committed corpus, tests/fuzz/NAME/,
# which it leaves as it is.  An input that crashes, leaks, trips a
# sanitizer or takes 10 s is kept in build/fuzz/artifacts/ for a
# regression seed.
. "$TOP/tests/lib.sh"

seconds=${FUZZ_SECONDS:-10}
bins=$TOP/build/fuzz
artifacts=$bins/artifacts
mkdir -p "$artifacts"
new_scratch

for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	corpus=$TOP/tests/fuzz/${name#fuzz_}
	if [ ! -x "$bins/$name" ]; then
		not_ok "$name: not built (make fuzz)"
		continue
	fi
	if [ ! -d "$corpus" ]; then
		not_ok "$name: no corpus in tests/fuzz/${name#fuzz_}/"
		continue
	fi
	mkdir -p "$scratch/$name"
	if "$bins/$name" -max_total_time="$seconds" -timeout=10 \
	    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix="$artifacts/$name-" \
	    "$scratch/$name" "$corpus" >"$scratch/$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		    "$scratch/$name.log")
		ok "$name: $runs inputs in ${seconds} s"
	else
		not_ok "$name: failed; the input is in $artifacts"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' \
		    "$scratch/$name.log" | head -5 | sed 's/^/# /'
	fi
done

# The search page's query parser is JavaScript: node mutates its seeds
# (tests/fuzz/query/) for as long, with the checks of tests/fuzz/query.js.
if command -v node >/dev/null 2>&1; then
	if runs=$(node "$TOP/tests/fuzz/query.js" "$TOP/assets/search.js" \
	    "$TOP/tests/fuzz/query" "$seconds"); then
		ok "search query parser: $runs queries in ${seconds} s"
	else
		not_ok "search query parser: $runs"
	fi
else
	not_ok "search query parser: node is not installed"
fi

#!/bin/sh
# make fuzz: run the libFuzzer target BIN for SECONDS with two workers
# (-fork=2: both cores), the scenario dictionary, the seed corpus made from
# scenarios/, tests/malformed/ and the docs' examples, a 2 GiB RSS limit
# and a 10 s timeout per input. Crashes, timeouts and out-of-memory inputs
# do not stop the run; each is kept in the artifacts directory and printed
# at the end. Prints executions, executions/s, coverage (cov: ft:) and the
# counts; exits 1 when any input crashed, timed out or ran out of memory.
#
#   tests/fuzz/run.sh BIN SECONDS [EXTRA LIBFUZZER FLAGS...]
set -u
bin=$1
secs=$2
shift 2
dir=$(dirname "$bin")
seeds=$dir/fuzz-seeds
corpus=$dir/fuzz-corpus	# kept between runs: it only grows coverage
art=$dir/fuzz-artifacts
log=$dir/fuzz.log

tests/fuzz/corpus.sh "$seeds"
mkdir -p "$corpus" "$art"
rm -f "$art"/*
echo "fuzzing for $secs s with 2 workers (log: $log)"
"$bin" -fork=2 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
	-dict=tests/fuzz/scn.dict -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	-max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$art/" "$@" \
	"$corpus" "$seeds" >"$log" 2>&1
rc=$?

# fork mode's status lines: #EXECS: cov: N ft: N corp: N exec/s N oom/timeout/crash: A/B/C time: Ts
last=$(grep -E '^#[0-9]+: cov: ' "$log" | tail -1)
if [ -z "$last" ]; then
	echo "fuzz: the fuzzer printed no statistics (exit $rc):"
	tail -30 "$log"
	exit 1
fi
echo "$last" | awk '{
	execs = substr($1, 2) + 0; t = $13 + 0
	printf "fuzz: %d executions in %d s, %d execs/s; cov: %s ft: %s corpus: %s; oom/timeout/crash: %s\n",
	       execs, t, t ? execs / t : 0, $3, $5, $7, $11 }'

# the first few: one bug is often hit hundreds of times
bad=0
for f in "$art"/*; do
	[ -e "$f" ] || continue
	bad=$((bad + 1))
	[ $bad -le 5 ] || continue
	echo "---- $(basename "$f") ($(wc -c <"$f") bytes):"
	if LC_ALL=C grep -q '[^[:print:][:space:]]' "$f"; then
		hexdump -C "$f" | head -64
	else
		cat "$f"
		echo
	fi
	echo "---- reproduce: $bin $f"
done
[ $bad -gt 5 ] && echo "---- and $((bad - 5)) more in $art"
[ $bad = 0 ] && [ $rc = 0 ] && exit 0
echo "fuzz: failures above (exit $rc); the log is $log"
exit 1

#!/bin/sh
# Same scenario, same bytes out: the traced output of two builds (-O0 and
# -O2) over every scenario must be identical, and so must two runs.
set -u
a=$1; b=$2; shift 2
ta=$(mktemp); tb=$(mktemp); tc=$(mktemp)
"$a" run --trace "$@" >"$ta" 2>&1
"$b" run --trace "$@" >"$tb" 2>&1
"$b" run --trace "$@" >"$tc" 2>&1
status=0
if ! cmp -s "$ta" "$tb"; then
	echo "determinism: -O0 and -O2 differ:"; diff "$ta" "$tb" | head -20; status=1
elif ! cmp -s "$tb" "$tc"; then
	echo "determinism: two runs differ"; status=1
else
	echo "determinism: $(wc -l <"$ta") lines of trace identical at -O0 and -O2 ($(sha256sum <"$ta" | cut -c1-16))"
fi
rm -f "$ta" "$tb" "$tc"
exit $status

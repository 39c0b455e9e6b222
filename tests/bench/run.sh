#!/bin/sh
# make bench: the figures, then instructions per simulated fault counted by
# callgrind as the difference between two sizes (so set-up, parsing and the
# end-of-run sweep cancel out), when valgrind is installed; for the mmaps
# case, instructions per mapping the same way (flat: no quadratic walk).
set -eu
bench=$1
"$bench"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind not installed: no instruction counts"
	exit 0
fi
ir() {
	f=$(mktemp)
	size=--mib
	[ "$1" = mmaps ] && size=--n
	valgrind --tool=callgrind --callgrind-out-file="$f" "$bench" --case "$1" $size "$2" \
		>/dev/null 2>&1
	grep -m1 '^totals:\|^summary:' "$f" | awk '{print $2}'
	rm -f "$f"
}
target() {
	case $1 in
	hole) echo "target <=2300 (issue 8: a ceiling)" ;;
	write) echo "the fault and its share of the msync" ;;
	writefault) echo "target <=3000" ;;
	*) echo "no target" ;;
	esac
}
for c in hole writefault write uniform; do
	a=$(ir $c 16); b=$(ir $c 32)
	echo "$c: $(( (b - a) / (16 * 256) )) instructions per simulated fault (callgrind, 32 MiB - 16 MiB; $(target $c)), $(( b / (32 * 256) )) all-in at 32 MiB"
done
a=$(ir mmaps 5000); b=$(ir mmaps 10000)
echo "mmaps: $(( (b - a) / 5000 )) instructions per mapping (callgrind, 10k - 5k), $(( a / 5000 )) all-in at 5k, $(( b / 10000 )) at 10k"

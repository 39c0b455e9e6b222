#!/bin/sh
# The seed corpus of make fuzz, into $1: every scenario under scenarios/,
# every malformed input under tests/malformed/, and every ```-fenced block
# of docs/ and README.md (examples; the rest is harmless seed text).
set -eu
out=$1
rm -rf "$out"
mkdir -p "$out"
for f in scenarios/*/*.scn tests/malformed/*.scn; do
	cp "$f" "$out/$(echo "$f" | tr / _)"
done
for doc in docs/*.md README.md; do
	awk -v out="$out" -v name="$(echo "$doc" | tr / _)" '
		/^```/ && on { on = 0; close(f); next }
		/^```/ { n++; f = sprintf("%s/%s-%03d.scn", out, name, n); on = 1; next }
		on { print > f }
	' "$doc"
done
echo "seed corpus: $(ls "$out" | wc -l) files in $out"

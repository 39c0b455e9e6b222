#!/bin/sh
# mmsim's own probes for the rig (../shared/rig): each checks on the real
# kernel (Debian 6.1 in qemu, ext4 -o dax on emulated pmem) a behaviour the
# model predicts. They use the rig's common.h. Results: docs/findings.md.
#   probes/run.sh            # as root, about 30 s the first time
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rig=${RIG:-$here/../../shared/rig}
dir=$(mktemp -d)
cp "$rig/probes/common.h" "$here"/*.c "$dir"/
RIG_PROBES=$dir RIG_OUT=${RIG_OUT:-/tmp/mmsim-probes-out} "$rig/run.sh"
grep -v '^#' "${RIG_OUT:-/tmp/mmsim-probes-out}/results.txt"
rm -rf "$dir"

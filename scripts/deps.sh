#!/bin/sh
# Install what the build needs, on Debian, when it is missing.
# `deps.sh fuzz`: also clang and its libFuzzer runtime (make fuzz only).
missing=""
if [ "${1:-}" = fuzz ]; then
	command -v clang >/dev/null 2>&1 || missing="$missing clang"
	ls "$(clang --print-runtime-dir 2>/dev/null)"/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
		missing="$missing libclang-rt-dev"
fi
pkg-config --exists glib-2.0 2>/dev/null || missing="$missing libglib2.0-dev"
pkg-config --exists criterion 2>/dev/null || missing="$missing libcriterion-dev"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
command -v gcovr >/dev/null 2>&1 || missing="$missing gcovr"
command -v gcc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
# tests/scenarios/test_output.c checks the JUnit XML with xmllint
command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils"
# tests/scenarios/test_install.c lints the man pages with mandoc
command -v mandoc >/dev/null 2>&1 || missing="$missing mandoc"
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q $missing >/dev/null

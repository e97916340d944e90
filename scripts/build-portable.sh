#!/usr/bin/env bash
# Builds heaptui as fully static Linux binaries (musl libc linked in; no glibc version, no shared
# library, no runtime dependency at all), for bastions without a Rust toolchain on any
# distribution (Amazon Linux 2, RHEL/CentOS 7, Alpine, …), then checks each one:
#
#   scripts/build-portable.sh                  # x86_64 and aarch64
#   scripts/build-portable.sh x86_64           # one architecture (what CI builds)
#
# Output: target/portable/heaptui-VERSION-ARCH-linux-musl and its .sha256.
# Needs rustup, which adds the musl targets (`rustup target add`). The aarch64 binary is linked by
# rust-lld, which ships with rustc. The checks: the binary asks for no program interpreter and no
# shared library and needs no GLIBC_ symbol version (readelf, objdump -T); it prints the version;
# its `summary` of a fixture, as text and JSON, equals the normal build's. An aarch64 binary runs
# under qemu-aarch64-static (Debian's qemu-user-static) when that is installed.
#
# A target that cannot be installed is skipped with a message (exit 0); a build or a check that
# fails stops the script (exit 1).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=target/portable
FIXTURE=tests/fixtures/leak-base.heapsnapshot.gz
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=(x86_64 aarch64)

say() { echo "build-portable: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

# The reference output comes from the normal build of the same sources.
cargo build --release --locked --quiet
REFERENCE=target/release/heaptui

# Runs the binary of architecture $1 with the remaining arguments, natively or under qemu.
run() {
  local arch=$1 bin=$2
  shift 2
  if [ "$arch" = "$(uname -m)" ]; then
    "$bin" "$@"
  elif command -v "qemu-$arch-static" >/dev/null; then
    "qemu-$arch-static" "$bin" "$@"
  else
    return 127
  fi
}

check() {
  local arch=$1 bin=$2
  if readelf -lW "$bin" | grep -q 'program interpreter'; then
    fail "$bin asks for a program interpreter (not static)"
  fi
  if readelf -dW "$bin" | grep -q '(NEEDED)'; then
    fail "$bin needs shared libraries: $(readelf -dW "$bin" | grep '(NEEDED)' | tr -s ' ')"
  fi
  local glibc
  glibc=$(objdump -T "$bin" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1 || true)
  [ -z "$glibc" ] || fail "$bin needs $glibc"
  say "$bin: static, no shared libraries, no GLIBC_ symbol versions"

  local version status=0
  version=$(run "$arch" "$bin" --version) || status=$?
  if [ $status -eq 127 ]; then
    say "$arch binary not run: no qemu-$arch-static here (apt-get install qemu-user-static)"
    return
  fi
  [ $status -eq 0 ] || fail "$bin --version failed (exit $status)"
  [ "$version" = "heaptui $VERSION" ] || fail "$bin --version printed '$version'"
  for format in text json; do
    local args=(summary "$FIXTURE")
    [ "$format" = text ] || args+=(--json)
    if ! cmp -s <(run "$arch" "$bin" "${args[@]}") <("$REFERENCE" "${args[@]}"); then
      fail "$bin ${args[*]} differs from $REFERENCE's"
    fi
  done
  say "$bin: --version and summary of $FIXTURE (text, JSON) as the normal build"
}

mkdir -p "$OUT"
for arch in "${archs[@]}"; do
  target=$arch-unknown-linux-musl
  if ! rustup target list --installed | grep -qx "$target" &&
    ! timeout 300 rustup target add "$target" >/dev/null 2>&1; then
    say "skipped $arch: the Rust target $target cannot be installed here (rustup target add $target failed)"
    continue
  fi
  linker_var=CARGO_TARGET_$(echo "$target" | tr 'a-z-' 'A-Z_')_LINKER
  # The host's cc links the host's own architecture; rust-lld any other.
  if [ "$arch" != "$(uname -m)" ] && [ -z "${!linker_var:-}" ]; then
    export "$linker_var=rust-lld"
  fi
  say "building $target"
  # Release settings without debug info: the binary is for copying, a few MB instead of 26.
  CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=debuginfo \
    cargo build --release --locked --quiet --target "$target" || fail "cargo build --target $target"
  bin=$OUT/heaptui-$VERSION-$arch-linux-musl
  cp "target/$target/release/heaptui" "$bin"
  (cd "$OUT" && sha256sum "$(basename "$bin")" >"$(basename "$bin").sha256")
  check "$arch" "$bin"
  say "$bin ($(du -h "$bin" | cut -f1)), sha256 $(cut -d' ' -f1 "$bin.sha256")"
done

#!/usr/bin/env bash
# setup.sh: installs everything Pogo WebSocket needs on Debian bookworm and builds
# a ZTS + embed libphp 8.2 into a cache directory outside the repository.
#
# Idempotent: every step checks whether its result is already present and skips
# itself. Called by `go tool mage setup`; safe to run by hand.
#
# Environment:
#   POGO_CACHE        cache root (default: $XDG_CACHE_HOME/pogo-websocket or ~/.cache/pogo-websocket)
#   POGO_PHP_VERSION  Debian source version of php8.2 to build (default 8.2.32-1~deb12u1)
#   POGO_SKIP_APT=1   skip the apt step (for machines provisioned another way)
set -euo pipefail

CACHE="${POGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pogo-websocket}"
PHP_DEB_VERSION="${POGO_PHP_VERSION:-8.2.32-1~deb12u1}"
PHP_UPSTREAM="${PHP_DEB_VERSION%%-*}"
PREFIX="$CACHE/php-$PHP_UPSTREAM-zts"
SRC="$CACHE/src"
SOURCES=/etc/apt/sources.list.d/debian.sources

step() { printf '\n==> %s\n' "$*"; }
die() { printf '\nsetup: FAILED: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: run as root or install sudo"
  SUDO=sudo
fi

APT_PACKAGES=(
  # PHP CLI and the extensions Laravel and the tests need
  php8.2-cli php8.2-mbstring php8.2-xml php8.2-curl php8.2-sqlite3 php8.2-bcmath php-redis
  phpunit composer php-laravel-framework php-guzzlehttp-guzzle php-parser
  # services and browsers used by the tests
  redis-server chromium
  # build dependencies of the ZTS libphp
  build-essential pkg-config dpkg-dev xz-utils libxml2-dev libssl-dev libsqlite3-dev zlib1g-dev
  libonig-dev libcurl4-openssl-dev libsodium-dev
  # misc tools
  curl ca-certificates procps
)

missing_packages() {
  local p out=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || out+=("$p")
  done
  echo "${out[@]:-}"
}

if [ "${POGO_SKIP_APT:-}" != 1 ]; then
  step "Debian packages"
  miss=$(missing_packages)
  if [ -n "$miss" ]; then
    echo "installing: $miss"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q >/dev/null || die "apt-get update failed: is deb.debian.org reachable?"
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -q --no-install-recommends $miss \
      || die "apt-get install failed for: $miss (check network access to the Debian mirror and free disk space)"
  else
    echo "all present"
  fi
fi

if [ -x "$PREFIX/bin/php-config" ] && [ -f "$PREFIX/lib/libphp.so" ] && "$PREFIX/bin/php" -r 'exit(PHP_ZTS ? 0 : 1);' 2>/dev/null; then
  step "ZTS libphp $PHP_UPSTREAM: cached at $PREFIX"
  exit 0
fi

avail=$(df -Pk "$(dirname "$CACHE")" 2>/dev/null | awk 'NR==2{print $4}' || echo 0)
mkdir -p "$CACHE" || die "cannot create cache directory $CACHE"
avail=$(df -Pk "$CACHE" | awk 'NR==2{print $4}')
[ "${avail:-0}" -gt 1500000 ] || die "less than 1.5 GB free under $CACHE: free some disk or set POGO_CACHE"

mkdir -p "$SRC"
tarball=$(ls "$SRC"/php8.2_"$PHP_UPSTREAM".orig.tar.xz 2>/dev/null || true)
if [ -z "$tarball" ]; then
  step "downloading the php8.2 $PHP_DEB_VERSION source package from Debian"
  backup=$(mktemp)
  cp "$SOURCES" "$backup"
  restore() { $SUDO cp "$backup" "$SOURCES"; rm -f "$backup"; $SUDO apt-get update -q >/dev/null 2>&1 || true; }
  trap restore EXIT
  # enable deb-src for the bookworm suite only (the security suite's version is not served)
  $SUDO python3 - "$SOURCES" <<'PY' || die "could not enable deb-src in $SOURCES"
import sys
p = sys.argv[1]
blocks = open(p).read().split("\n\n")
out = []
for b in blocks:
    out.append(b)
    if "Suites: bookworm bookworm-updates" in b or "Suites: bookworm\n" in b + "\n":
        src = b.replace("Types: deb\n", "Types: deb-src\n", 1)
        out.append(src)
open(p, "w").write("\n\n".join(out) + "\n")
PY
  $SUDO apt-get update -q >/dev/null || die "apt-get update with deb-src failed"
  (cd "$SRC" && apt-get source --download-only "php8.2=$PHP_DEB_VERSION") \
    || die "apt-get source php8.2=$PHP_DEB_VERSION failed: set POGO_PHP_VERSION to a version 'apt-cache showsrc php8.2' lists"
  restore; trap - EXIT
fi

step "building ZTS libphp $PHP_UPSTREAM into $PREFIX (about 10 minutes on 2 cores)"
build="$SRC/php-$PHP_UPSTREAM"
rm -rf "$build"
tar -C "$SRC" -xf "$SRC/php8.2_$PHP_UPSTREAM.orig.tar.xz" || die "cannot unpack the PHP source tarball"
cd "$build"
log="$SRC/build.log"
: >"$log"
echo "configure (log: $log)"
./configure --prefix="$PREFIX" \
  --with-config-file-path="$PREFIX/etc" --with-config-file-scan-dir="$PREFIX/etc/conf.d" \
  --enable-embed --enable-zts --disable-zend-signals --enable-zend-max-execution-timers \
  --disable-cgi --disable-phpdbg --without-pear \
  --enable-mbstring --with-openssl --with-pdo-sqlite --with-sqlite3 --enable-ctype --enable-fileinfo \
  --enable-dom --enable-xml --enable-simplexml --enable-xmlreader --enable-xmlwriter \
  --enable-session --enable-filter --with-iconv --with-curl --with-zlib --with-sodium --enable-bcmath \
  --enable-opcache --enable-pcntl --enable-sockets >>"$log" 2>&1 \
  || { tail -30 "$log"; die "PHP configure failed (a -dev package is probably missing; see $log)"; }
echo "make -j$(nproc) (progress every 30 s)"
make -j"$(nproc)" >>"$log" 2>&1 &
mpid=$!
start=$(date +%s)
while kill -0 "$mpid" 2>/dev/null; do
  sleep 30
  kill -0 "$mpid" 2>/dev/null || break
  objs=$(find . -name '*.lo' 2>/dev/null | wc -l)
  echo "  ... $(( $(date +%s) - start ))s, $objs objects compiled"
done
wait "$mpid" || { tail -30 "$log"; die "PHP make failed (see $log)"; }
make install >>"$log" 2>&1 || { tail -30 "$log"; die "PHP make install failed (see $log)"; }
mkdir -p "$PREFIX/etc/conf.d"
"$PREFIX/bin/php" -r 'exit(PHP_ZTS ? 0 : 1);' || die "the built PHP is not ZTS"
rm -rf "$build"
step "ZTS libphp ready: $PREFIX ($(( $(date +%s) - start ))s)"

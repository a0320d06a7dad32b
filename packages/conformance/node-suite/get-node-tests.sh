#!/usr/bin/env bash
# Make Node's own test tree (test/ of Debian's `nodejs` source package) available
# in a cache folder outside the repo.  Idempotent: a finished tree is reused.
#
#   packages/conformance/node-suite/get-node-tests.sh        # prints the tree's root last
#
# Env:
#   NODE_TESTS_CACHE   cache folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/node-cluster-conformance)
#   NODE_SRC_VERSION   Debian version to fetch, e.g. 18.20.4+dfsg-1~deb12u2 (default: apt's candidate)
#   NODE_ORIG_TARBALL  use this already-downloaded *.orig.tar.xz instead of apt
#
# Needs root (or sudo) only when a deb-src entry must be added / apt lists updated.
# Progress goes to stderr; the last line on stdout is the tree's root
# (the folder that holds test/; run tests with that as cwd).
set -euo pipefail

PKG=nodejs
CACHE="${NODE_TESTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/node-cluster-conformance}"
WANT="${NODE_SRC_VERSION:-}"
MARK=.node-cluster-conformance

log() { printf '[get-node-tests] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
asroot() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root for: $*"; fi
}

# (no `apt-cache | grep -q` pipes: with pipefail, grep -q's early exit fails them)
has_src() { local out; out="$(apt-cache showsrc "$PKG" 2>/dev/null || true)"; grep -q '^Package:' <<<"$out"; }

mkdir -p "$CACHE"

# 1. Reuse a finished tree (of the wanted version, if one was asked for).
for m in "$CACHE"/*/"$MARK"; do
  [ -f "$m" ] || continue
  if [ -z "$WANT" ] || grep -qxF "version=$WANT" "$m"; then
    log "reusing $(dirname "$m") ($(grep '^version=' "$m" | cut -d= -f2-))"
    dirname "$m"
    exit 0
  fi
done

if ! command -v xz >/dev/null; then
  log "installing xz-utils"
  asroot apt-get install -y -q xz-utils >&2 ||
    { asroot apt-get update -q >&2 && asroot apt-get install -y -q xz-utils >&2; } ||
    die "cannot install xz-utils"
fi

DL="$CACHE/download"
mkdir -p "$DL"

if [ -n "${NODE_ORIG_TARBALL:-}" ]; then
  TARBALL="$NODE_ORIG_TARBALL"
  [ -f "$TARBALL" ] || die "NODE_ORIG_TARBALL=$TARBALL not found"
  VERSION="${WANT:-$(basename "$TARBALL" | sed -E 's/^[^_]+_(.*)\.orig\.tar\..*$/\1/')}"
else
  # 2. Make sure apt knows source packages: add deb-src twins of the Debian
  #    archive's own `deb` entries when no deb-src entry exists at all.
  shopt -s nullglob
  LISTS=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
  DEB822=(/etc/apt/sources.list.d/*.sources)
  shopt -u nullglob
  added=0
  if ! grep -qsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*[[:space:]]deb-src([[:space:]]|$))' \
       ${LISTS[@]+"${LISTS[@]}"} ${DEB822[@]+"${DEB822[@]}"}; then
    . /etc/os-release
    codename="${VERSION_CODENAME:-}"
    [ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
    new="$(mktemp)"
    # deb822 stanzas signed by Debian's archive key (or naming the release).
    for f in ${DEB822[@]+"${DEB822[@]}"}; do
      awk -v cn="$codename" '
        function flush() {
          if (st != "" && isdeb && (signed || suites ~ ("(^| )" cn "([- ]|$)")))
            printf "%s\n", st;
          st = ""; isdeb = 0; signed = 0; suites = "";
        }
        /^[[:space:]]*$/ { flush(); next }
        /^#/ { next }
        /^Types:/ { if ($0 ~ /[[:space:]]deb([[:space:]]|$)/) isdeb = 1;
                    st = st "Types: deb-src\n"; next }
        /^Suites:/ { suites = $0; sub(/^Suites:[[:space:]]*/, "", suites) }
        /^Signed-By:.*debian-archive-keyring/ { signed = 1 }
        { st = st $0 "\n" }
        END { flush() }' "$f" >>"$new"
    done
    # one-line entries for the release
    if [ "${#LISTS[@]}" -gt 0 ]; then
      grep -hE "^[[:space:]]*deb[[:space:]].*[[:space:]]${codename}([-[:space:]]|$)" "${LISTS[@]}" 2>/dev/null |
        sed -E 's/^[[:space:]]*deb[[:space:]]/deb-src /' >>"$new" || true
    fi
    [ -s "$new" ] || die "found no Debian apt entry to mirror as deb-src; add one by hand"
    if grep -q '^Types:' "$new"; then dest=/etc/apt/sources.list.d/node-cluster-conformance-src.sources
    else dest=/etc/apt/sources.list.d/node-cluster-conformance-src.list; fi
    log "adding deb-src entries: $dest"
    asroot install -m 0644 "$new" "$dest"
    rm -f "$new"
    added=1
  fi

  # 3. apt-get update when the source index is missing (or just added).
  if [ "$added" = 1 ] || ! has_src; then
    log "apt-get update"
    asroot apt-get update -q >&2
  fi
  has_src || die "apt knows no source package $PKG"

  # 4. Download (not unpack) the source package.  Only the upstream orig
  #    tarball matters (test/ comes from it), so a version whose .dsc/.diff
  #    cannot be fetched is fine as long as its verified orig tarball arrived;
  #    otherwise the next older version apt knows is tried.
  showsrc="$(apt-cache showsrc "$PKG" 2>/dev/null || true)"
  if [ -n "$WANT" ]; then order=("$WANT")
  else
    order=()
    while read -r v; do
      [ -n "$v" ] || continue
      i=0
      while [ "$i" -lt "${#order[@]}" ] && dpkg --compare-versions "${order[$i]}" ge "$v"; do i=$((i + 1)); done
      order=("${order[@]:0:$i}" "$v" "${order[@]:$i}")
    done < <(sed -n 's/^Version: //p' <<<"$showsrc" | sort -u)
  fi
  sandbox=()
  [ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
  # verified FILE VERSION: FILE's sha256 is the one apt lists for VERSION
  verified() {
    local want
    want="$(awk -v RS= -v v="$2" 'index($0, "\nVersion: " v "\n")' <<<"$showsrc" |
            awk -v f="$(basename "$1")" '$3 == f && length($1) == 64 { print $1; exit }')"
    [ -n "$want" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$want" ]
  }
  TARBALL=""
  for v in "${order[@]}"; do
    upstream="${v#*:}"; upstream="${upstream%-*}"
    tb="$(ls "$DL/${PKG}_${upstream}".orig.tar.* 2>/dev/null | head -n1 || true)"
    if [ -z "$tb" ] || ! verified "$tb" "$v"; then
      log "apt-get source --download-only $PKG=$v"
      (cd "$DL" && apt-get "${sandbox[@]}" source --download-only -q "$PKG=$v" >&2) ||
        log "apt-get source $PKG=$v failed; checking whether its orig tarball arrived"
      tb="$(ls "$DL/${PKG}_${upstream}".orig.tar.* 2>/dev/null | head -n1 || true)"
    fi
    if [ -n "$tb" ] && verified "$tb" "$v"; then VERSION="$v"; TARBALL="$tb"; break; fi
    log "no verified orig tarball for $PKG $v"
  done
  [ -n "$TARBALL" ] || die "could not get an orig tarball of $PKG (tried: ${order[*]})"
fi

# 5. Extract only test/ (all the cluster tests need: test/{parallel,sequential,common,fixtures}).
TOP="$(tar -tf "$TARBALL" 2>/dev/null | head -n1 | cut -d/ -f1 || true)"
[ -n "$TOP" ] || die "cannot read $TARBALL"
TMPX="$CACHE/.extract.$$"
rm -rf "$TMPX"; mkdir -p "$TMPX"
trap 'rm -rf "$TMPX"' EXIT
log "extracting $TOP/test from $(basename "$TARBALL")"
tar -xf "$TARBALL" -C "$TMPX" --wildcards "$TOP/test/*"
[ -f "$TMPX/$TOP/test/common/index.js" ] || die "extraction produced no test/common/index.js"
printf 'version=%s\ntarball=%s\n' "$VERSION" "$(basename "$TARBALL")" >"$TMPX/$TOP/$MARK"
rm -rf "${CACHE:?}/$TOP"
mv "$TMPX/$TOP" "$CACHE/$TOP"
log "done"
echo "$CACHE/$TOP"

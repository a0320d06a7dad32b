#!/usr/bin/env bash
# Run Node's own cluster tests, against the builtin node:cluster (baseline) or
# against a re-implementation.
#
#   packages/conformance/node-suite/run.sh [IMPL]
#   packages/conformance/node-suite/run.sh --list      # only print the selected test files
#
# (`pnpm --filter @cluster/conformance test` runs it on @cluster/core and judges the result: check.mjs.)
#
# IMPL: path to the module that replaces `cluster` (a file or a package folder,
#       resolved like require()); it is exported as CLUSTER_IMPL and alias.cjs is
#       preloaded into every node process through NODE_OPTIONS.  Without IMPL no
#       preload is used at all (NODE_OPTIONS is emptied, as tools/test.py does).
#
# Output: `PASS|FAIL|TIMEOUT|SKIP test-name` per test (in completion order),
# then `# ...` notes, then the last line `N passed, M failed` (M counts
# timeouts; skips are in neither).  Exit status 0 when M is 0, else 1.
#
# Env:
#   NODE_SRC   tree holding test/ (default: from get-node-tests.sh)
#   NODE       node binary (default: node on PATH)
#   JOBS       tests at once for test/parallel (default 2); test/sequential runs alone
#   TIMEOUT    seconds per test (default 60)
#   FILTER     extended regex; only tests whose name matches
#   RESULTS    also write a TSV (test, status, exit, seconds, flags) here
#   LOGDIR     keep each test's stdout/stderr here (default: a fresh temp dir)
#   RUN_AS     run the tests as this user (root only; e.g. nobody): the two
#              privileged-port (EACCES) tests skip themselves under root
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
INVOKED_FROM="$PWD"
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"

# --------------------------------------------------------------------------
# One test (called through xargs): --one SUITE/FILE SERIAL
# --------------------------------------------------------------------------
if [ "${1:-}" = "--one" ]; then
  rel="$2"; serial="$3"
  name="${rel#test/}"; name="${name%.*}"
  log="$LOGDIR/${name//\//__}"
  cd "$NODE_SRC" || exit 2
  # tools/test.py: the FIRST `// Flags:` match anywhere in the file, split on
  # whitespace, goes before the file name.
  flags="$(grep -m1 -oP '//\s+Flags:\K.*' "$rel" || true)"
  read -r -a flagv <<<"$flags"; flags="${flagv[*]}"
  par=0; case "$rel" in test/parallel/*) par=1 ;; esac
  start=$(date +%s.%N)
  # Like tools/test.py: no NODE_PATH / NODE_REPL_EXTERNAL_MODULE, a serial id
  # (test/common/tmpdir.js uses it for test/.tmp.<id>), a thread id, and
  # TEST_PARALLEL (common.PORT throws in parallel tests).  GNU timeout puts
  # itself and the test in a fresh process group and signals the whole group.
  tag="$RUN_TAG-$serial"
  env -u NODE_PATH -u NODE_REPL_EXTERNAL_MODULE \
      CONFORMANCE_TAG="$tag" \
      TEST_SERIAL_ID="$serial" TEST_THREAD_ID="${TEST_THREAD_ID:-0}" TEST_PARALLEL="$par" \
      timeout -k 5 "$TIMEOUT" ${RUN_AS:+setpriv --reuid="$RUN_AS" --regid="$RUN_GID" --init-groups} \
      "$NODE" ${flagv[@]+"${flagv[@]}"} "$rel" \
      >"$log.out" 2>"$log.err" </dev/null &
  pid=$!
  wait "$pid"; rc=$?
  # Reap what the test left behind in its process group (orphaned workers).
  kill -KILL -- "-$pid" 2>/dev/null
  # ...and what left the group (a detached primary and its workers): every process
  # that still carries this test's tag in its environment.
  for e in /proc/[0-9]*/environ; do
    { tr '\0' '\n' <"$e"; } 2>/dev/null | grep -qxF "CONFORMANCE_TAG=$tag" || continue
    p="${e#/proc/}"; p="${p%/environ}"; kill -KILL "$p" 2>/dev/null
  done
  secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  if [ "$rc" -eq 124 ] || { [ "$rc" -eq 137 ] && awk -v t="$secs" -v l="$TIMEOUT" 'BEGIN { exit !(t >= l) }'; }; then
    st=TIMEOUT
  elif [ "$rc" -ne 0 ]; then
    st=FAIL
  elif grep -qiP '# SKIP\S*\s+' "$log.out"; then
    st=SKIP            # tools/test.py's skip_regex, e.g. common.skip()'s `1..0 # Skipped: ...`
  else
    st=PASS
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$st" "$rc" "$secs" "$flags" >"$RESDIR/$serial"
  printf '%s %s\n' "$st" "$name"
  exit 0
fi

# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------
# Paths given relative to where run.sh was started.
abspath() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$INVOKED_FROM" "$1" ;; esac; }
[ -n "${RESULTS:-}" ] && RESULTS="$(abspath "$RESULTS")"
[ -n "${LOGDIR:-}" ] && LOGDIR="$(abspath "$LOGDIR")"
[ -n "${NODE_SRC:-}" ] && NODE_SRC="$(abspath "$NODE_SRC")"

LIST_ONLY=0
if [ "${1:-}" = "--list" ]; then LIST_ONLY=1; shift; fi
IMPL="${1:-}"
NODE="${NODE:-$(command -v node)}" || { echo "node not found" >&2; exit 2; }
TIMEOUT="${TIMEOUT:-60}"
JOBS="${JOBS:-2}"

if [ -z "${NODE_SRC:-}" ]; then
  NODE_SRC="$("$HERE/get-node-tests.sh" | tail -n1)" || { echo "get-node-tests.sh failed" >&2; exit 2; }
fi
[ -f "$NODE_SRC/test/common/index.js" ] || { echo "no test/common in NODE_SRC=$NODE_SRC" >&2; exit 2; }
NODE_SRC="$(cd "$NODE_SRC" && pwd)"

# Everything that exercises cluster: test-cluster-*, files that require/import
# cluster, and files that use a fixture that does (test-preload).
cd "$NODE_SRC" || exit 2
mapfile -t fixtures < <(grep -lE "require\(['\"](node:)?cluster['\"]\)" test/fixtures/*.js test/fixtures/*/*.js 2>/dev/null)
pat="require\(['\"](node:)?cluster['\"]\)|from ['\"](node:)?cluster['\"]|import\(['\"](node:)?cluster['\"]\)"
for f in ${fixtures[@]+"${fixtures[@]}"}; do
  f="${f#test/fixtures/}"; b="${f%%/*}"          # file name, or its sub-folder
  pat="$pat|['\"]${b//./\\.}['\"/]"
done
list_suite() {
  { ls "test/$1"/test-cluster-*.js "test/$1"/test-cluster-*.mjs 2>/dev/null
    grep -lE "$pat" "test/$1"/test-*.js "test/$1"/test-*.mjs 2>/dev/null
  } | sort -u | { if [ -n "${FILTER:-}" ]; then grep -E -- "$FILTER"; else cat; fi; }
}
mapfile -t PAR < <(list_suite parallel)
mapfile -t SEQ < <(list_suite sequential)
TOTAL=$(( ${#PAR[@]} + ${#SEQ[@]} ))
[ "$TOTAL" -gt 0 ] || { echo "no tests selected" >&2; exit 2; }
if [ "$LIST_ONLY" = 1 ]; then printf '%s\n' ${PAR[@]+"${PAR[@]}"} ${SEQ[@]+"${SEQ[@]}"}; exit 0; fi

if [ -n "$IMPL" ]; then
  IMPL="$(abspath "$IMPL")"
  [ -e "$IMPL" ] || { echo "IMPL not found: $IMPL" >&2; exit 2; }
  export CLUSTER_IMPL="$IMPL"
  export NODE_OPTIONS="--require \"$HERE/alias.cjs\""
else
  unset CLUSTER_IMPL
  export NODE_OPTIONS=""
fi

# RUN_AS=user: run the tests as that user (the tests that need EACCES on a
# privileged port skip themselves under root).  The tree is copied to a
# temp folder that user owns, since test/.tmp.* is written next to test/.
STAGE=""
if [ -n "${RUN_AS:-}" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "RUN_AS needs root" >&2; exit 2; }
  command -v setpriv >/dev/null || { echo "RUN_AS needs setpriv (util-linux)" >&2; exit 2; }
  RUN_GID="$(id -g "$RUN_AS")" || exit 2
  STAGE="$(mktemp -d -t cluster-conformance-tree.XXXXXX)"
  chmod 755 "$STAGE"
  cp -a "$NODE_SRC/test" "$STAGE/"
  chown -R "$RUN_AS:$RUN_GID" "$STAGE"
  NODE_SRC="$STAGE"
  for f in "$HERE/alias.cjs" ${IMPL:+"$IMPL"}; do
    setpriv --reuid="$RUN_AS" --regid="$RUN_GID" --init-groups test -r "$f" ||
      { echo "RUN_AS=$RUN_AS cannot read $f" >&2; exit 2; }
  done
  export RUN_AS RUN_GID
fi

RESDIR="$(mktemp -d)"
LOGDIR="${LOGDIR:-$(mktemp -d -t cluster-conformance-logs.XXXXXX)}"
mkdir -p "$LOGDIR"
trap 'rm -rf "$RESDIR" ${STAGE:+"$STAGE"}' EXIT
RUN_TAG="conformance-$$-$(date +%s)"
export NODE NODE_SRC TIMEOUT RESDIR LOGDIR RUN_TAG
umask 022

# "file serial" lines; serials are unique over the whole run (tmpdir names).
numbered() { local n="$1"; shift; for t in "$@"; do n=$((n + 1)); printf '%s %s\n' "$t" "$n"; done; }
numbered 0 ${PAR[@]+"${PAR[@]}"} |
  xargs -r -P "$JOBS" -L 1 --process-slot-var=TEST_THREAD_ID "$SELF" --one
numbered "${#PAR[@]}" ${SEQ[@]+"${SEQ[@]}"} |
  xargs -r -P 1 -L 1 --process-slot-var=TEST_THREAD_ID "$SELF" --one

# A test whose runner died without a verdict counts as failed.
i=0
for t in ${PAR[@]+"${PAR[@]}"} ${SEQ[@]+"${SEQ[@]}"}; do
  i=$((i + 1))
  if [ ! -s "$RESDIR/$i" ]; then
    n="${t#test/}"; n="${n%.*}"
    printf '%s\tFAIL\t\t\tno result from the runner\n' "$n" >"$RESDIR/$i"
    echo "FAIL $n"
  fi
done
rows="$(cat "$RESDIR"/* 2>/dev/null | sort)"
count() { awk -F'\t' -v s="$1" '$2 == s { n++ } END { print n + 0 }' <<<"$rows"; }
P=$(count PASS); F=$(count FAIL); T=$(count TIMEOUT); S=$(count SKIP)
if [ -n "${RESULTS:-}" ]; then
  { printf 'test\tstatus\texit\tseconds\tflags\n'; printf '%s\n' "$rows"; } >"$RESULTS"
fi
echo "# ${S} skipped, ${T} timed out, ${TOTAL} tests; node $("$NODE" --version); impl: ${IMPL:-builtin}; logs: $LOGDIR"
echo "$P passed, $((F + T)) failed"
[ $((F + T)) -eq 0 ]

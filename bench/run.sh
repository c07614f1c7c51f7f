#!/usr/bin/env bash
# bench/run.sh: builds once, runs every measurement with its own timeout, writes docs/BENCHMARKS.md (machine, date,
# commit, command, one section per measurement, a closing note on the issue's targets). See bench/README.md.
#   bench/run.sh                 the full run (< 15 minutes on a 2-core machine)
#   bench/run.sh --quick         a smoke run of every part (a few minutes)
#   bench/run.sh --out FILE      write the document elsewhere (default docs/BENCHMARKS.md)
#   bench/run.sh --note TEXT     a sentence for the document's header (e.g. what else ran on the machine)
# Environment: VIGIL_BENCH_ONLINE=1 lets Maven reach remote repositories (default: offline, -o).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMAND="bench/run.sh${*:+ $*}"
QUICK=0
OUT="$ROOT/docs/BENCHMARKS.md"
NOTE=""
BUDGET=900 # seconds: the issue's 15 minutes
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --out) [[ $# -ge 2 ]] || { echo "run.sh: --out needs a file" >&2; exit 2; }; OUT="$2"; shift ;;
    --note) [[ $# -ge 2 ]] || { echo "run.sh: --note needs a text" >&2; exit 2; }; NOTE="$2"; shift ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$OUT" = /* ]] || OUT="$PWD/$OUT"
cd "$ROOT"

T0=$(date +%s)
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
LOGS="$ROOT/bench/target/bench-run" # fragments and logs of this run (kept for reading after a failure)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX")" # data directories of the benches; removed at exit
trap 'rm -rf "$WORK"' EXIT
rm -rf "$LOGS"
mkdir -p "$LOGS" "$WORK/tmp" "$(dirname "$OUT")"
PARTS=() # "name|title|status|seconds"

say() { echo "run.sh [$(( $(date +%s) - T0 )) s] $*" >&2; }
elapsed() { echo $(( $(date +%s) - T0 )); }

# --- nginx (Debian's package), for the proxy overhead comparison -----------------------------------------------------
NGINX="$(command -v nginx || true)"
[[ -n "$NGINX" || ! -x /usr/sbin/nginx ]] || NGINX=/usr/sbin/nginx
if [[ -z "$NGINX" ]]; then
  SUDO=""
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else SUDO=none; fi
  fi
  if [[ "$SUDO" == none ]]; then
    say "nginx is missing and neither root nor password-less sudo is available: the proxy bench runs without it"
  elif command -v apt-get >/dev/null; then
    say "installing nginx (apt-get) ..."
    if $SUDO apt-get update -qq >"$LOGS/apt.log" 2>&1 \
        && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >>"$LOGS/apt.log" 2>&1; then
      NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
    else
      say "apt-get install nginx failed (see $LOGS/apt.log): the proxy bench runs without it"
    fi
  else
    say "nginx is missing and this is not a Debian-like system (no apt-get): the proxy bench runs without it"
  fi
fi

# --- build once ------------------------------------------------------------------------------------------------------
MVN=(mvn -B -q -DskipTests)
[[ "${VIGIL_BENCH_ONLINE:-0}" == 1 ]] || MVN+=(-o)
# what is measured: the commit and any tracked change at build time
COMMIT="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
DIRTY="$(git status --porcelain --untracked-files=no -- . ':!docs/BENCHMARKS.md' 2>/dev/null | wc -l)"
say "building: ${MVN[*]} package -pl bench -am"
BUILD_START=$(date +%s)
if ! "${MVN[@]}" package -pl bench -am >"$LOGS/build.log" 2>&1; then
  tail -30 "$LOGS/build.log" >&2
  echo "run.sh: the build failed (log: $LOGS/build.log); no measurement was made" >&2
  exit 1
fi
BUILD_SECONDS=$(( $(date +%s) - BUILD_START ))
JAR="$(ls "$ROOT"/bench/target/vigil-bench-*.jar | head -1)"
CP="$JAR:$ROOT/bench/target/lib/*"
JAVA=(java -Xmx2g "-Djava.io.tmpdir=$WORK/tmp" -Dopensearch.set.netty.runtime.available.processors=false
  -Dlog4j2.configurationFile=classpath:log4j2-bench.xml)

# --- parts -----------------------------------------------------------------------------------------------------------
# finish NAME TITLE RC SECONDS TIMEOUT: records the part; a part without a fragment gets one that says why it failed.
finish() {
  local name="$1" title="$2" rc="$3" secs="$4" limit="$5" frag="$LOGS/$1.md" status reason
  if [[ "$rc" -eq 0 && -s "$frag" ]]; then
    status="ok"
  else
    if [[ "$rc" -eq 124 || "$rc" -eq 137 ]]; then
      reason="timed out after ${limit} s"
    elif [[ "$rc" -eq 0 ]]; then
      reason="no fragment was written"
    else
      reason="exit $rc: $(grep -E 'Exception|[Ee]rror|failed' "$LOGS/$name.log" 2>/dev/null | grep -v '^\s*at ' | tail -1 \
        | cut -c1-300 | tr '|' '/' || true)"
    fi
    status="failed: $reason"
    printf '## %s\n\nfailed: %s (log: `bench/target/bench-run/%s.log`, kept after the run).\n' "$title" "$reason" \
      "$name" >"$frag"
  fi
  PARTS+=("$name|$title|$status|$secs")
  say "$title: $status (${secs} s)"
}

# run_java NAME TITLE TIMEOUT CLASSPATH-PREFIX MAIN ARGS...: one JVM, stdout to NAME.out, stderr to NAME.log.
run_java() {
  local name="$1" title="$2" limit="$3" extra="$4" main="$5" start rc
  shift 5
  say "$title: starting (timeout ${limit} s)"
  start=$(date +%s)
  set +e
  timeout --kill-after=20 "$limit" "${JAVA[@]}" -cp "${extra:+$extra:}$CP" "$main" "$@" \
    >"$LOGS/$name.out" 2>"$LOGS/$name.log"
  rc=$?
  set -e
  echo "$rc $(( $(date +%s) - start ))"
}

# A module bench (a test-scope main in its module, run from that module's test classes) and its fragment.
run_module() {
  local name="$1" title="$2" limit="$3" module="$4" main="$5" rc secs
  shift 5
  read -r rc secs < <(run_java "$name" "$title" "$limit" "$ROOT/$module/target/test-classes" "$main" "$@")
  if [[ "$rc" -eq 0 ]]; then
    java -cp "$CP" dev.vigil.bench.report.ModuleBenchFragments "$name" "$LOGS/$name.out" "$LOGS/$name.md" \
      "$main $*" 2>>"$LOGS/$name.log" || rc=$?
  fi
  finish "$name" "$title" "$rc" "$secs" "$limit"
}

if [[ "$QUICK" == 1 ]]; then
  MODE="quick (smoke run: small sizes, short runs)"
  PROXY_ARGS=(--quick); PROXY_LIMIT=180; PIPE_ARGS=(--quick); PIPE_LIMIT=180
  IDX=(5000 50); STR=(5000 50); LLM=(50); SEARCH=(5000 30); DEMO_ARGS=(--quick)
else
  MODE="full"
  PROXY_ARGS=(); PROXY_LIMIT=600; PIPE_ARGS=(); PIPE_LIMIT=240
  IDX=(50000 200); STR=(50000 200); LLM=(300); SEARCH=(10000 100); DEMO_ARGS=(--runs 3)
fi

# 1. Proxy overhead (dev.vigil.bench.proxy.ProxyOverheadBench, written alongside; skipped while it is not in the jar)
if unzip -Z1 "$JAR" 2>/dev/null | grep -qx 'dev/vigil/bench/proxy/ProxyOverheadBench.class'; then
  read -r rc secs < <(run_java proxy "Proxy overhead" "$PROXY_LIMIT" "" dev.vigil.bench.proxy.ProxyOverheadBench \
    --out "$LOGS/proxy.md" --json "$LOGS/proxy.json" ${NGINX:+--nginx "$NGINX"} --work-dir "$WORK/proxy" \
    ${PROXY_ARGS[@]+"${PROXY_ARGS[@]}"})
  finish proxy "Proxy overhead" "$rc" "$secs" "$PROXY_LIMIT"
else
  printf '## Proxy overhead\n\nskipped: `dev.vigil.bench.proxy.ProxyOverheadBench` is not in this build (%s).\n' \
    "$(basename "$JAR")" >"$LOGS/proxy.md"
  PARTS+=("proxy|Proxy overhead|skipped: ProxyOverheadBench not in the jar|0")
  say "Proxy overhead: skipped (ProxyOverheadBench is not in the jar)"
fi

# 2. Pipeline: response to searchable
read -r rc secs < <(run_java pipeline "Pipeline: response to searchable" "$PIPE_LIMIT" "" \
  dev.vigil.bench.pipeline.PipelineLatencyBench --out "$LOGS/pipeline.md" --work-dir "$WORK/pipeline" \
  ${PIPE_ARGS[@]+"${PIPE_ARGS[@]}"})
finish pipeline "Pipeline: response to searchable" "$rc" "$secs" "$PIPE_LIMIT"

# 3. Module benches, each with the baseline it measures in the same run
run_module indexer "Indexer throughput against raw bulk" 240 indexer dev.vigil.indexer.IndexerThroughputBench "${IDX[@]}"
run_module streams "Kafka Streams throughput" 240 stream-processors dev.vigil.streams.StreamsThroughputBench "${STR[@]}"
run_module llm "LLM call latency through the gateway" 120 app dev.vigil.app.LlmLatencyBench "${LLM[@]}"
run_module search "Search latency (query API)" 240 query-api dev.vigil.query.SearchLatencyBench "${SEARCH[@]}"

# 4. Demo: as many runs (up to 3) as the rest of the 15-minute budget allows, at least one
LEFT=$(( BUDGET - $(elapsed) - 30 ))
(( LEFT > 0 )) || LEFT=1
DEMO_LIMIT=$(( LEFT + 240 ))
read -r rc secs < <(run_java demo "Demo: time to ready, peak RSS, stop" "$DEMO_LIMIT" "" \
  dev.vigil.bench.demo.DemoLifecycleBench --vigil "$ROOT/vigil" --out "$LOGS/demo.md" --work-dir "$WORK/demo" \
  --deadline-seconds "$LEFT" "${DEMO_ARGS[@]}")
finish demo "Demo: time to ready, peak RSS, stop" "$rc" "$secs" "$DEMO_LIMIT"

# --- the document ----------------------------------------------------------------------------------------------------
TOTAL=$(elapsed)
{
  echo "# Benchmarks"
  echo
  echo "Generated by \`bench/run.sh\` (see [bench/README.md](../bench/README.md) for what each measurement does and how"
  echo "to read the ratios). Do not edit by hand: rerun the script."
  echo
  echo "## Run"
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| git commit | \`$COMMIT\`$( [[ "$DIRTY" -eq 0 ]] || echo " plus $DIRTY modified tracked file(s) at build time") |"
  echo "| command | \`$COMMAND\` |"
  echo "| mode | $MODE |"
  echo "| total wall time | $(( TOTAL / 60 )) min $(( TOTAL % 60 )) s (build ${BUILD_SECONDS} s) |"
  echo "| CPU | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') |"
  echo "| cores | $(nproc) |"
  echo "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) |"
  echo "| kernel | $(uname -srm) |"
  echo "| java -version | $(java -version 2>&1 | paste -sd ';' | sed 's/;/; /g') |"
  echo "| nginx -v | $( [[ -n "$NGINX" ]] && "$NGINX" -v 2>&1 | paste -sd ' ' || echo 'not installed') |"
  echo "| load average (1, 5, 15 min) at the start; at the end | $LOAD_START; $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo
  if [[ -n "$NOTE" ]]; then echo "$NOTE"; echo; fi
  echo "| part | result | wall time s |"
  echo "| --- | --- | ---: |"
  for p in "${PARTS[@]}"; do
    IFS='|' read -r _ title status secs <<<"$p"
    echo "| $title | $status | $secs |"
  done
  for name in proxy pipeline indexer streams llm search demo; do
    echo
    cat "$LOGS/$name.md"
  done
  echo
  echo "## Closing note: the issue's targets"
  echo
  echo "Targets (issue 9): ≤ 1 ms p50 and ≤ 3 ms p99 added with recording at 1000 req/s; ≥ 70% of nginx's saturation"
  echo "throughput; strict mode ≤ 2 ms p50 above best-effort (all three: see *Proxy overhead*); searchable ≤ 2 s p99."
  echo
  TARGETS="$(cat "$LOGS"/*.md | grep -E '^\*\*Target\*\*' || true)"
  if [[ -n "$TARGETS" ]]; then
    echo "$TARGETS" | sed 's/^/- /'
  else
    echo "- no section reported a target line in this run"
  fi
} >"$OUT"
say "wrote $OUT"
echo "total wall time: $(( TOTAL / 60 )) min $(( TOTAL % 60 )) s"

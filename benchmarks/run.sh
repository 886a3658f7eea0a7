#!/bin/sh
# The whole-pipeline benchmark (issue 7), one command from anywhere in the checkout:
#
#   benchmarks/run.sh [--quick] [--head]
#
#   --quick  a 100,000-report backlog and short phases (a few minutes), for developing the benchmark
#   --head   measure the last commit, not the working tree: exports HEAD into
#            benchmarks/target/head-checkout and builds the service jars there, so that nobody
#            rebuilding a module in this tree can swap a jar in the middle of a run
#
# It builds the service jars, the local stack and the benchmark (no tests), then runs
# java -jar benchmarks/target/tcportal-benchmarks.jar, which prints the figures and writes them to
# benchmarks/target/benchmark-results.md. See docs/performance.md.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
services="ingest-gateway,run-processor,incidents-service,deploy/local-stack"
quick=""
head=""
for arg in "$@"; do
  case "$arg" in
    --quick) quick="--quick" ;;
    --head) head=1 ;;
    *) echo "usage: benchmarks/run.sh [--quick] [--head]" >&2; exit 2 ;;
  esac
done

./mvnw -B -q -DskipTests package -pl benchmarks -am
if [ -n "$head" ]; then
  checkout="$root/benchmarks/target/head-checkout"
  rm -rf "$checkout"
  mkdir -p "$checkout"
  git archive HEAD | tar -x -C "$checkout"
  (cd "$checkout" && ./mvnw -B -q -DskipTests package -pl "$services" -am)
  export TCPORTAL_BENCH_HOME="$checkout"
  echo "Measuring commit $(git rev-parse --short HEAD)"
else
  ./mvnw -B -q -DskipTests package -pl "$services" -am
fi
exec java -jar benchmarks/target/tcportal-benchmarks.jar $quick

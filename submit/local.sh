#!/usr/bin/env bash
# Runs any Backflow command in Spark local mode on this machine: no Spark install needed.
#
#   submit/local.sh run conf/customers.yaml [--force[=REASON]] [--full-resync]
#   submit/local.sh plan conf/customers.yaml
#   submit/local.sh validate conf/customers.yaml
#   submit/local.sh history conf/customers.yaml [--json] [--limit N]
#   submit/local.sh failures conf/customers.yaml [--run ID] [--json] [--limit N]
#   submit/local.sh reset conf/customers.yaml [--yes]
#   submit/local.sh undo conf/customers.yaml --run ID [--apply] [--force[=REASON]]
#   submit/local.sh demo [--rows N]
#   submit/local.sh bench --rows N [--change-fraction F] [--key-type long|string] [--columns C] [--runs R]
#
# Spark, Delta and every other dependency come from the local Maven repository, resolved by
# Maven itself; the project is (re)built first when its sources or pom.xml changed since the
# last build. The JVM runs in the caller's directory, so a relative config path (and any
# relative path inside the config) means what it means to the caller.
#
# Environment:
#   BACKFLOW_HEAP        maximum heap of the JVM (driver and executors share it), default 6g
#   BACKFLOW_JAVA_OPTS   extra JVM options, split on spaces, e.g. "-Djava.io.tmpdir=/scratch -XX:+UseG1GC"
#   JAVA_HOME            the JDK to use (17 or later); otherwise `java` from PATH
#
# Exit code: the command's own (0 clean, 1 records failed, 2 bad config/input, 3 guard stop,
# 4 unexpected error, 5 destination unreachable); 2 also when this script is called wrongly, 4 when the build fails.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$script_dir")"
classpath_file="$repo/target/local-classpath.txt"
build_stamp="$repo/target/.local-build-stamp"

if [[ $# -eq 0 ]]; then
  echo "Usage: $(basename "$0") <run|plan|validate|history|failures|reset|undo|demo|bench> [arguments]   (see the header of $0)" >&2
  exit 2
fi

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java_bin" >/dev/null 2>&1; then
  echo "local.sh: no Java found ('$java_bin'); install JDK 17+ or set JAVA_HOME" >&2
  exit 4
fi
java_major="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
if [[ -z "$java_major" || "${java_major%%.*}" -lt 17 ]]; then
  echo "local.sh: Backflow needs Java 17 or later, '$java_bin' is ${java_major:-unknown}" >&2
  exit 4
fi

# Maven's output is kept in a log and shown only when it fails: a quiet Maven 3.8 still prints
# stray colour codes.
maven_log="$repo/target/local-maven.log"
run_maven() {
  mkdir -p "$repo/target"
  if ! (cd "$repo" && mvn -q -B "$@") >"$maven_log" 2>&1; then
    cat "$maven_log" >&2
    return 1
  fi
}

# Build only when needed, so repeated runs start in seconds: no build yet, or a source or the pom
# changed since the last one.
needs_build() {
  [[ ! -d "$repo/target/classes" || ! -f "$build_stamp" ]] && return 0
  [[ -n "$(find "$repo/pom.xml" "$repo/src/main" -newer "$build_stamp" -print -quit)" ]]
}
if needs_build; then
  echo "local.sh: building (mvn -q -B -Dmaven.test.skip=true package) ..." >&2
  # The stamp is taken before the build: a source edited during the build triggers the next one.
  mkdir -p "$repo/target"
  touch "$build_stamp.new"
  # maven.test.skip rather than skipTests: tests are not even compiled, so a half-written test
  # cannot stop a local run of working code.
  if ! run_maven -Dmaven.test.skip=true package; then
    rm -f "$build_stamp.new"
    echo "local.sh: the build failed (output above)" >&2
    exit 4
  fi
  mv -f "$build_stamp.new" "$build_stamp"
fi

# The classpath changes only with pom.xml. It is Maven's compile classpath (includeScope=compile:
# compile, provided and system scopes, so Spark and Delta too) plus the runtime-scope jars (the
# embedded PostgreSQL binaries). No single includeScope gives both without the test jars, hence two
# resolutions, merged in order. (The plugin's user property is `includeScope`: `mdep.includeScope`
# is silently ignored and yields every scope, test jars included.)
if [[ ! -s "$classpath_file" || "$repo/pom.xml" -nt "$classpath_file" ]]; then
  echo "local.sh: resolving the classpath ..." >&2
  for scope in compile runtime; do
    if ! run_maven dependency:build-classpath -DincludeScope="$scope" -Dmdep.outputFile="$classpath_file.$scope"; then
      rm -f "$classpath_file" "$classpath_file.compile" "$classpath_file.runtime"
      echo "local.sh: could not resolve the dependencies (output above)" >&2
      exit 4
    fi
  done
  { cat "$classpath_file.compile"; printf ':'; cat "$classpath_file.runtime"; } \
    | tr -d '\n' | tr ':' '\n' | awk 'NF && !seen[$0]++' | paste -sd: - > "$classpath_file"
  rm -f "$classpath_file.compile" "$classpath_file.runtime"
fi

# Spark on Java 17 needs these opens: a copy of the java17.opens property in pom.xml.
java17_opens=(
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
)

# Deliberately split on spaces: several options in one variable.
# shellcheck disable=SC2206
extra_opts=(${BACKFLOW_JAVA_OPTS:-})

# exec: the command's exit code is the script's, and signals (Ctrl-C) reach the JVM directly.
exec "$java_bin" \
  "-Xmx${BACKFLOW_HEAP:-6g}" \
  "${java17_opens[@]}" \
  "-Dlog4j2.configurationFile=$script_dir/log4j2-local.properties" \
  ${extra_opts[@]+"${extra_opts[@]}"} \
  -cp "$repo/target/classes:$(<"$classpath_file")" \
  io.backflow.cli.Main "$@"

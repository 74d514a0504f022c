#!/usr/bin/env bash
# Runs a Backflow command on a real Spark cluster through `spark-submit`.
#
#   submit/spark-submit.sh run /etc/backflow/customers.yaml [--force[=REASON]]
#   BACKFLOW_SPARK_ARGS="--master yarn --deploy-mode client --num-executors 4" \
#     submit/spark-submit.sh plan /etc/backflow/customers.yaml
#
# What it runs:
#   spark-submit --class io.backflow.cli.Main \
#     --packages io.delta:delta-spark_2.12:3.2.1 \
#     --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
#     --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
#     $BACKFLOW_SPARK_ARGS <job jar> <command> [args]
#
# The job jar (`mvn -DskipTests package` builds target/backflow-0.1.0-SNAPSHOT-job.jar) holds
# Backflow and the libraries a cluster lacks (PostgreSQL JDBC, the Snowflake connector, a relocated
# YAML parser). Spark and Scala come from the cluster; Delta comes from --packages
# (Maven Central, cached by Ivy in ~/.ivy2) unless the cluster already ships it.
#
# Environment:
#   BACKFLOW_JOB_JAR       the job jar, a local path or any URL spark-submit reads (s3://, hdfs://);
#                          default: target/backflow-0.1.0-SNAPSHOT-job.jar of this checkout
#   BACKFLOW_SPARK_ARGS    extra spark-submit options (master, deploy mode, resources, --conf ...),
#                          split on spaces; put them here, not after the command, which Backflow reads
#   BACKFLOW_DELTA_PACKAGE the --packages coordinate, default io.delta:delta-spark_2.12:3.2.1; set it
#                          empty on a cluster that has Delta built in (EMR: spark.jars from
#                          /usr/share/aws/delta/lib, see emr-step.json; Databricks always)
#   SPARK_HOME             the Spark installation; otherwise `spark-submit` from PATH
#
# The config path is read by the driver: a local path (in client mode, the default, on the
# submitting machine, relative to the current directory) or any Hadoop URI the cluster can read
# (s3://, abfss://, dbfs:/). In YARN cluster mode either pass such a URI, or ship the file with
# `--files s3://.../customers.yaml` in BACKFLOW_SPARK_ARGS and pass just `customers.yaml`.
#
# Exit code: spark-submit's, which in client mode is the command's own (0 clean, 1 records
# failed, 2 bad config/input, 3 guard stop, 4 unexpected error, 5 destination unreachable).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$script_dir")"

if [[ $# -eq 0 ]]; then
  echo "Usage: $(basename "$0") <run|plan|validate> <config.yaml> [--force[=REASON]]   (see the header of $0)" >&2
  exit 2
fi

job_jar="${BACKFLOW_JOB_JAR:-$repo/target/backflow-0.1.0-SNAPSHOT-job.jar}"
if [[ "$job_jar" != *://* && ! -f "$job_jar" ]]; then
  echo "spark-submit.sh: no job jar at $job_jar; build it with 'mvn -DskipTests package' or set BACKFLOW_JOB_JAR" >&2
  exit 2
fi

spark_submit="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"
if ! command -v "$spark_submit" >/dev/null 2>&1; then
  echo "spark-submit.sh: '$spark_submit' not found; set SPARK_HOME or put spark-submit on PATH" >&2
  echo "  (no cluster? submit/local.sh runs the same commands in local mode)" >&2
  exit 2
fi

delta_package="${BACKFLOW_DELTA_PACKAGE-io.delta:delta-spark_2.12:3.2.1}"
packages=()
if [[ -n "$delta_package" ]]; then
  packages=(--packages "$delta_package")
fi

# Deliberately split on spaces: several spark-submit options in one variable.
# shellcheck disable=SC2206
spark_args=(${BACKFLOW_SPARK_ARGS:-})

exec "$spark_submit" \
  --class io.backflow.cli.Main \
  ${packages[@]+"${packages[@]}"} \
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
  ${spark_args[@]+"${spark_args[@]}"} \
  "$job_jar" "$@"

#!/usr/bin/env bash
# A standalone Spark master with two one-core workers on this machine, for
# `scale.py --masters spark://127.0.0.1:7077` (and the spark.archives check in README.md).
#   bench/spark/standalone.sh start|stop [VENV, default target/py-venv]
# Logs and the workers' folders go to target/spark-standalone/.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${2:-target/py-venv}
dir=target/spark-standalone
export SPARK_LOCAL_IP=127.0.0.1
SPARK_HOME=$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
export SPARK_HOME
case "${1:-}" in
start)
  mkdir -p "$dir"
  "$venv/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
    --port 7077 --webui-port 8090 >"$dir/master.log" 2>&1 &
  echo $! >"$dir/pids"
  sleep 5
  for k in 1 2; do
    "$venv/bin/spark-class" org.apache.spark.deploy.worker.Worker spark://127.0.0.1:7077 \
      --cores 1 --memory 4g --webui-port $((8090 + k)) --work-dir "$dir/work-$k" \
      >"$dir/worker-$k.log" 2>&1 &
    echo $! >>"$dir/pids"
  done
  sleep 5
  echo "standalone master spark://127.0.0.1:7077, two workers of one core (logs in $dir)" ;;
stop)
  kill $(cat "$dir/pids")
  rm "$dir/pids" ;;
*)
  echo "usage: $0 start|stop [VENV]" >&2
  exit 2 ;;
esac

# Sourced by scripts/test: starts a throwaway S3-compatible server (moto, from
# .tools/venv) on loopback for this run, exports TEST_S3_ENDPOINT, and stops
# it on exit.

start_test_s3() {
  local port log
  [ -x .tools/venv/bin/moto_server ] || { echo "moto is not installed (scripts/install-tools --test installs it)" >&2; return 1; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  log=$(mktemp /tmp/reflector-s3.XXXXXX.log)
  .tools/venv/bin/moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  S3_TEST_PID=$!
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
      export TEST_S3_ENDPOINT="http://127.0.0.1:$port"
      echo "==> S3-compatible test server (moto) on 127.0.0.1:$port" >&2
      return 0
    fi
    sleep 0.1
  done
  echo "moto did not start:" >&2
  cat "$log" >&2
  return 1
}

stop_test_s3() {
  if [ -n "${S3_TEST_PID:-}" ]; then
    kill "$S3_TEST_PID" 2>/dev/null || true
    wait "$S3_TEST_PID" 2>/dev/null || true
    S3_TEST_PID=
  fi
}

# Sourced by the scripts: start_target ARGS... starts the release hit-target on a free loopback
# port, sets TARGET_URL and TARGET_PID, and stops it when the script exits.
start_target() {
  local out
  out=$(mktemp)
  "$BIN/hit-target" --port 0 "$@" >"$out" &
  TARGET_PID=$!
  trap 'kill "$TARGET_PID" 2>/dev/null; wait "$TARGET_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do grep -q '^listening on ' "$out" && break; sleep 0.05; done
  TARGET_URL=$(sed -n 's/^listening on //p' "$out")
  rm -f "$out"
  [ -n "$TARGET_URL" ] || { echo "hit-target did not start" >&2; exit 1; }
}

build_release() {
  echo "Building hit (release)..." >&2
  local log
  log=$(mktemp)
  # The Swift runtime linked in: a quicker start and less memory (see the README).
  swift build -c release --static-swift-stdlib >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
  rm -f "$log"
  BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)
}

# build_floors DIR: the C floors of scripts/bench, against the system's libcurl, into DIR
# (DIR/curl-floor and DIR/curl-small-handles).
build_floors() {
  cc -O2 -o "$1/curl-floor" bench/curl-floor.c -lcurl
  cc -O2 -o "$1/curl-small-handles" bench/curl-small-handles.c -lcurl
}

# start_nginx WORK: nginx with one worker process serving 11 bytes ("Hello, hit\n") from WORK on a
# free loopback port, with room for 22,000 connections and no access log; sets NGINX_URL and
# NGINX_PID. The caller stops it (its EXIT trap kills NGINX_PID).
start_nginx() {
  local work=$1 port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'Hello, hit\n' >"$work/index.html"
  chmod 755 "$work"   # nginx's worker runs unprivileged; mktemp -d makes a 0700 folder
  cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log;
worker_rlimit_nofile 45000;
events { worker_connections 22000; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 120;
  server { listen 127.0.0.1:$port; root $work; location / { } }
}
CONF
  nginx -c "$work/nginx.conf" -p "$work" &
  NGINX_PID=$!
  NGINX_URL="http://127.0.0.1:$port/"
  for _ in $(seq 100); do curl -fs "$NGINX_URL" >/dev/null && break; sleep 0.05; done
  # wrk and hey count any status as a success: make sure there is only 200 to count.
  [ "$(curl -s "$NGINX_URL")" = "Hello, hit" ] || { echo "nginx does not serve the test file" >&2; exit 1; }
}


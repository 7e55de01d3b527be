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

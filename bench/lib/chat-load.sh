# bench/lib/chat-load.sh: sourced by bench/chat.sh and bench/scale.sh (not a
# benchmark of its own, hence not in bench/).
#
# chat_load DATABASE STAFF_NAME: starts one cohort-server on DATABASE (a
# SQLite file or a postgresql:// URL) with a staff account for the load
# generator, runs bench/cohort-chat-load against it (CLIENTS clients in
# one class, RATE messages/s for DURATION s) and prints its JSON; stops
# the server. Uses BUILD and DIR (the server's logs); SERVER_PID is set
# while the server runs, for the caller's cleanup.
chat_load() {
  # class.create needs a staff credential.
  COHORT_STAFF_CREDENTIAL=$("$BUILD/server/cohort-server" --database "$1" --add-staff "$2" |
    sed -n 's/.*"credential":"\([^"]*\)".*/\1/p')
  export COHORT_STAFF_CREDENTIAL
  : >"$DIR/server.out"
  "$BUILD/server/cohort-server" --listen 127.0.0.1 --port 0 --database "$1" \
    >"$DIR/server.out" 2>"$DIR/server.err" &
  SERVER_PID=$!
  PORT=
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*listening on ws://[^:]*:\([0-9]*\)/ws.*|\1|p' "$DIR/server.out" | head -n1)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  if [ -z "$PORT" ]; then
    echo "cohort-server did not start:" >&2
    cat "$DIR/server.err" >&2
    exit 1
  fi
  timeout 300 "$BUILD/bench/cohort-chat-load" --port "$PORT" --clients "$CLIENTS" --rate "$RATE" \
    --seconds "$DURATION" --server-pid "$SERVER_PID"
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# Lesson 07's Try it script: the steps that need no browser. Paste it into a terminal inside the
# workspace, or run `bash docs/src/demos/lesson-07.sh`. It needs redis-server 6.0 or later
# (Debian: `sudo apt-get install redis-server`). DEMO_PORT, DEMO_PORT_2 and REDIS_PORT move it off
# 8007, 8107 and 6380. `DEMO_PAUSE=1 bash docs/src/demos/lesson-07.sh` stops after each step, for
# the browser.
port=${DEMO_PORT:-8007}
port2=${DEMO_PORT_2:-8107}
# Not 6379, where Debian's package sets up a Redis service of its own, which this must not stop.
redis_port=${REDIS_PORT:-6380}
dir=$(mktemp -d)
# Starts Redis in the background, keeping nothing on disk, and waits until it answers PING.
start_redis() {
  redis-server --bind 127.0.0.1 --port $redis_port --save '' --appendonly no > /dev/null &
  redis=$!
  until redis-cli -p $redis_port ping > /dev/null 2>&1; do kill -0 $redis || break; sleep 0.2; done
}
stop_redis() { redis-cli -p $redis_port shutdown nosave; wait $redis; }
# Starts the lesson in the background on port $1 (warning if it is taken) and waits until it
# answers; its PID is $lesson.
start() {
  curl -s -o /dev/null http://127.0.0.1:$1/ &&
    echo "Port $1 is taken: stop the server there first." >&2
  ROCKET_PORT=$1 cargo run -p lesson-07 &
  lesson=$!
  until curl -s -o /dev/null http://127.0.0.1:$1/; do kill -0 $lesson || break; sleep 0.2; done
}
# Prints what is asked, the status and where a redirect goes; `-b file` sends a jar's cookies.
status() { label=$1; shift; curl -s -o /dev/null -w "$label: %{http_code} %{redirect_url}\n" "$@"; }
# With DEMO_PAUSE set, says what to do in the browser and waits for Enter.
pause() { if [ -n "$DEMO_PAUSE" ]; then read -rp "In the browser: $1 Then press Enter. "; fi; }

# Two servers, one Redis, one key.
start_redis
export ROCKET_SECRET_KEY="$(openssl rand -base64 32)"
export ROCKET_SESSION_STORE=redis://127.0.0.1:$redis_port
start $port; first=$lesson
start $port2; second=$lesson
pause "do step 2 (Tim on 8007 and 8107, \"Log out everywhere\"), and log in again."
# Tim logs in on one server; the other knows him (a cookie is sent to every port of its host).
status 'Tim logs in on 8007' -c $dir/laptop -d nm=Tim -d remember=on http://127.0.0.1:$port/login
status 'Tim on 8107' -b $dir/laptop http://127.0.0.1:$port2/user
# "Log out everywhere" on 8107 ends his session of 8007 too.
status 'Tim logs in on 8107' -c $dir/phone -d nm=Tim http://127.0.0.1:$port2/login
status 'Tim logs out everywhere on 8107' -b $dir/phone -d '' \
  http://127.0.0.1:$port2/logout/everywhere
status 'Tim on 8007' -b $dir/laptop http://127.0.0.1:$port/user

# An outage: a 503 page, and no Set-Cookie, so the cookie survives it.
status 'Tim logs in on 8007' -c $dir/laptop -d nm=Tim -d remember=on http://127.0.0.1:$port/login
stop_redis
pause "reload: a 503 page, and Network shows no Set-Cookie."
curl -s -D - -b $dir/laptop http://127.0.0.1:$port/user |
  grep -iE '^(HTTP|set-cookie)|cannot be reached'
# A server that cannot reach Redis refuses to start (the message names host and port only).
kill $second; wait $second
ROCKET_LOG_LEVEL=critical ROCKET_CLI_COLORS=false ROCKET_PORT=$port2 cargo run -p lesson-07 2>&1 |
  grep -o 'cannot reach Redis at [0-9.]*:[0-9]*'
# Redis back: the very first request works. This Redis kept nothing, so Tim logs in again.
start_redis
pause "reload once: it works (logged out: this Redis kept nothing), so log in again."
status 'Tim after the outage' -b $dir/laptop http://127.0.0.1:$port/user
status 'Tim logs in again' -c $dir/laptop -d nm=Tim -d remember=on http://127.0.0.1:$port/login

# A new key, the old one as a fallback: Tim is still logged in, and his cookie is re-issued.
kill $first; wait $first
OLD="$ROCKET_SECRET_KEY"; export ROCKET_SECRET_KEY="$(openssl rand -base64 32)"
ROCKET_SECRET_KEY_FALLBACKS="[\"$OLD\"]" start $port
pause "reload: still logged in; the panel says an OLD key, and the response re-issues the cookie."
# Reloads /user: the status, whether a cookie came, and which key the panel says decrypted it.
reload() {
  curl -s -D - -b $dir/laptop -c $dir/laptop http://127.0.0.1:$port/user |
    grep -oE '^HTTP.*|^set-cookie: session|Decrypted with (an OLD key|this server)|re-issues.*key'
}
reload
# The re-issued cookie is read with the new key.
reload
kill $lesson; wait $lesson

# Behind a TLS proxy: the cookie gets Secure.
ROCKET_COOKIE_SECURE=true start $port
pause "log out and in: Network shows Secure in the login's Set-Cookie."
curl -s -D - -o /dev/null -d nm=Tim http://127.0.0.1:$port/login | grep -i '^set-cookie'
kill $lesson; wait $lesson

# An absolute lifetime of 2 seconds ends a session however busy: reloaded every second, Tim is
# sent to log in once 2 seconds have passed since his login.
ROCKET_SESSION_ABSOLUTE_LIFETIME=2 start $port
status 'Tim logs in on 8007' -c $dir/laptop -d nm=Tim -d remember=on http://127.0.0.1:$port/login
sleep 1
status 'Tim 1 second later' -b $dir/laptop -c $dir/laptop http://127.0.0.1:$port/user
sleep 1.5
status 'Tim 2.5 seconds later' -b $dir/laptop -c $dir/laptop http://127.0.0.1:$port/user
kill $lesson; wait $lesson

stop_redis; rm -r $dir
# The next `cargo run -p lesson-07` keeps its sessions in memory again.
unset ROCKET_SESSION_STORE

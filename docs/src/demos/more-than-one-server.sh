# The Try it script of "Running more than one server": the steps that need no browser. Paste it into
# a terminal inside the workspace, or run `bash docs/src/demos/more-than-one-server.sh`.
# LESSON_02_PORT, LESSON_02_PORT_2, LESSON_06_PORT and LESSON_06_PORT_2 move it off 8002, 8902,
# 8006 and 8906.
jar=$(mktemp)
# Starts lesson $1 in the background on port $2 (warning if it is taken) and waits until it
# answers; its PID is $started.
start() {
  curl -s -o /dev/null http://127.0.0.1:$2/ &&
    echo "Port $2 is taken: stop the server there first." >&2
  ROCKET_PORT=$2 cargo run -p $1 &
  started=$!
  until curl -s -o /dev/null http://127.0.0.1:$2/; do kill -0 $started || break; sleep 0.2; done
}
# Prints what is asked, the status and where a redirect goes; `-b file` sends a jar's cookies.
status() { label=$1; shift; curl -s -o /dev/null -w "$label: %{http_code} %{redirect_url}\n" "$@"; }

# Lesson 02 twice, with one key, on two ports.
export ROCKET_SECRET_KEY="$(openssl rand -base64 32)"
first=http://127.0.0.1:${LESSON_02_PORT:-8002}
second=http://127.0.0.1:${LESSON_02_PORT_2:-8902}
start lesson-02 ${LESSON_02_PORT:-8002}; one=$started
start lesson-02 ${LESSON_02_PORT_2:-8902}; two=$started
# Tim logs in on the first; the second reads the same cookie (curl's jar, like a browser's, does
# not look at the port).
status 'Tim logs in on 8002' -c $jar -d nm=Tim $first/login
curl -s -b $jar $second/user | grep Hello
# The second process again, with a key of its own: the cookie does not decrypt there.
kill $two; wait $two
ROCKET_SECRET_KEY="$(openssl rand -base64 32)" start lesson-02 ${LESSON_02_PORT_2:-8902}
two=$started
status 'Tim on 8902, another key' -b $jar $second/user
curl -s -b $jar $second/login | grep -o 'Could not be decrypted'
status 'Tim on 8002' -b $jar $first/user
kill $one $two; wait $one $two

# Lesson 06 twice, with one key, on two ports, each with the store in its own memory.
first=http://127.0.0.1:${LESSON_06_PORT:-8006}
second=http://127.0.0.1:${LESSON_06_PORT_2:-8906}
start lesson-06 ${LESSON_06_PORT:-8006}; one=$started
start lesson-06 ${LESSON_06_PORT_2:-8906}; two=$started
status 'Tim logs in on 8006' -c $jar -d nm=Tim $first/login
status 'Tim on 8006' -b $jar $first/user
# The cookie decrypts on the second too, to an id its store never held.
status 'Tim on 8906' -b $jar $second/user
curl -s -b $jar $second/login | grep -oE "Decrypted with this server|which the store does not hold"
kill $one $two; wait $one $two

rm $jar

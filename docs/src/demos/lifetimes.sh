# The Try it script of "Lifetimes and expiry": the steps that need no browser. Paste it into a
# terminal inside the workspace, or run `bash docs/src/demos/lifetimes.sh`. LESSON_04_PORT and
# LESSON_02_PORT move it off 8004 and 8002.
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
# Prints what is asked, the status and where a redirect goes.
status() { label=$1; shift; curl -s -o /dev/null -w "$label: %{http_code} %{redirect_url}\n" "$@"; }

# Lesson 04 with a lifetime of 2 seconds (step 2 says 30): Tim logs in with "keep me signed in",
# and the value of his cookie is copied out of curl's jar.
url=http://127.0.0.1:${LESSON_04_PORT:-8004}
ROCKET_SESSION_LIFETIME=2 start lesson-04 ${LESSON_04_PORT:-8004}
status 'Tim logs in' -c $jar -d nm=Tim -d remember=on $url/login
value=$(awk '$6 == "session" { print $7 }' $jar)
status 'the copy' -H "Cookie: session=$value" $url/user
sleep 3
# Past its Max-Age, curl's jar no longer sends the cookie, like a browser.
sent=$(curl -sv -o /dev/null -b $jar $url/user 2>&1 | grep -c '^> Cookie:')
echo "cookies sent from the jar 3 seconds later: $sent"
# Sent by hand, the copy arrives, and the server refuses it: its expiry is inside the value.
status 'the copy 3 seconds later' -H "Cookie: session=$value" $url/user
curl -s -H "Cookie: session=$value" $url/login | grep -o 'Its time is up'
kill $started; wait $started

# Lesson 02 checks no age: the copy of its cookie still works 3 seconds later, and for as long as
# the server runs with the same key.
url=http://127.0.0.1:${LESSON_02_PORT:-8002}
start lesson-02 ${LESSON_02_PORT:-8002}
status 'Tim logs in' -c $jar -d nm=Tim $url/login
value=$(awk '$6 == "user" { print $7 }' $jar)
sleep 3
curl -s -H "Cookie: user=$value" $url/user | grep Hello
kill $started; wait $started

rm $jar

# Lesson 04's Try it script: the steps that need no browser. Paste it into a terminal inside the
# workspace, or run `bash docs/src/demos/lesson-04.sh`. DEMO_PORT=… moves it off port 8004.
port=${DEMO_PORT:-8004}
url=http://127.0.0.1:$port
jar=$(mktemp)
# Starts the lesson in the background (warning if its port is taken) and waits until it
# answers; stops it.
start() {
  curl -s -o /dev/null $url/ && echo "Port $port is taken: stop the server there first." >&2
  ROCKET_PORT=$port cargo run -p lesson-04 &
  lesson=$!
  until curl -s -o /dev/null $url/; do kill -0 $lesson || break; sleep 0.2; done
}
stop() { kill $lesson; wait $lesson; }
# Shows the status line, the redirect and the cookies a response sets.
headers() {
  curl -s -D - -o /dev/null -b $jar -c $jar "$@" | grep -iE '^(HTTP|location|set-cookie)'
}

# A fixed key, so that a session outlives a restart.
export ROCKET_SECRET_KEY="$(openssl rand -base64 32)"
start
# "Keep me signed in": Max-Age and Expires, five minutes ahead.
headers -d nm=Tim -d remember=on $url/login
# Every page moves the expiry forward: a new cookie, and the full lifetime left.
headers $url/user
curl -s -b $jar -c $jar $url/user | grep 'in 300 seconds'
headers $url/logout

# Restarted with the same key, the server still reads the session; with another key it does not,
# and sends to the login page, with no error page.
headers -d nm=Tim -d remember=on $url/login
stop; start
curl -s -b $jar $url/user | grep Hello
stop
ROCKET_SECRET_KEY="$(openssl rand -base64 32)" start
headers $url/user

# Again with a lifetime of 5 seconds, and the box unticked: a browser-session cookie.
stop
ROCKET_SESSION_LIFETIME=5 start
headers -d nm=Tim $url/login
# A page does not move its expiry: no new cookie.
headers $url/user
# Six seconds later the time inside the cookie is up: the server refuses the cookie it still gets.
sleep 6
headers $url/user
stop

# A lifetime of 0 or `five` stops the launch, with Rocket's message saying why.
ROCKET_SESSION_LIFETIME=0 cargo run -p lesson-04 2>&1 | grep -E '>> (invalid|for key)'
ROCKET_SESSION_LIFETIME=five cargo run -p lesson-04 2>&1 | grep -E '>> (invalid|for key)'

rm $jar

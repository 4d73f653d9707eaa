# Lesson 02's Try it script: the steps that need no browser. Paste it into a terminal inside the
# workspace, or run `bash docs/src/demos/lesson-02.sh`. DEMO_PORT=… moves it off port 8002.
port=${DEMO_PORT:-8002}
url=http://127.0.0.1:$port
jar=$(mktemp)
# Starts the lesson in the background (warning if its port is taken) and waits until it
# answers; stops it.
start() {
  curl -s -o /dev/null $url/ && echo "Port $port is taken: stop the server there first." >&2
  ROCKET_PORT=$port cargo run -p lesson-02 &
  lesson=$!
  until curl -s -o /dev/null $url/; do kill -0 $lesson || break; sleep 0.2; done
}
stop() { kill $lesson; wait $lesson; }
# Prints what is asked, the status and where a redirect goes; `-b file` sends a jar's cookies.
status() { label=$1; shift; curl -s -o /dev/null -w "$label: %{http_code} %{redirect_url}\n" "$@"; }

# No key: this debug build makes up one at every launch.
unset ROCKET_SECRET_KEY
start
# The cookie that worked in lesson 01 does not decrypt: sent to log in.
status 'user=admin' $url/user -H 'Cookie: user=admin'
# Log in as Tim, under the key made up at this launch.
status 'Tim logs in' -c $jar -d nm=Tim $url/login
curl -s -b $jar $url/user | grep Hello
# Logged in, the login page sends him to his own.
status 'Tim opens /login' -b $jar $url/login
# A restart makes up a new key: the cookie no longer decrypts.
stop; start
status 'Tim after a restart' -b $jar $url/user

# With a fixed key, a session made under it survives a restart.
stop
export ROCKET_SECRET_KEY="$(openssl rand -base64 32)"
start
status 'Tim logs in' -c $jar -d nm=Tim $url/login
stop; start
curl -s -b $jar $url/user | grep Hello

stop; rm $jar

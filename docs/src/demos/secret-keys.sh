# The Try it script of "Secret keys": the steps that need no browser. Paste it into a terminal
# inside the workspace, or run `bash docs/src/demos/secret-keys.sh`. DEMO_PORT=… moves it off 8002.
port=${DEMO_PORT:-8002}
url=http://127.0.0.1:$port
dir=$(mktemp -d)
# Starts lesson 02 in the background (warning if its port is taken) and waits until it answers;
# stops it.
start() {
  curl -s -o /dev/null $url/ && echo "Port $port is taken: stop the server there first." >&2
  ROCKET_PORT=$port cargo run -p lesson-02 &
  lesson=$!
  until curl -s -o /dev/null $url/; do kill -0 $lesson || break; sleep 0.2; done
}
stop() { kill $lesson; wait $lesson; }
# Prints what is asked, the status and where a redirect goes; `-b file` sends a jar's cookies.
status() { label=$1; shift; curl -s -o /dev/null -w "$label: %{http_code} %{redirect_url}\n" "$@"; }

# Step 1: no key. The debug build makes one up and warns in its log (shown at the normal level);
# a restart makes up another, so Tim is logged out.
unset ROCKET_SECRET_KEY
ROCKET_LOG_LEVEL=normal start > $dir/log 2>&1
grep -o 'Warning: secrets enabled without a stable `secret_key`' $dir/log
status 'Tim logs in' -c $dir/jar -d nm=Tim $url/login
stop; start
status 'Tim after a restart' -b $dir/jar $url/user

# Step 2: a key exported in the shell. Tim's session outlives a restart with it, not a start with
# a new one (made the other way the chapter shows: 44 base64 characters too).
stop
export ROCKET_SECRET_KEY="$(openssl rand -base64 32)"
start
status 'Tim logs in' -c $dir/jar -d nm=Tim $url/login
stop; start
status 'Tim after a restart, same key' -b $dir/jar $url/user
stop
new_key=$(head -c 32 /dev/urandom | base64)
echo "the new key: ${#new_key} characters"
ROCKET_SECRET_KEY=$new_key start
status 'Tim after a restart, new key' -b $dir/jar $url/user
stop

# Step 3: a key too short to be one stops the launch, with Rocket's message saying why.
ROCKET_SECRET_KEY=tooshort cargo run -p lesson-02 2>&1 | grep '^   >>'

rm -r $dir

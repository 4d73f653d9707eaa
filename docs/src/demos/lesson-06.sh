# Lesson 06's Try it script: the steps that need no browser. Paste it into a terminal inside the
# workspace, or run `bash docs/src/demos/lesson-06.sh`. DEMO_PORT=… and LESSON_04_PORT=… move it
# off ports 8006 and 8004.
port=${DEMO_PORT:-8006}
url=http://127.0.0.1:$port
dir=$(mktemp -d)
# Starts the lesson in the background (warning if its port is taken) and waits until it
# answers; stops it.
start() {
  curl -s -o /dev/null $url/ && echo "Port $port is taken: stop the server there first." >&2
  ROCKET_PORT=$port cargo run -p lesson-06 &
  lesson=$!
  until curl -s -o /dev/null $url/; do kill -0 $lesson || break; sleep 0.2; done
}
stop() { kill $lesson; wait $lesson; }
# Prints what is asked, the status and where a redirect goes; `-b file` sends a jar's cookies.
status() { label=$1; shift; curl -s -o /dev/null -w "$label: %{http_code} %{redirect_url}\n" "$@"; }

# A fixed key, so that only the store decides who is logged in, also after the restart.
export ROCKET_SECRET_KEY="$(openssl rand -base64 32)"
start
# Tim logs in, and a copy of his cookie is taken before he logs out.
status 'Tim logs in' -c $dir/browser -d nm=Tim $url/login
cp $dir/browser $dir/copy
status 'the copy' -b $dir/copy $url/user
status 'Tim logs out' -b $dir/browser -c $dir/browser $url/logout
# The copy still decrypts, but the record its id pointed to is gone.
status 'the copy' -b $dir/copy $url/user

# Tim on a laptop and a phone; "Log out everywhere" on the laptop logs the phone out too.
status 'laptop logs in' -c $dir/laptop -d nm=Tim $url/login
status 'phone logs in' -c $dir/phone -d nm=Tim $url/login
status 'phone' -b $dir/phone $url/user
status 'laptop logs out everywhere' -b $dir/laptop -c $dir/laptop -d '' $url/logout/everywhere
status 'phone' -b $dir/phone $url/user

# The id the user page shows, sent in plain text as the cookie, is not read at all.
status 'Tim logs in' -c $dir/browser -d nm=Tim $url/login
id=$(curl -s -b $dir/browser $url/user | grep -oE '[0-9a-f]{32}' | head -n 1)
echo "the id: ${#id} hex digits"
status 'the plain id' -H "Cookie: session=$id" $url/user

# The store lives in the process: a restart logs everyone out, with the same key, and the panel
# says why.
status 'Tim' -b $dir/browser $url/user
stop; start
status 'Tim after a restart' -b $dir/browser $url/user
curl -s -b $dir/browser $url/login | grep -o 'which the store does not hold'

# With a lifetime of 2 seconds, the session ends 2 seconds after the login.
stop
ROCKET_SESSION_LIFETIME=2 start
status 'Tim logs in' -c $dir/browser -d nm=Tim $url/login
status 'Tim' -b $dir/browser $url/user
sleep 3
status 'Tim 3 seconds later' -b $dir/browser $url/user
stop

# Lesson 04 keeps the whole session in the cookie: there, a copy still works after the logout.
port=${LESSON_04_PORT:-8004}
url=http://127.0.0.1:$port
curl -s -o /dev/null $url/ && echo "Port $port is taken: stop the server there first." >&2
ROCKET_PORT=$port cargo run -p lesson-04 &
lesson=$!
until curl -s -o /dev/null $url/; do kill -0 $lesson || break; sleep 0.2; done
status 'lesson 04: Tim logs in' -c $dir/browser -d nm=Tim $url/login
cp $dir/browser $dir/copy
status 'lesson 04: Tim logs out' -b $dir/browser -c $dir/browser $url/logout
status 'lesson 04: the copy' -b $dir/copy $url/user
stop

rm -r $dir

# Lesson 08's Try it script: the steps that need no browser. Paste it into a terminal inside the
# workspace, or run `bash docs/src/demos/lesson-08.sh`. DEMO_PORT=… moves it off port 8008.
port=${DEMO_PORT:-8008}
url=http://127.0.0.1:$port
dir=$(mktemp -d)
# Refuse to run against a server left running from the browser steps.
curl -s -o /dev/null $url/ && echo "Port $port is taken: stop the server there first." >&2
ROCKET_PORT=$port cargo run -p lesson-08 &
lesson=$!
# Wait until the lesson answers (its first run compiles it).
until curl -s -o /dev/null $url/; do kill -0 $lesson || break; sleep 0.2; done
# Opens the login page in browser $1 (a cookie jar), which gives it a session and a CSRF token.
open_login() { curl -s -c $dir/$1 -o $dir/page $url/login; }
token() { sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' $dir/page; }
# Sends the login form from browser $1 with password $2; prints the status, Location, Retry-After.
login() {
  curl -s -D - -o /dev/null -b $dir/$1 -c $dir/$1 -d csrf_token=$(token) -d username=demo \
    --data-urlencode "password=$2" $url/login | grep -ioE '^HTTP.*|^location.*|^retry-after'
}

# The form without a token, as a page of another site would send it: 403 and no Set-Cookie.
curl -s -D - -o /dev/null -d username=demo --data-urlencode 'password=correct horse battery staple' \
  $url/login | grep -iE '^(HTTP|set-cookie)'
# With the token of its page, the right password logs in.
open_login laptop
login laptop 'correct horse battery staple'
curl -s -b $dir/laptop $url/user | grep Hello

# Five wrong passwords, each a 422; then the right one is refused too, with a Retry-After.
open_login phone
for attempt in 1 2 3 4 5; do login phone not-the-password; done
login phone 'correct horse battery staple'

kill $lesson; wait $lesson; rm -r $dir

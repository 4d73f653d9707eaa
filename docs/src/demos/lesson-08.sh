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
# Opens page $2 in browser $1 (a cookie jar), which gives the browser a session and the page a
# CSRF token.
open_page() { curl -s -b $dir/$1 -c $dir/$1 -o $dir/page $url/$2; }
token() { sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' $dir/page; }
# Prints $1, then sends the form of page $3 from browser $2, with the token of the page opened
# last and the fields that follow; prints the status, Location, Retry-After and each message's
# first sentence.
send() {
  echo "$1:"; browser=$2 page=$3; shift 3
  curl -s -D - -b $dir/$browser -c $dir/$browser -d csrf_token=$(token) "$@" $url/$page |
    grep -ioE '^HTTP.*|^location.*|^retry-after|role="alert">[^<.]*' |
    sed 's/^role="alert">//; s/^/  /'
}
# Prints $1, then the status and Location of /user for browser $2.
user_page() {
  echo "$1:"
  curl -s -D - -o /dev/null -b $dir/$2 $url/user | grep -ioE '^HTTP.*|^location.*' | sed 's/^/  /'
}

# The form without a token, as a page of another site would send it: 403 and no Set-Cookie.
curl -s -D - -o /dev/null -d username=demo \
  --data-urlencode 'password=correct horse battery staple' $url/login |
  grep -iE '^(HTTP|set-cookie)'
# With the token of its page, the right password logs in.
open_page laptop login
send 'demo logs in' laptop login -d username=demo \
  --data-urlencode 'password=correct horse battery staple'
curl -s -b $dir/laptop $url/user | grep Hello

# Signing up: `password` has 8 characters, too few; `tims first password` is enough.
open_page tim signup
send 'Tim signs up with password' tim signup -d username=Tim -d password=password
send 'Tim signs up with tims first password' tim signup -d username=Tim \
  --data-urlencode 'password=tims first password'

# Tim logs in on his phone too, then changes his password on the first browser: the phone is
# logged out, the first browser stays logged in.
open_page phone login
send 'Tim logs in on his phone' phone login -d username=Tim \
  --data-urlencode 'password=tims first password'
open_page tim user
send 'Tim changes his password' tim password --data-urlencode 'current=tims first password' \
  --data-urlencode 'new=tims second password'
user_page 'the phone' phone
user_page 'the first browser' tim

# A username that does not exist gets the same answer as a wrong password.
open_page demo-guesser login
send 'nobody logs in' demo-guesser login -d username=nobody -d password=not-the-password
# Five wrong passwords, each a 422; then the right one is refused too, with a Retry-After.
for attempt in 1 2 3 4 5; do
  send "wrong password $attempt" demo-guesser login -d username=demo -d password=not-the-password
done
send 'the right password' demo-guesser login -d username=demo \
  --data-urlencode 'password=correct horse battery staple'

# Logging out is the POST form only: a GET /logout is a 404.
curl -s -o /dev/null -w 'GET /logout: %{http_code}\n' $url/logout

kill $lesson; wait $lesson; rm -r $dir

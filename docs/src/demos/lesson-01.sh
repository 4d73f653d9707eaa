# Lesson 01's Try it script: the steps that need no browser. Paste it into a terminal inside the
# workspace, or run `bash docs/src/demos/lesson-01.sh`. DEMO_PORT=… moves it off port 8001.
port=${DEMO_PORT:-8001}
url=http://127.0.0.1:$port
# Refuse to run against a server left running from the browser steps.
curl -s -o /dev/null $url/ && echo "Port $port is taken: stop the server there first." >&2
ROCKET_PORT=$port cargo run -p lesson-01 &
lesson=$!
# Wait until the lesson answers (its first run compiles it).
until curl -s -o /dev/null $url/; do kill -0 $lesson || break; sleep 0.2; done
# Shows the status line, the redirect and the cookies a response sets.
headers() { curl -s -D - -o /dev/null "$@" | grep -iE '^(HTTP|location|set-cookie)'; }

# The login: a redirect to /user and the name in plain text.
headers -d nm=Tim $url/login
# Nobody logged in, but a cookie typed by hand is believed.
curl -s $url/user -H 'Cookie: user=admin' | grep Hello
# Logging out removes the cookie; logging out again sends no removal, as there is nothing to remove.
headers -H 'Cookie: user=Tim' $url/logout
headers $url/logout
# An empty name and a 51-character one: the form again with a 422 and a message, and no cookie.
curl -si -d nm= $url/login | grep -iE '^(HTTP|set-cookie)|role="alert"'
curl -si -d nm=$(printf 'T%.0s' $(seq 51)) $url/login | grep -iE '^(HTTP|set-cookie)|role="alert"'

kill $lesson; wait $lesson

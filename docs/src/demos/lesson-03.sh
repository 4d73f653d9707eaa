# Lesson 03's Try it script: the steps that need no browser. Paste it into a terminal inside the
# workspace, or run `bash docs/src/demos/lesson-03.sh`. DEMO_PORT=… moves it off port 8003.
port=${DEMO_PORT:-8003}
url=http://127.0.0.1:$port
jar=$(mktemp)
# Refuse to run against a server left running from the browser steps.
curl -s -o /dev/null $url/ && echo "Port $port is taken: stop the server there first." >&2
ROCKET_PORT=$port cargo run -p lesson-03 &
lesson=$!
# Wait until the lesson answers (its first run compiles it).
until curl -s -o /dev/null $url/; do kill -0 $lesson || break; sleep 0.2; done
# Shows the status line, the redirect and the cookies a response sets.
headers() {
  curl -s -D - -o /dev/null -b $jar -c $jar "$@" | grep -iE '^(HTTP|location|set-cookie)'
}

# Tim logs in and picks blue.
headers -d nm=Tim $url/login
headers -d colour=blue $url/colour
# Pink is not on the list: the form again with a 422 and a message, and no new cookie.
curl -si -b $jar -d colour=pink $url/colour | grep -iE '^(HTTP|set-cookie)|role="alert"'
# Logging out removes `user`, sets `_flash`, and leaves `colour` alone.
headers $url/logout
# A browser now drops `user`. curl 7.88 keeps a cookie whose removal comes before another
# Set-Cookie of the same response, so the demo drops it from curl's jar by hand.
sed -i '/\tuser\t/d' $jar
# The login page shows the goodbye once, and still knows the colour.
curl -s -b $jar -c $jar $url/login | grep -E 'role="status"|remembers'
curl -s -b $jar -c $jar $url/login | grep -E 'role="status"|remembers'
# A `_flash` cookie typed by hand is shown like one the server set: never trust a flash message.
curl -s -H "Cookie: _flash=7:successForged" $url/login | grep 'role="status"'
# "Forget me" removes the colour too, with a goodbye of its own.
headers -d '' $url/forget
# Logging out with no cookies at all: a plain redirect, nothing removed.
curl -si $url/logout | grep -iE '^(HTTP|location|set-cookie)'
# Not logged in, a colour is not stored: sent to log in.
curl -si -d colour=blue $url/colour | grep -iE '^(HTTP|location|set-cookie)'

kill $lesson; wait $lesson; rm $jar

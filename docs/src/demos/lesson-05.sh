# Lesson 05's Try it script: the steps that need no browser. Paste it into a terminal inside the
# workspace, or run `bash docs/src/demos/lesson-05.sh`. DEMO_PORT=… moves it off port 8005.
port=${DEMO_PORT:-8005}
url=http://127.0.0.1:$port
jar=$(mktemp)
# Refuse to run against a server left running from the browser steps.
curl -s -o /dev/null $url/ && echo "Port $port is taken: stop the server there first." >&2
ROCKET_PORT=$port cargo run -p lesson-05 &
lesson=$!
# Wait until the lesson answers (its first run compiles it).
until curl -s -o /dev/null $url/; do kill -0 $lesson || break; sleep 0.2; done

# Logged out, the base template's navigation offers a login.
curl -s $url/ | grep 'Log in'
# Tim logs in with a first name and an empty last name.
curl -s -o /dev/null -w '%{http_code} %{redirect_url}\n' -c $jar \
  -d 'nm=Tim&firstName=Timothy&lastName=' $url/login
# The navigation names him, and the page shows the first name only: no "Last name:" line.
curl -s -b $jar $url/user | grep -E 'Logged in as|name:'
# A tab in a name: the form again with a 422, the message and what was typed, and no cookie.
curl -si -d 'nm=Tim&firstName=Tom%09Tom' $url/login |
  grep -iE '^(HTTP|set-cookie)|role="alert"|name="firstName"'
# Tags typed as a first name are shown as text: Tera escapes what it prints.
curl -s -o /dev/null -c $jar -d 'nm=Tim&firstName=<b>Tim</b>' $url/login
curl -s -b $jar $url/user | grep 'First name:'

kill $lesson; wait $lesson; rm $jar

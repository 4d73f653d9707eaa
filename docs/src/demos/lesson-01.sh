# Lesson 01's demo: paste it into a terminal inside the workspace, or run
# `bash docs/src/demos/lesson-01.sh`. DEMO_PORT=… moves it off port 8001.
port=${DEMO_PORT:-8001}
# Refuse to demo against a server left running from the browser part.
curl -s -o /dev/null http://127.0.0.1:$port/ && echo "Port $port is taken: stop the server there first." >&2
ROCKET_PORT=$port cargo run -p lesson-01 &
lesson=$!
# Wait until the lesson answers (its first run compiles it).
until curl -s -o /dev/null http://127.0.0.1:$port/; do kill -0 $lesson || break; sleep 0.2; done

# The login: a redirect to /user and the name in plain text.
curl -si -d nm=Tim http://127.0.0.1:$port/login | grep -iE '^(HTTP|location|set-cookie)'
# Nobody logged in, but a cookie typed by hand is believed.
curl -s http://127.0.0.1:$port/user -H 'Cookie: user=admin' | grep Hello

kill $lesson; wait $lesson

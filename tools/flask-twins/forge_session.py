"""Signs any session with a given key, as anyone who knows the key can, and prints the cookie value:

    tools/flask-twins/.venv/bin/python tools/flask-twins/forge_session.py hello '{"user": "admin"}'
"""

import json
import sys

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

# ANCHOR: forge
app = Flask(__name__)
app.secret_key = sys.argv[1]  # the key printed in the tutorial, such as "hello"
print(SecureCookieSessionInterface().get_signing_serializer(app).dumps(json.loads(sys.argv[2])))
# ANCHOR_END: forge

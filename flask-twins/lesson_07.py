"""Flask twin of lesson 07: lesson 06's app with its sessions in Redis, where several processes
(gunicorn's workers, several machines) share them and a restart keeps them.

    FLASK_SESSION_STORE=redis://127.0.0.1:6379 flask --app flask-twins/lesson_07.py run -p 9007

Flask-Session's cookie is the bare id, neither signed nor encrypted, so the secret key (and its
fallbacks) plays no part here; for key rotation see lesson_07_key_rotation.py.
"""

import os

import redis
from flask_session import Session

from lesson_06 import app

# ANCHOR: store
app.config["SESSION_TYPE"] = "redis"
app.config["SESSION_REDIS"] = redis.from_url(os.environ["FLASK_SESSION_STORE"])
Session(app)  # replaces lesson 06's in-memory store
# ANCHOR_END: store

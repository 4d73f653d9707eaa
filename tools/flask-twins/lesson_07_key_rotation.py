"""Flask twin of lesson 07's key rotation, on Flask's own cookie session (lesson 04's app): new
cookies are signed with `SECRET_KEY`; cookies signed with a key in `SECRET_KEY_FALLBACKS` are still
accepted, so nobody is logged out by the change. Needs Flask 3.1.1 or later.

    FLASK_SECRET_KEY="$NEW_KEY" FLASK_SECRET_KEY_FALLBACKS="$OLD_KEY" \
        flask --app tools/flask-twins/lesson_07_key_rotation.py run -p 9007
"""

import os

from lesson_04 import app

# ANCHOR: fallbacks
app.config["SECRET_KEY_FALLBACKS"] = os.environ.get("FLASK_SECRET_KEY_FALLBACKS", "").split()
# ANCHOR_END: fallbacks

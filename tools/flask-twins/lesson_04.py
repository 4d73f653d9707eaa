"""Flask twin of lesson 04: "Keep me signed in" makes the session permanent, with a lifetime that
Flask writes into the cookie's `Expires` and also enforces on the server, from the time in the
signature. Sliding: a permanent session's cookie is re-sent, with a fresh `Expires`, on every
request.

    FLASK_SECRET_KEY="$(openssl rand -base64 32)" FLASK_SESSION_LIFETIME=30 \
        flask --app tools/flask-twins/lesson_04.py run -p 9004
"""

import os
from datetime import datetime, timedelta, timezone

from flask import Flask, redirect, render_template, request, session, url_for

from form_checks import check_name

# ANCHOR: app
app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]  # from the environment, never the source
# Seconds, like the seeds' five minutes.
lifetime = int(os.environ.get("FLASK_SESSION_LIFETIME", "300"))
app.permanent_session_lifetime = timedelta(seconds=lifetime)
# ANCHOR_END: app


@app.get("/")
def home():
    return render_template("index.html")


@app.get("/login")
def login_form():
    if "user" in session:
        return redirect(url_for("user"), 303)
    return render_template("login.html", remember=True)


# ANCHOR: login
@app.post("/login")
def login():
    name, error = check_name(request.form.get("nm"))
    remember = "remember" in request.form  # the "Keep me signed in" box
    if error:
        typed = request.form.get("nm")
        return render_template("login.html", error=error, typed=typed, remember=remember), 422
    session.permanent = remember  # stored in the session too, as "_permanent"
    session["user"] = name
    return redirect(url_for("user"), 303)
# ANCHOR_END: login


@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html", name=session["user"], expires=expires())


def expires():
    """When a permanent session ends if the visitor does not come back: the `Expires` being sent."""
    if not session.permanent:
        return None
    ends = datetime.now(timezone.utc) + app.permanent_session_lifetime
    return ends.strftime("%Y-%m-%d %H:%M:%S UTC")


# ANCHOR: logout
@app.get("/logout")
def logout():
    session.pop("user", None)  # "_permanent" stays, so the cookie is re-sent, not deleted
    return redirect(url_for("login_form"), 303)
# ANCHOR_END: logout

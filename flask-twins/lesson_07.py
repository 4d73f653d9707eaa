"""Flask twin of lesson 07: lesson 06's app made ready for production. Sessions in Redis when
FLASK_SESSION_STORE names one (memory otherwise, as the lesson), `Secure` behind a TLS proxy with
FLASK_COOKIE_SECURE=true, and the key's fallbacks. Logging out clears the whole session.

    FLASK_SECRET_KEY="$(openssl rand -base64 32)" FLASK_SESSION_STORE=redis://127.0.0.1:6379 \
        flask --app flask-twins/lesson_07.py run -p 9007

Flask-Session's cookie is the bare id, neither signed nor encrypted: the secret key and its
fallbacks play no part in it (they do in Flask's own cookie session: lesson_07_key_rotation.py).
"""

import os
from datetime import timedelta

import redis
from cachelib import SimpleCache
from flask import Flask, flash, redirect, render_template, request, session, url_for
from flask_session import Session

from form_checks import COLOURS, check_colour, check_name

# ANCHOR: config
app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ["FLASK_SECRET_KEY"],
    SECRET_KEY_FALLBACKS=os.environ.get("FLASK_SECRET_KEY_FALLBACKS", "").split(),
    PERMANENT_SESSION_LIFETIME=timedelta(seconds=int(os.environ.get("FLASK_SESSION_LIFETIME", "300"))),
    SESSION_COOKIE_SECURE=os.environ.get("FLASK_COOKIE_SECURE") == "true",  # TLS ends at the proxy
)
if store := os.environ.get("FLASK_SESSION_STORE"):
    app.config.update(SESSION_TYPE="redis", SESSION_REDIS=redis.from_url(store))
else:
    app.config.update(SESSION_TYPE="cachelib", SESSION_CACHELIB=SimpleCache())
Session(app)
# ANCHOR_END: config


@app.get("/")
def home():
    return render_template("index.html")


@app.get("/login")
def login_form():
    if "user" in session:
        return redirect(url_for("user"), 303)
    return render_template("login.html", remember=True)


@app.post("/login")
def login():
    name, error = check_name(request.form.get("nm"))
    remember = "remember" in request.form
    if error:
        typed = request.form.get("nm")
        return render_template("login.html", error=error, typed=typed, remember=remember), 422
    app.session_interface.regenerate(session)  # a new id at every login
    session.permanent = remember
    session["user"] = name
    return redirect(url_for("user"), 303)


@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html", name=session["user"], colours=COLOURS, forget=False)


@app.post("/colour")
def choose_colour():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    colour, error = check_colour(request.form.get("colour"))
    if error:
        page = render_template("user.html", name=session["user"], colours=COLOURS, error=error, forget=False)
        return page, 422
    session["colour"] = colour
    return redirect(url_for("user"), 303)


# ANCHOR: logout
@app.get("/logout")
def logout():
    name = session.get("user")
    session.clear()  # the whole session, deleted from the store
    if name is not None:
        flash(f"You have been logged out, {name}.")
        app.session_interface.regenerate(session)  # the goodbye under a new id
    return redirect(url_for("login_form"), 303)
# ANCHOR_END: logout

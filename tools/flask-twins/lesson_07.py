"""Flask twin of lesson 07: lesson 06's app made ready for production. Sessions in Redis when
FLASK_SESSION_STORE names one (memory otherwise, as the lesson), `Secure` behind a TLS proxy with
FLASK_COOKIE_SECURE=true, and the key's fallbacks. Logging out clears the whole session; "Log out
everywhere" deletes every session of the user, from an index of ids the twin keeps in the store.

    FLASK_SECRET_KEY="$(openssl rand -base64 32)" FLASK_SESSION_STORE=redis://127.0.0.1:6379 \
        flask --app tools/flask-twins/lesson_07.py run -p 9007

Flask-Session's cookie is the bare id, neither signed nor encrypted: the secret key and its
fallbacks play no part in it (they do in Flask's own cookie session: lesson_07_key_rotation.py).
"""

import os
from datetime import timedelta

import redis
from cachelib import SimpleCache
from flask import Flask, flash, redirect, render_template, request, session, url_for
from flask_session import Session

from form_checks import check_name

# ANCHOR: config
app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ["FLASK_SECRET_KEY"],
    SECRET_KEY_FALLBACKS=os.environ.get("FLASK_SECRET_KEY_FALLBACKS", "").split(),
    PERMANENT_SESSION_LIFETIME=timedelta(
        seconds=int(os.environ.get("FLASK_SESSION_LIFETIME", "300"))
    ),
    SESSION_COOKIE_SECURE=os.environ.get("FLASK_COOKIE_SECURE") == "true",  # TLS ends at the proxy
)
if url := os.environ.get("FLASK_SESSION_STORE"):
    store = redis.from_url(url)
    app.config.update(SESSION_TYPE="redis", SESSION_REDIS=store)
else:
    # Past `threshold` sessions it drops the expired ones, then those nearest their end.
    store = SimpleCache(threshold=int(os.environ.get("FLASK_SESSION_STORE_CAPACITY", "100000")))
    app.config.update(SESSION_TYPE="cachelib", SESSION_CACHELIB=store)
Session(app)
# ANCHOR_END: config


# ANCHOR: index
# Flask-Session keeps no index of a user's sessions; "Log out everywhere" needs one that every
# server sees: a Redis set per user (in memory: this process's). Ids that ended otherwise stay in
# it until then, harmless: deleting them deletes nothing.
index = {}


def add_to_index(user, sid):
    if url:
        store.sadd(f"user:{user}", sid)
    else:
        index.setdefault(user, set()).add(sid)


def end_every_session_of(user):
    if url:
        sids = [sid.decode() for sid in store.smembers(f"user:{user}")]
        store.delete(f"user:{user}")
    else:
        sids = index.pop(user, set())
    for sid in sids:
        store.delete(app.session_interface.key_prefix + sid)
# ANCHOR_END: index


# ANCHOR: unavailable
@app.errorhandler(500)
def unavailable(error):
    """Redis not answering: 503, as the lesson answers, where Flask-Session's error is a 500."""
    if isinstance(error.original_exception, redis.ConnectionError):
        return render_template("unavailable.html"), 503
    return error
# ANCHOR_END: unavailable


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
    add_to_index(name, session.sid)
    return redirect(url_for("user"), 303)


@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html", name=session["user"], everywhere=True)


# ANCHOR: logout
@app.get("/logout")
def logout():
    name = session.get("user")
    session.clear()  # the whole session, deleted from the store
    if name is not None:
        flash(f"You have been logged out, {name}.")
        app.session_interface.regenerate(session)  # the goodbye under a new id
    return redirect(url_for("login_form"), 303)


@app.post("/logout/everywhere")
def logout_everywhere():
    name = session.get("user")
    if name is not None:
        end_every_session_of(name)  # this one's record too
        session.clear()
        flash(f"Every session of {name} has ended, in every browser.")
        app.session_interface.regenerate(session)
    return redirect(url_for("login_form"), 303)
# ANCHOR_END: logout

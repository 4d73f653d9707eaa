"""Flask twin of lesson 08: seed 002's username and password done right, on lesson 06's twin.
Werkzeug's password hashes (scrypt) in a user table, a dummy hash for unknown usernames,
Flask-WTF's CSRFProtect (its token lives in the server-side session, so a visitor of a form gets a
pre-session), a new id and token at login, a POST logout, a throttle per username, and a password
change that ends the other sessions.

    flask --app tools/flask-twins/lesson_08.py run -p 9008
"""

import os
import time
from datetime import timedelta

from cachelib import SimpleCache
from flask import Flask, redirect, render_template, request, session, url_for
from flask_session import Session
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.security import check_password_hash, generate_password_hash

from form_checks import check_name

# ANCHOR: app
app = Flask(__name__, template_folder="templates/lesson_08")
app.secret_key = os.environ["FLASK_SECRET_KEY"]  # Flask-WTF signs its tokens with it
store = SimpleCache(threshold=100_000)
app.config.update(
    SESSION_TYPE="cachelib", SESSION_CACHELIB=store,
    SESSION_PERMANENT=False,  # a pre-session ends with the browser; the login box decides after
    SESSION_REFRESH_EACH_REQUEST=False,  # a cookie only when the session changed
    SESSION_COOKIE_SAMESITE="Strict",  # as the lesson's; it does not stop a forged login
)
lifetime = int(os.environ.get("FLASK_SESSION_LIFETIME", "300"))
app.permanent_session_lifetime = timedelta(seconds=lifetime)
Session(app)
CSRFProtect(app)  # every POST needs `csrf_token`, checked against session["csrf_token"]
ids_of = {}  # user -> the ids of their sessions, as in lesson 06's twin
# ANCHOR_END: app

# ANCHOR: accounts
DEMO_HASH = generate_password_hash("correct horse battery staple")  # the lesson keeps only a hash
DUMMY_HASH = generate_password_hash(os.urandom(16).hex())  # no one knows this password
hashes = {"demo": DEMO_HASH}
ATTEMPTS = int(os.environ.get("FLASK_LOGIN_ATTEMPTS", "5"))
WINDOW = int(os.environ.get("FLASK_LOGIN_WINDOW", "900"))
failures = {}  # username -> the times of its recent failed logins


def verify(username, password):
    """Checks against the account's hash, or against DUMMY_HASH for an unknown username."""
    known = username in hashes
    return check_password_hash(hashes.get(username, DUMMY_HASH), password) and known


def retry_after(username):
    """Seconds until one more login for `username` may be tried, or 0 when it may now."""
    recent = [t for t in failures.get(username, []) if t + WINDOW > time.time()]
    failures[username] = recent
    return int(recent[0] + WINDOW - time.time()) + 1 if len(recent) >= ATTEMPTS else 0


def check_password(typed):
    """NIST SP 800-63B-4 §3.1.1.2: at least 15 characters, at most 128 here, nothing else."""
    if len(typed or "") < 15:
        return "A password needs at least 15 characters."
    if len(typed) > 128:
        return "A password can have at most 128 characters."
    return None
# ANCHOR_END: accounts


@app.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"  # every page shows the session
    return response


@app.errorhandler(CSRFError)
def forged(error):
    return render_template("forbidden.html", reason=error.description), 403


def start_session(username, permanent):
    """A new id and a new token for the session, against session fixation."""
    app.session_interface.regenerate(session)
    session.pop("csrf_token", None)  # Flask-WTF makes a new one on the next page
    session.permanent = permanent
    session["user"] = username
    live = {sid for sid in ids_of.get(username, ()) if store.has(store_key(sid))}
    ids_of[username] = live | {session.sid}


def store_key(sid):
    return app.session_interface.key_prefix + sid


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
    username = (request.form.get("username") or "").strip()
    remember = "remember" in request.form
    if wait := retry_after(username):
        page = render_template("login.html", retry_after=wait, remember=remember)
        return page, 429, {"Retry-After": str(wait)}
    if not verify(username, request.form.get("password") or ""):
        failures.setdefault(username, []).append(time.time())
        error = "Invalid username or password."  # one answer for every failure
        return render_template("login.html", error=error, remember=remember), 422
    failures.pop(username, None)
    start_session(username, remember)
    return redirect(url_for("user"), 303)
# ANCHOR_END: login


@app.get("/signup")
def signup_form():
    return render_template("signup.html")


@app.post("/signup")
def signup():
    username, error = check_name(request.form.get("username"))
    password = request.form.get("password")
    error = error or check_password(password)
    if error:
        return render_template("signup.html", error=error), 422
    phc = generate_password_hash(password)  # before the lookup, so a taken name takes as long
    if hashes.setdefault(username, phc) is not phc:
        return render_template("signup.html", error="That username is taken."), 422
    start_session(username, False)
    return redirect(url_for("user"), 303)


@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html")


# ANCHOR: password
@app.post("/password")
def change_password():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    name = session["user"]
    if wait := retry_after(name):  # a guess like a login's: the same throttle
        error = f"Too many wrong passwords. Try again in {wait} seconds."
        return render_template("user.html", error=error), 429, {"Retry-After": str(wait)}
    if not verify(name, request.form.get("current") or ""):
        failures.setdefault(name, []).append(time.time())
        return render_template("user.html", error="That is not your current password."), 422
    error = check_password(request.form.get("new"))
    if error:
        return render_template("user.html", error=error), 422
    failures.pop(name, None)
    hashes[name] = generate_password_hash(request.form["new"])
    for sid in ids_of.pop(name, ()):
        store.delete(store_key(sid))  # every other session of this user ends
    start_session(name, session.permanent)
    return redirect(url_for("user"), 303)
# ANCHOR_END: password


# ANCHOR: logout
@app.post("/logout")
def logout():
    session.clear()  # deletes the session in the store, and the cookie
    return redirect(url_for("login_form"), 303)


@app.post("/logout/everywhere")
def logout_everywhere():
    if "user" in session:
        for sid in ids_of.pop(session["user"], ()):
            store.delete(store_key(sid))
    session.clear()
    return redirect(url_for("login_form"), 303)
# ANCHOR_END: logout

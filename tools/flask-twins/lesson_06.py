"""Flask twin of lesson 06: the session on the server, with Flask-Session. The cookie holds only a
random id; the data lives in this process's memory (cachelib's SimpleCache), so logging out ends
the session for every copy of the cookie, and "Log out everywhere" ends every session of the user.

    flask --app tools/flask-twins/lesson_06.py run -p 9006
"""

import os
from datetime import timedelta

from cachelib import SimpleCache
from flask import Flask, redirect, render_template, request, session, url_for
from flask_session import Session

from form_checks import check_name

# ANCHOR: app
app = Flask(__name__, template_folder="templates/lesson_06")
# Past `threshold` sessions (500 by default) it drops the expired ones, then those nearest
# their end.
store = SimpleCache(threshold=100_000)
app.config.update(SESSION_TYPE="cachelib", SESSION_CACHELIB=store)  # one process, gone at restart
lifetime = int(os.environ.get("FLASK_SESSION_LIFETIME", "300"))
app.permanent_session_lifetime = timedelta(seconds=lifetime)
Session(app)
ids_of = {}  # user -> the ids of their sessions: Flask-Session keeps no such index
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
    remember = "remember" in request.form
    if error:
        return render_template("login.html", error=error, remember=remember), 422
    app.session_interface.regenerate(session)  # a new id at every login, the old one deleted
    session.permanent = remember
    session["user"] = name
    live = {sid for sid in ids_of.get(name, ()) if store.has(store_key(sid))}  # the expired go
    ids_of[name] = live | {session.sid}
    return redirect(url_for("user"), 303)


def store_key(sid):
    return app.session_interface.key_prefix + sid  # "session:<id>"
# ANCHOR_END: login


@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html")


# ANCHOR: logout
@app.get("/logout")
def logout():
    session.clear()  # deletes the session in the store, and the cookie
    return redirect(url_for("login_form"), 303)


@app.post("/logout/everywhere")
def logout_everywhere():
    if "user" in session:
        for sid in ids_of.pop(session["user"], ()):
            store.delete(store_key(sid))  # every copy of every cookie of this user is worthless
        session.clear()
    return redirect(url_for("login_form"), 303)
# ANCHOR_END: logout

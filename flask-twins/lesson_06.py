"""Flask twin of lesson 06: the session on the server, with Flask-Session. The cookie holds only a
random id; the data lives in this process's memory (cachelib's SimpleCache), so logging out ends
the session for every copy of the cookie.

    flask --app flask-twins/lesson_06.py run -p 9006
"""

import os
from datetime import timedelta

from cachelib import SimpleCache
from flask import Flask, flash, redirect, render_template, request, session, url_for
from flask_session import Session

from form_checks import COLOURS, check_colour, check_name

# ANCHOR: app
app = Flask(__name__)
app.config["SESSION_TYPE"] = "cachelib"
app.config["SESSION_CACHELIB"] = SimpleCache()  # this process's memory: one process, gone at restart
lifetime = int(os.environ.get("FLASK_SESSION_LIFETIME", "300"))
app.permanent_session_lifetime = timedelta(seconds=lifetime)
Session(app)
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
        typed = request.form.get("nm")
        return render_template("login.html", error=error, typed=typed, remember=remember), 422
    app.session_interface.regenerate(session)  # a new id at every login
    session.permanent = remember
    session["user"] = name
    return redirect(url_for("user"), 303)
# ANCHOR_END: login


@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html", name=session["user"], colours=COLOURS)


@app.post("/colour")
def choose_colour():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    colour, error = check_colour(request.form.get("colour"))
    if error:
        page = render_template("user.html", name=session["user"], colours=COLOURS, error=error)
        return page, 422
    session["colour"] = colour
    return redirect(url_for("user"), 303)


# ANCHOR: logout
@app.get("/logout")
def logout():
    name = session.pop("user", None)  # saved to the store: every copy of the id is logged out
    if name is not None:
        flash(f"You have been logged out, {name}.")
        app.session_interface.regenerate(session)  # what is left (colour, message) under a new id
    return redirect(url_for("login_form"), 303)


@app.post("/forget")
def forget():
    session.clear()  # deletes the session in the store, and the cookie
    return redirect(url_for("login_form"), 303)
# ANCHOR_END: logout

"""Flask twin of lesson 05: the session in templates. No view passes `session`: Flask makes it a
global of every Jinja2 template, and the templates decide what to show from it. The first and last
names, both optional, are typed into the login form.

    FLASK_SECRET_KEY="$(openssl rand -base64 32)" flask --app tools/flask-twins/lesson_05.py run -p 9005
"""

import os
from datetime import timedelta

from flask import Flask, redirect, render_template, request, session, url_for

from form_checks import check_name

app = Flask(__name__, template_folder="templates/lesson_05")
app.secret_key = os.environ["FLASK_SECRET_KEY"]  # from the environment, never the source
lifetime = int(os.environ.get("FLASK_SESSION_LIFETIME", "300"))
app.permanent_session_lifetime = timedelta(seconds=lifetime)
NAMES = {"firstName": "First name", "lastName": "Last name"}  # seed 003's keys, and their labels


@app.get("/")
def home():
    return render_template("index.html")


@app.get("/login")
def login_form():
    if "user" in session:
        return redirect(url_for("user"), 303)
    return render_template("login.html", remember=True)


# ANCHOR: views
@app.post("/login")
def login():
    name, error = check_name(request.form.get("nm"))
    errors = [error] if error else []
    names = {}
    for key, label in NAMES.items():
        typed = request.form.get(key, "").strip()  # optional: left empty, it is not set
        if typed:
            names[key], error = check_name(typed)
            if error:
                errors.append(f"{label}: {error}")
    remember = "remember" in request.form
    if errors:
        return render_template("login.html", errors=errors, remember=remember), 422
    session.clear()  # nothing from before this login is kept
    session.permanent = remember
    session["user"] = name
    session.update(names)  # only the names that were typed: the templates ask `in session`
    return redirect(url_for("user"), 303)


@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html")  # no session=...: every template has it


@app.get("/logout")
def logout():
    session.clear()  # the names too: the cookie is deleted
    return redirect(url_for("login_form"), 303)
# ANCHOR_END: views

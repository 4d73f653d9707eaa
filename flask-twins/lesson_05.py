"""Flask twin of lesson 05: the session in templates. No view passes `session`: Flask makes it a
global of every Jinja2 template, and the templates decide what to show from it.

    FLASK_SECRET_KEY="$(openssl rand -base64 32)" flask --app flask-twins/lesson_05.py run -p 9005
"""

import os
from datetime import timedelta

from flask import Flask, flash, redirect, render_template, request, session, url_for

from form_checks import COLOURS, MAX_NAME_CHARS, check_colour, check_name

app = Flask(__name__, template_folder="templates/lesson_05")
app.secret_key = os.environ["FLASK_SECRET_KEY"]  # from the environment, never the source
lifetime = int(os.environ.get("FLASK_SESSION_LIFETIME", "300"))
app.permanent_session_lifetime = timedelta(seconds=lifetime)


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
    session.permanent = remember
    session["user"] = name
    return redirect(url_for("user"), 303)


# ANCHOR: views
@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html", colours=COLOURS)  # no session=...: every template has it


@app.post("/names")
def names():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    typed = {key: request.form.get(key) for key in ("firstName", "lastName")}
    if None in typed.values():
        error = "The form sent no names (the fields `firstName` and `lastName`)."
        return render_template("user.html", colours=COLOURS, error=error), 422
    if any(len(value.strip()) > MAX_NAME_CHARS for value in typed.values()):
        error = f"A name can have at most {MAX_NAME_CHARS} characters."
        return render_template("user.html", colours=COLOURS, error=error, typed=typed), 422
    for key, value in typed.items():
        if value.strip():
            session[key] = value.strip()
        else:
            session.pop(key, None)  # an empty field takes the key out of the session
    return redirect(url_for("user"), 303)
# ANCHOR_END: views


@app.post("/colour")
def choose_colour():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    colour, error = check_colour(request.form.get("colour"))
    if error:
        return render_template("user.html", colours=COLOURS, error=error), 422
    session["colour"] = colour
    return redirect(url_for("user"), 303)


@app.get("/logout")
def logout():
    name = session.pop("user", None)
    if name is not None:
        flash(f"You have been logged out, {name}.")
    return redirect(url_for("login_form"), 303)


@app.post("/forget")
def forget():
    session.clear()
    return redirect(url_for("login_form"), 303)

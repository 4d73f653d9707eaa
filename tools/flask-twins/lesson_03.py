"""Flask twin of lesson 03: logging out. `session.pop("user", None)` removes the name and keeps the
colour; `session.clear()` removes everything; `flash()` says goodbye from inside the session.

    FLASK_SECRET_KEY="$(openssl rand -base64 32)" flask --app tools/flask-twins/lesson_03.py run -p 9003
"""

import os

from flask import Flask, flash, redirect, render_template, request, session, url_for

from form_checks import COLOURS, check_colour, check_name

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]  # from the environment, never the source


@app.get("/")
def home():
    return render_template("index.html")


@app.get("/login")
def login_form():
    if "user" in session:
        return redirect(url_for("user"), 303)
    return render_template("login.html")  # shows get_flashed_messages() and session.colour


@app.post("/login")
def login():
    name, error = check_name(request.form.get("nm"))
    if error:
        return render_template("login.html", error=error, typed=request.form.get("nm")), 422
    session["user"] = name
    return redirect(url_for("user"), 303)


@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html", name=session["user"], colours=COLOURS)


# ANCHOR: logout
@app.post("/colour")
def choose_colour():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    colour, error = check_colour(request.form.get("colour"))
    if error:
        return render_template("user.html", name=session["user"], colours=COLOURS, error=error), 422
    session["colour"] = colour
    return redirect(url_for("user"), 303)


@app.get("/logout")
def logout():
    name = session.pop("user", None)  # removes one key: the colour stays
    if name is not None:
        flash(f"You have been logged out, {name}.")  # stored in the session, under "_flashes"
    return redirect(url_for("login_form"), 303)


@app.post("/forget")
def forget():
    session.clear()  # removes every key, and so deletes the cookie
    return redirect(url_for("login_form"), 303)
# ANCHOR_END: logout

"""Seed 002's `/home`, kept as the bug it is: `session["user"]` raises `KeyError` for a visitor
who never logged in, and Flask answers 500.

    FLASK_SECRET_KEY="$(openssl rand -base64 32)" flask --app tools/flask-twins/lesson_03_keyerror.py run -p 9003
"""

import os

from flask import Flask, redirect, render_template, request, session, url_for

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]


@app.post("/login")
def login():
    session["user"] = request.form["nm"]
    return redirect(url_for("home"), 303)


# ANCHOR: home
@app.get("/home")
def home():
    if session["user"]:  # KeyError, so a 500, when the session has no "user"
        return render_template("user.html", name=session["user"])
    return redirect(url_for("login"), 303)
# ANCHOR_END: home

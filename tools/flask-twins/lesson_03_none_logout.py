"""Seed 002's logout, kept as the bug it is: `session["user"] = None` leaves the key in the
session, so `"user" in session` stays true and a logged-out visitor is greeted as "None".

    FLASK_SECRET_KEY="$(openssl rand -base64 32)" flask --app tools/flask-twins/lesson_03_none_logout.py run -p 9003
"""

import os

from flask import Flask, redirect, render_template, request, session, url_for

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]


@app.get("/login")
def login_form():
    if "user" in session:  # seed 001's check
        return redirect(url_for("user"), 303)
    return render_template("login.html")


@app.post("/login")
def login():
    session["user"] = request.form["nm"]
    return redirect(url_for("user"), 303)


@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html", name=session["user"])


# ANCHOR: logout
@app.get("/logout")
def logout():
    session["user"] = None  # the key stays, holding None
    return redirect(url_for("login_form"), 303)
# ANCHOR_END: logout

"""Flask twin of lesson 02: the name in Flask's session, one cookie signed (not encrypted) with the
secret key. Also what tools/bench/run measures next to lesson-02, so every page carries the same "what
your browser sent" panel.

    FLASK_SECRET_KEY="$(openssl rand -base64 32)" flask --app tools/flask-twins/lesson_02.py run -p 9002
"""

import os

from flask import Flask, redirect, render_template, request, session, url_for

from form_checks import check_name

SHOWN_CHARS = 40

# ANCHOR: app
app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]  # from the environment, never the source
# ANCHOR_END: app


@app.get("/")
def home():
    return render_template("index.html", sent=what_the_browser_sent())


# ANCHOR: login
@app.get("/login")
def login_form():
    if "user" in session:
        return redirect(url_for("user"), 303)
    return render_template("login.html", sent=what_the_browser_sent())


@app.post("/login")
def login():
    name, error = check_name(request.form.get("nm"))
    if error:
        typed = request.form.get("nm")
        sent = what_the_browser_sent()
        return render_template("login.html", error=error, typed=typed, sent=sent), 422
    session["user"] = name
    return redirect(url_for("user"), 303)


@app.get("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html", name=session["user"], sent=what_the_browser_sent())


@app.get("/logout")
def logout():
    session.pop("user", None)
    return redirect(url_for("login_form"), 303)
# ANCHOR_END: login


def what_the_browser_sent():
    """Every cookie this request carried, and what the server made of it."""
    user = session.get("user")
    sent = []
    for name, value in sorted(request.cookies.items()):
        if name != app.config["SESSION_COOKIE_NAME"]:
            meaning = "Not used by this app."
        elif user is not None:
            meaning = (
                f"Signature checked with this server's key: you are logged in as “{user}”."
            )
        else:
            meaning = (
                "The signature does not match this server's key (forged, changed, cut short or "
                "made with another key): ignored, you are not logged in."
            )
        shown = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"
        sent.append({"name": name, "value": shown, "meaning": meaning})
    return sent

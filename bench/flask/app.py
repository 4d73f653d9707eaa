"""The Flask twin of lesson-02, written for the benchmark in bench/run.

It does what lesson-02-sessions does, the Flask way, so that the two can be timed side by side:
`/login` (GET: the form, POST: field `nm`), `/user` (the name from the session, or a redirect to
`/login`), `/logout`, and on every page the same "what your browser sent" panel. The name goes
through the same checks and every page is rendered from an autoescaped template.

Flask's session is one cookie named `session`, signed (not encrypted) with the secret key; without
`session.permanent` it has no expiry, like lesson-02's browser-session cookie.

The key comes from the environment (bench/run makes a fresh one per run); there is none in here.

    BENCH_FLASK_SECRET_KEY=... gunicorn --workers 2 --bind 127.0.0.1:8102 app:app
"""

import os
import unicodedata

from flask import Flask, redirect, render_template, request, session, url_for

MAX_NAME_CHARS = 50
SHOWN_CHARS = 40

app = Flask(__name__)
app.secret_key = os.environ["BENCH_FLASK_SECRET_KEY"]


@app.get("/")
def home():
    return render_template("index.html", sent=what_the_browser_sent())


@app.get("/login")
def login_form():
    if "user" in session:
        return redirect(url_for("show_user"), 303)
    return render_template("login.html", sent=what_the_browser_sent())


@app.post("/login")
def login():
    typed = request.form.get("nm")
    name, error = check_name(typed)
    if error is not None:
        page = render_template("login.html", error=error, typed=typed, sent=what_the_browser_sent())
        return page, 422
    session["user"] = name
    return redirect(url_for("show_user"), 303)


def check_name(typed):
    """The name as typed, trimmed, or the message the form shows instead."""
    if typed is None:
        return None, "The form sent no name (the field `nm` was missing)."
    name = typed.strip()
    if not name:
        return None, "Please type a name."
    if len(name) > MAX_NAME_CHARS:
        return None, f"A name can have at most {MAX_NAME_CHARS} characters."
    if any(unicodedata.category(c) == "Cc" for c in name):
        return None, "A name cannot contain control characters such as tabs or line breaks."
    return name, None


@app.get("/user")
def show_user():
    if "user" not in session:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html", name=session["user"], sent=what_the_browser_sent())


@app.get("/logout")
def logout():
    session.pop("user", None)
    return redirect(url_for("login_form"), 303)


def what_the_browser_sent():
    """Every cookie this request carried, and what the server made of it."""
    user = session.get("user")
    sent = []
    for name, value in sorted(request.cookies.items()):
        if name != app.config["SESSION_COOKIE_NAME"]:
            meaning = "Not used by this app."
        elif user is not None:
            meaning = f"Signature checked with this server's key: you are logged in as “{user}”."
        else:
            meaning = (
                "The signature does not match this server's key (forged, changed, cut short or "
                "made with another key): ignored, you are not logged in."
            )
        sent.append({"name": name, "value": shorten(value), "meaning": meaning})
    return sent


def shorten(value):
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"

"""Flask twin of lesson 01: the name in a plain cookie. No secret key: nothing is signed.

    flask --app tools/flask-twins/lesson_01.py run -p 9001
"""

from flask import Flask, redirect, render_template, request, url_for

from form_checks import check_name

app = Flask(__name__)


@app.get("/")
def home():
    return render_template("index.html")


# ANCHOR: login
@app.get("/login")
def login_form():
    return render_template("login.html")


@app.post("/login")
def login():
    name, error = check_name(request.form.get("nm"))
    if error:
        return render_template("login.html", error=error, typed=request.form.get("nm")), 422
    # 303 like Rocket's Redirect::to; Flask's default is 302.
    response = redirect(url_for("user"), 303)
    response.set_cookie("user", name, httponly=True)
    return response
# ANCHOR_END: login


# ANCHOR: user
@app.get("/user")
def user():
    name = request.cookies.get("user")  # whatever the browser says is taken as the truth
    if name is None:
        return redirect(url_for("login_form"), 303)
    return render_template("user.html", name=name)


@app.get("/logout")
def logout():
    response = redirect(url_for("login_form"), 303)
    response.delete_cookie("user")  # sent every time, whether or not the browser had the cookie
    return response
# ANCHOR_END: user

"""Flask's test client on the lesson-02 twin: the two tests the "Testing logged-in routes" chapter
shows. Run by the Rust test `flasks_test_client_logs_in_and_prepares_a_session`, or by hand:

    FLASK_SECRET_KEY=test-only tools/flask-twins/.venv/bin/python tools/flask-twins/test_client_example.py
"""

from lesson_02 import app


# ANCHOR: tests
def test_user_page_after_login():
    client = app.test_client()  # keeps cookies between requests
    response = client.post("/login", data={"nm": "Tim"})
    assert response.status_code == 303
    assert "Hello, Tim" in client.get("/user").text


def test_user_page_with_a_prepared_session():
    client = app.test_client()
    with client.session_transaction() as session:
        session["user"] = "Tim"  # signed with app.secret_key on exit
    assert "Hello, Tim" in client.get("/user").text
# ANCHOR_END: tests


if __name__ == "__main__":
    test_user_page_after_login()
    test_user_page_with_a_prepared_session()
    print("2 passed")

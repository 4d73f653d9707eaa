//! The CSRF token: every form page has a session to hold it, and every POST checks it first.

use super::{render, Refusal, Sessions, Visitor};
use rocket::form::FromForm;
use rocket::outcome::try_outcome;
use rocket::request::{FromRequest, Outcome, Request};
use rocket_dyn_templates::context;
use subtle::ConstantTimeEq;

// ANCHOR: csrf
/// The session a page of forms needs to hold their token: a visitor without one gets a
/// pre-session (a browser-session cookie), as with Django and Flask-WTF.
pub(crate) struct FormSession(pub(crate) Visitor);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for FormSession {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        if let Outcome::Success(visitor) = request.guard::<Visitor>().await {
            return Outcome::Success(FormSession(visitor));
        }
        let sessions = try_outcome!(request.guard::<Sessions<'_>>().await);
        Outcome::Success(FormSession(sessions.start(None, false)))
    }
}

/// The visitor, if the form sent back the token of the session this browser carries. Compared
/// in constant time: how long a refusal takes says nothing about how much of a guess was right.
pub(crate) fn check<'v>(
    visitor: Option<&'v Visitor>,
    sent: Option<&str>,
) -> Result<&'v Visitor, Refusal> {
    match (visitor, sent) {
        (Some(visitor), Some(sent))
            if bool::from(visitor.session.csrf_token.as_bytes().ct_eq(sent.as_bytes())) =>
        {
            Ok(visitor)
        }
        _ => Err(Refusal::Forged(render(None, "forbidden", context! {}))),
    }
}

/// A form with no field but the token.
#[derive(FromForm)]
pub(crate) struct Token<'r> {
    pub(crate) csrf_token: Option<&'r str>,
}
// ANCHOR_END: csrf

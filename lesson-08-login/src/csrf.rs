//! The CSRF token: a form page gives a visitor without a session a pre-session to hold it, and
//! every POST checks it before anything else.

use super::{render, Carried, Refusal, Session, Visitor};
use rocket::form::FromForm;
use rocket_dyn_templates::context;
use subtle::ConstantTimeEq;

// ANCHOR: csrf
impl Session<'_> {
    /// The visitor, or for one without a session a pre-session (a browser-session cookie) to
    /// hold the token of the page's forms, as with Django and Flask-WTF.
    pub(crate) fn or_pre_session(self) -> Visitor {
        match self.carried {
            Carried::Current(visitor) => visitor.clone(),
            _ => self.start(None, false),
        }
    }

    /// The visitor, if the form sent back the token of the session this browser carries. Compared
    /// in constant time, so that how long a refusal takes tells nothing about a guess.
    pub(crate) fn check(&self, sent: Option<&str>) -> Result<&Visitor, Refusal> {
        if let (Carried::Current(visitor), Some(sent)) = (self.carried, sent) {
            if bool::from(visitor.session.csrf_token.as_bytes().ct_eq(sent.as_bytes())) {
                return Ok(visitor);
            }
        }
        Err(Refusal::Forged(render(None, "forbidden", context! {})))
    }
}

/// A form with no field but the token.
#[derive(FromForm)]
pub(crate) struct Token<'r> {
    pub(crate) csrf_token: Option<&'r str>,
}
// ANCHOR_END: csrf

//! What every lesson uses and none teaches, kept out of the lessons' `main.rs`:
//!
//! - [`Page`]: renders a lesson's template with the "what your browser sent" panel beside the
//!   page's own values. The lesson says what its cookies mean with [`explain`].
//! - [`name`]: the rules for a name typed into a login form (`#[field(validate = name())]`).
//! - [`figment`]: the lesson's port and template directory as defaults that Rocket.toml and
//!   `ROCKET_*` variables override.

use rocket::fairing::AdHoc;
use rocket::figment::providers::{Env, Format, Serialized, Toml};
use rocket::figment::{Figment, Profile};
use rocket::form;
use rocket::http::{Cookie, Status};
use rocket::request::Request;
use rocket::response::{self, Responder};
use rocket::Config;
use rocket_dyn_templates::Template;
use serde::Serialize;

/// Rocket's own `Config::figment()`, with the lesson's `port` and `template_dir` underneath it:
/// Rocket.toml (its `[default]` table or a profile's) and `ROCKET_*` variables still win.
/// (`Config::figment().merge(Serialized::default(..))` would beat Rocket.toml's `[default]`.)
pub fn figment(port: u16, template_dir: &str) -> Figment {
    Figment::from(Config {
        port,
        ..Config::default()
    })
    .merge(Serialized::default("template_dir", template_dir))
    .merge(Toml::file(Env::var_or("ROCKET_CONFIG", "Rocket.toml")).nested())
    .merge(Env::prefixed("ROCKET_").ignore(&["PROFILE"]).global())
    .select(Profile::from_env_or(
        "ROCKET_PROFILE",
        Config::DEFAULT_PROFILE,
    ))
}

/// What a lesson's server made of one cookie the request carried, in words; `None` for a cookie
/// the lesson does not use.
pub type Explain = fn(&Request<'_>, &Cookie<'static>) -> Option<String>;

struct Explainer(Explain);

/// Tells every [`Page`] how this lesson reads its cookies.
pub fn explain(explain: Explain) -> AdHoc {
    AdHoc::on_ignite("What your browser sent", move |rocket| async move {
        rocket.manage(Explainer(explain))
    })
}

/// The template `name` with the page's own `values`, plus `sent`: the panel's rows.
pub struct Page {
    name: &'static str,
    values: serde_json::Result<serde_json::Value>,
}

impl Page {
    pub fn render(name: &'static str, values: impl Serialize) -> Page {
        Page {
            name,
            values: serde_json::to_value(values),
        }
    }

    /// The same page with one more value, `key`, for every template that extends it.
    pub fn with(mut self, key: &str, value: impl Serialize) -> Page {
        if let (Ok(serde_json::Value::Object(values)), Ok(value)) =
            (&mut self.values, serde_json::to_value(value))
        {
            values.insert(key.to_owned(), value);
        }
        self
    }
}

/// One row of the panel.
#[derive(Serialize)]
struct Sent {
    name: String,
    value: String,
    meaning: String,
}

impl<'r> Responder<'r, 'static> for Page {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let Ok(serde_json::Value::Object(mut values)) = self.values else {
            return Err(Status::InternalServerError);
        };
        let explain = request.rocket().state::<Explainer>().map(|e| e.0);
        let mut sent: Vec<Sent> = request
            .cookies()
            .iter()
            .map(|cookie| Sent {
                name: cookie.name().to_owned(),
                value: shorten(cookie.value()),
                meaning: explain
                    .and_then(|explain| explain(request, cookie))
                    .unwrap_or_else(|| "Not used by this lesson.".to_owned()),
            })
            .collect();
        sent.sort_by(|a, b| a.name.cmp(&b.name));
        let sent = serde_json::to_value(sent).map_err(|_| Status::InternalServerError)?;
        values.insert("sent".to_owned(), sent);
        Template::render(self.name, values).respond_to(request)
    }
}

/// A long value cut to its first 40 characters, so the panel stays readable.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

/// Longest name accepted, in characters: a cookie holding it stays far below browsers' 4096 bytes.
pub const MAX_NAME_CHARS: usize = 50;

// ANCHOR: name
/// The rules for a name, each with the message the form shows when it is broken: trimmed, it is
/// not empty, at most `MAX_NAME_CHARS` long, and holds no control characters.
pub fn name<'v>(typed: &str) -> form::Result<'v, ()> {
    let name = typed.trim();
    if name.is_empty() {
        Err(form::Error::validation("Please type a name."))?;
    }
    if name.chars().count() > MAX_NAME_CHARS {
        Err(form::Error::validation(format!(
            "A name can have at most {MAX_NAME_CHARS} characters."
        )))?;
    }
    if name.chars().any(char::is_control) {
        let message = "A name cannot contain control characters such as tabs or line breaks.";
        Err(form::Error::validation(message))?;
    }
    Ok(())
}
// ANCHOR_END: name

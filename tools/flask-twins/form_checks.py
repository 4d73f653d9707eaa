"""The lessons' form checks, shared by the twins: the same rules and the same messages as the
Rocket lessons' validators (`lesson_support::name()`, lesson 03's `colour_on_offer()`), so that
one bad form gets one answer on both."""

import unicodedata

MAX_NAME_CHARS = 50
COLOURS = ["red", "orange", "yellow", "green", "blue", "purple"]


# ANCHOR: check_name
def check_name(typed):
    """The name as typed, trimmed, and None; or None and the message the form shows instead."""
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
# ANCHOR_END: check_name


def check_colour(chosen):
    """The colour as chosen, and None; or None and the message the form shows instead."""
    if chosen is None:
        return None, "The form sent no colour (the field `colour` was missing)."
    if chosen == "":
        return None, "Please choose a colour."
    if chosen not in COLOURS:
        return None, "Please choose one of the colours on offer."
    return chosen, None

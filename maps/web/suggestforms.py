"""The fans' and curators' forms (Flask-WTF: CSRF token, field rendering and re-filling). The
rules of what is valid live in `maps.suggestions.fields`, shared with the CLI; these forms only
carry the fields, so selects accept any value and the domain validator says what is wrong."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from maps.dataset.episodes import Series
from maps.dataset.vocabulary import ACCESS, PRECISIONS
from maps.suggestions import fields


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _select(label: str, pairs, **kw) -> SelectField:
    return SelectField(label, choices=choices(pairs), validate_choice=False, **kw)


class ContactFields:
    email = StringField("Your e-mail (optional, only curators see it, to ask you a question)")
    credit = StringField("Credit me as (optional: a name shown in the place's history once accepted)")
    website = StringField("Leave this field empty")  # the honeypot: people never see it
    altcha = HiddenField()


class PlaceForm(ContactFields, FlaskForm):
    name = StringField("Name of the place")
    where = StringField("Where is it? (an address or a landmark, if you have no coordinates)")
    lat = StringField("Latitude")
    lon = StringField("Longitude")
    locality = StringField("Town or district (optional)")
    country = StringField("Country (two-letter code)")
    season = _select("Season", [])
    episode = _select("Episode", [])
    note = TextAreaField("What happens there in the show?")
    story_place = StringField("What the place plays in the story (optional)")
    access = _select("Can visitors go there?", [("", "Not sure"), *fields.ACCESS_LABELS.items()])
    evidence = TextAreaField("Evidence: links to an article, video or post that shows it (one per line)")


class ProblemForm(ContactFields, FlaskForm):
    problem = _select("What is wrong?", list(fields.PROBLEMS.items()))
    details = TextAreaField("Tell us more")
    lat = StringField("Correct latitude (optional)")
    lon = StringField("Correct longitude (optional)")
    access = _select("Access now (optional)", [("", "No change"), *fields.ACCESS_LABELS.items()])
    evidence = TextAreaField("Evidence links (optional, one per line)")


def season_choices(form: PlaceForm, series: Series) -> None:
    form.season.choices = choices([("", "Choose…")] + [(str(s.number), s.label) for s in series.seasons])
    most = max((len(s.episodes) for s in series.seasons), default=0)
    form.episode.choices = choices(
        [("", "Not sure")] + [(str(n), f"Episode {n}") for n in range(1, most + 1)]
    )


class LoginForm(FlaskForm):
    username = StringField("User name")
    password = PasswordField("Password")
    next = HiddenField()


class RejectForm(FlaskForm):
    reason = TextAreaField("Reason (kept in the audit)")


class PlaceEditForm(FlaskForm):
    """What a curator may change before accepting a new place."""

    id = StringField("Id (slug; empty: from the name)")
    name = StringField("Name")
    locality = StringField("Locality")
    country = StringField("Country")
    lat = StringField("Latitude")
    lon = StringField("Longitude")
    where = StringField("Geocoding query (when there is no point)")
    season = StringField("Season")
    episode = StringField("Episode")
    note = TextAreaField("Scene note")
    story_place = StringField("Story place")
    access = _select(
        "Access", [("", "not known: exterior (see it from the street)"), *((a, a) for a in ACCESS)]
    )
    precision = _select("Precision", [("", "default"), *((p, p) for p in PRECISIONS)])
    evidence = TextAreaField("Sources (one link per line)")


class ProblemEditForm(FlaskForm):
    """The corrections a curator applies when accepting a report (empty = unchanged)."""

    problem = _select("Problem", list(fields.PROBLEMS.items()))
    details = TextAreaField("Details (kept in the audit)")
    name = StringField("New name")
    locality = StringField("New locality")
    story_place = StringField("New story place")
    lat = StringField("New latitude")
    lon = StringField("New longitude")
    access = _select("New access", [("", "unchanged"), *((a, a) for a in ACCESS)])
    precision = _select("New precision", [("", "unchanged"), *((p, p) for p in PRECISIONS)])
    evidence = TextAreaField("Sources to add (one link per line)")


def form_values(form: FlaskForm, names) -> dict[str, str]:
    return {name: form[name].data for name in names if name in form}

"""The app's message catalogue: English source text, translations read from gettext .po files.

No Streamlit here: the training process, the chart builders and the tests translate with
:func:`translate` and an explicit language; the pages use ``playground.i18n.session._``,
which reads the session's language.

- msgid = the English text, with ``str.format`` placeholders by name: ``"Epoch {epoch}"``.
  Code formats numbers before they reach a message, so translators never see format specs.
- :func:`N_` marks a module-level constant for extraction without translating it at import
  time (a preset's title, a dataset's label); it is translated where it is shown.
  :func:`NC_` does the same with a context, for one English word with two meanings
  (``NC_("run status", "training")`` is not the chart legend's "training").
- :class:`Message` is a message with its arguments, for code that does not know the
  language (errors raised in ``state``/``userdata``): ``str()`` gives English, the page
  translates it with ``_(err)``.
- The Thai catalogue is ``locales/th/LC_MESSAGES/messages.po``, read once per process with
  Babel (no compile step). A missing or unreadable catalogue, an untranslated or fuzzy entry,
  or a translation whose placeholders do not fit all fall back to English: never an error.
"""

from __future__ import annotations

import functools
import logging
import string
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

LOG = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
# Each language under its own name (what a reader of that language looks for in a selector).
LANGUAGES: Mapping[str, str] = MappingProxyType({"en": "English", "th": "ไทย"})
LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; return it unchanged (translate it where it is shown)."""
    return message


def NC_(context: str, message: str) -> str:
    """Mark ``message`` in ``context`` (a gettext msgctxt) for the catalogue; return it unchanged.
    Translate it with ``translate(message, lang, context=context)``."""
    return message


class Message:
    """A message and its placeholder values, translated later by whoever knows the language.

    ``Message("Line {line}: not a number.", line=3)``; ``str()`` is the English text.
    Exceptions can carry one: ``raise UserDataError(Message(...))``; ``translate(err, lang)``
    then translates it.
    """

    __slots__ = ("args", "text")

    def __init__(self, text: str, /, **args) -> None:
        self.text = text
        self.args = MappingProxyType(dict(args))

    def __str__(self) -> str:
        return _format(self.text, self.args, self.text)

    def __repr__(self) -> str:
        return f"Message({self.text!r}, **{dict(self.args)!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Message) and (self.text, dict(self.args)) == (other.text, dict(other.args))

    def __hash__(self) -> int:
        return hash(self.text)

    def __reduce__(self):
        return _message, (self.text, dict(self.args))


def _message(text: str, args: dict) -> Message:
    """Unpickle a :class:`Message` (its arguments are keyword-only)."""
    return Message(text, **args)


def translate(message, lang: str, context: str | None = None, **kwargs) -> str:
    """``message`` in ``lang`` with ``kwargs`` filled in (``str.format`` by name).

    message: the English text (a msgid), a :class:`Message`, or an exception whose first
    argument is a Message (anything else becomes ``str(message)``, untranslated); Message
    values among the arguments are translated too. context:
    the msgctxt the message was marked with (:func:`NC_`), so no placeholder may be called
    "context". Unknown languages and messages give English. Without arguments the text is
    returned as it is (no ``format``), so a literal brace needs no escaping there.
    """
    if isinstance(message, BaseException) and message.args and isinstance(message.args[0], Message):
        message = message.args[0]
    if isinstance(message, Message):
        kwargs = {**message.args, **kwargs}
        message = message.text
    elif not isinstance(message, str):
        return str(message)
    if any(isinstance(value, Message) for value in kwargs.values()):
        kwargs = {k: translate(v, lang) if isinstance(v, Message) else v for k, v in kwargs.items()}
    key = message if context is None else (context, message)
    text = catalogue(lang).get(key, message) if lang != SOURCE_LANGUAGE else message
    if not kwargs:
        return text
    return _format(text, kwargs, message)


def _format(text: str, kwargs: Mapping, english: str) -> str:
    """``text.format(**kwargs)``; a translation with a broken placeholder falls back to English."""
    try:
        return text.format(**kwargs)
    except (KeyError, IndexError, ValueError, AttributeError):
        if text is english:
            raise
        LOG.warning("Translation of %r does not fit its placeholders; showing English", english)
        return english.format(**kwargs)


def primary_subtag(value) -> str | None:
    """'th-TH', 'TH', 'th_TH' -> 'th'; a list (repeated URL parameter) -> its last item; None for nothing."""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-").split("-")[0].lower()
    return tag or None


def choose_language(query_value, browser_locale) -> str:
    """The language to show: the URL's ``?lang=`` when it names a catalogue language, else the
    browser's (``st.context.locale``, e.g. "th-TH"), else English."""
    for value in (query_value, browser_locale):
        tag = primary_subtag(value)
        if tag in LANGUAGES:
            return tag
    return SOURCE_LANGUAGE


def catalogue_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalogue(lang: str) -> Mapping:
    """msgid (or (msgctxt, msgid)) -> translation of every translated, non-fuzzy entry of ``lang``'s .po file; read
    once per process (a read-only mapping, shared by the sessions' threads). Empty for English,
    an unknown language, or a catalogue that cannot be read (logged)."""
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return MappingProxyType({})
    path = catalogue_path(lang)
    try:
        from babel.messages.pofile import read_po  # only when a translation is first needed

        with path.open("rb") as handle:
            catalog = read_po(handle)
    except Exception:  # a broken catalogue must not take the app down: English it is
        LOG.exception("Cannot read the %s catalogue %s; showing English", lang, path)
        return MappingProxyType({})
    return MappingProxyType({
        (m.id if m.context is None else (m.context, m.id)): m.string for m in catalog
        if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string and not m.fuzzy
    })


def placeholders(text: str) -> set[str]:
    """The named fields of a ``str.format`` text: ``"Epoch {epoch}"`` -> ``{"epoch"}``.
    Raises ValueError for a malformed text (an unmatched brace)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}

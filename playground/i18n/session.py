"""The Streamlit side of the catalogue: the session's language, ``_()`` and the language selector.

The language lives in ``st.session_state`` (not in a global or a thread-local: Streamlit runs
every session in its own thread, and a fragment reruns without the page's top), so
``_("Play")`` anywhere in a page, a callback or a fragment translates into the language of
the session that runs it. Code outside Streamlit (the training process, chart builders)
takes the language as an argument: ``translate(message, lang)``.

Which language a session starts in: the URL's ``?lang=th`` / ``?lang=en``, else the browser's
language (``st.context.locale``), else English. A language that the URL gave or the user
picked is "pinned": it stays in the URL (``url_params()``), so a shared link opens in it.

Wiring: app.py calls ``init_language()`` before ``st.navigation(...).run()`` (the page titles
are translated there); each page draws ``language_selector()`` at the top of its sidebar (the
2D page's lecture view, which has no sidebar, in its bar)

and a page that writes the whole query string itself keeps the language in it:
``st.query_params.from_dict({**config.to_query(), **url_params()})``.

Why not ``bind="query-params"`` (Streamlit 1.67): measured with AppTest, a bound parameter is
dropped from the URL when it equals the widget's default (so ``?lang=en`` could not pin English
for a reader whose browser is English), and ``st.query_params.from_dict`` (the playground's URL
sync) silently removes it while the widget keeps its value.
"""

from __future__ import annotations

import streamlit as st

from playground.i18n import LANGUAGES, N_, SOURCE_LANGUAGE, choose_language, primary_subtag, translate

LANG_PARAM = "lang"  # the URL's query parameter
LANG_KEY = "i18n_lang"  # session state: the session's language code
PINNED_KEY = "i18n_lang_pinned"  # session state: True once the URL or the user chose the language
SELECTOR_KEY = "i18n_lang_selector"  # the selector widget's key
NOTICE_KEY = "i18n_lang_notice"  # a bad ?lang= value, said once
# The selector's label names itself in every language, so a reader lost in the wrong one finds it.
SELECTOR_LABEL = "Language / ภาษา"
BAD_LANG = N_("URL parameter `lang={value}` ignored: choose one of {choices}.")


def init_language() -> str:
    """Decide the session's language on its first run (URL, else browser, else English) and
    return it; later runs keep the session's choice."""
    ss = st.session_state
    if LANG_KEY not in ss:
        raw = st.query_params.get_all(LANG_PARAM)
        lang = choose_language(raw or None, st.context.locale)
        pinned = primary_subtag(raw) in LANGUAGES
        ss[LANG_KEY], ss[PINNED_KEY] = lang, pinned
        if raw and not pinned:
            ss[NOTICE_KEY] = translate(BAD_LANG, lang, value=raw[-1], choices=", ".join(LANGUAGES))
            del st.query_params[LANG_PARAM]
    return ss[LANG_KEY]


def current_language() -> str:
    """The language of the session whose script is running (English outside a session)."""
    try:
        lang = st.session_state.get(LANG_KEY, SOURCE_LANGUAGE)
    except Exception:  # no script run context (a bare import, a plain thread): nothing to read
        return SOURCE_LANGUAGE
    return lang if lang in LANGUAGES else SOURCE_LANGUAGE


def _(message, **kwargs) -> str:
    """``message`` (English text, a Message, or an exception carrying one) in the session's language."""
    return translate(message, current_language(), **kwargs)


def pgettext(context: str, message: str, **kwargs) -> str:
    """Like ``_`` for a message marked with a context (``NC_(context, message)``)."""
    return translate(message, current_language(), context=context, **kwargs)


def translated(labels=None):
    """A widget's ``format_func`` that shows each choice in the session's language: its message
    ``labels[choice]`` (a mapping), ``labels(choice)`` (a function returning a message or a
    Message), or the choice itself. The language is the one of the run that draws the widget:
    Streamlit (and its AppTest) may call a format_func where the session cannot be read."""
    lang = current_language()

    def show(choice) -> str:
        if labels is None:
            message = choice
        elif callable(labels):
            message = labels(choice)
        else:
            message = labels.get(choice, choice)
        return translate(message, lang)

    return show


def url_params() -> dict[str, str]:
    """The query parameters that keep a pinned language in the URL ({} when the browser decides)."""
    ss = st.session_state
    return {LANG_PARAM: ss[LANG_KEY]} if ss.get(PINNED_KEY) and ss.get(LANG_KEY) in LANGUAGES else {}


def _choose(lang: str | None = None) -> None:
    """The selector's callback: switch the session's language and pin it in the URL."""
    ss = st.session_state
    lang = ss.get(SELECTOR_KEY) if lang is None else lang
    if lang not in LANGUAGES:
        return
    ss[LANG_KEY], ss[PINNED_KEY] = lang, True
    st.query_params[LANG_PARAM] = lang


def language_selector(label_visibility: str = "visible") -> str:
    """Draw the language selector (once per run, e.g. in the sidebar); return the language.
    Also puts a pinned language back into the URL if something dropped it (a page switch).
    label_visibility: Streamlit's ("collapsed" in a bar where the choices speak for themselves)."""
    ss = st.session_state
    lang = init_language()
    if ss.get(SELECTOR_KEY) != lang:
        ss[SELECTOR_KEY] = lang
    st.segmented_control(SELECTOR_LABEL, list(LANGUAGES), format_func=LANGUAGES.get, key=SELECTOR_KEY,
                         required=True, on_change=_choose, label_visibility=label_visibility)
    if (wanted := url_params()) and st.query_params.get(LANG_PARAM) != wanted[LANG_PARAM]:
        st.query_params[LANG_PARAM] = wanted[LANG_PARAM]
    if notice := ss.pop(NOTICE_KEY, None):
        st.toast(notice, icon=":material/translate:")
    return ss[LANG_KEY]

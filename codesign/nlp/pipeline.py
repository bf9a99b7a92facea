"""The Finnish NLP pipeline (spaCy ``spacy-fi-experimental-web-md`` with Voikko), loaded once.

Loading errors that mean "a system package is missing" become a SetupError that says what to install.
"""
from __future__ import annotations

from functools import lru_cache

from codesign.core.errors import SetupError

MODEL = "spacy_fi_experimental_web_md"
MODEL_PIP = "spacy-fi-experimental-web-md==0.15.0"
APT_HINT = "sudo apt-get install -y libvoikko1 voikko-fi   (Debian/Ubuntu; `make env` does it for you)"


def explain_load_error(exc: BaseException) -> SetupError | None:
    """A SetupError for the known ways the Finnish pipeline fails to load, else None."""
    text = f"{type(exc).__name__}: {exc}"
    if "libvoikko" in text and ("cannot open" in text or "No such file" in text or isinstance(exc, OSError)):
        return SetupError("The Finnish pipeline needs the Voikko library, which is not installed "
                          f"({text.strip()}).\n  Install it: {APT_HINT}")
    if "No valid dictionaries" in text or (type(exc).__name__ == "VoikkoException"):
        return SetupError("Voikko is installed but has no Finnish dictionary "
                          f"({text.strip()}).\n  Install it: {APT_HINT}")
    if isinstance(exc, OSError) and MODEL in text:
        return SetupError(f"The spaCy model {MODEL} is not installed.\n  Install it: pip install {MODEL_PIP}")
    return None


@lru_cache(maxsize=4)
def load_pipeline(exclude: tuple[str, ...] = ()):
    """The spaCy pipeline with the named components excluded (e.g. ``("parser",)``), cached per process.

    When a pipeline with fewer components left out is already loaded, the new one is made of its components
    (the same objects: one copy of the weights in memory, about 200 MB less for a build, which loads the
    ingest's pipeline and then the coder's)."""
    for loaded_exclude, loaded in _LOADED.items():
        if set(loaded_exclude) <= set(exclude):
            return _without(loaded, exclude)
    try:
        import spacy
        nlp = spacy.load(MODEL, exclude=list(exclude))
    except Exception as exc:  # noqa: BLE001 - translated into a clear message where we know the cause
        setup = explain_load_error(exc)
        if setup is not None:
            raise setup from exc
        raise
    _LOADED[tuple(exclude)] = nlp
    return nlp


#: The pipelines this process loaded from disk, by what they leave out.
_LOADED: dict[tuple[str, ...], object] = {}


def _without(nlp, exclude: tuple[str, ...]):
    """``nlp`` without the components in ``exclude``, sharing its vocabulary, tokenizer and components."""
    import spacy

    derived = spacy.blank(nlp.lang, vocab=nlp.vocab, meta=dict(nlp.meta))
    derived.tokenizer = nlp.tokenizer
    for name in nlp.pipe_names:
        if name not in exclude:
            derived.add_pipe(name, source=nlp)
    return derived


@lru_cache(maxsize=1)
def voikko():
    """A shared libvoikko analyser for Finnish."""
    try:
        import libvoikko
        return libvoikko.Voikko("fi")
    except Exception as exc:  # noqa: BLE001
        setup = explain_load_error(exc)
        if setup is not None:
            raise setup from exc
        raise


@lru_cache(maxsize=200_000)
def analyses(word: str) -> tuple[tuple[str, str], ...]:
    """Voikko's (base form, word class) readings of one word; empty for words it does not know."""
    return tuple((a.get("BASEFORM", ""), a.get("CLASS", "")) for a in voikko().analyze(word))

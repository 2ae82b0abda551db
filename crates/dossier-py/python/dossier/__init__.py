"""dossier: many news reports about the same events in, one cited story per event out.

The same engine as the ``dossier`` command, from Python::

    import dossier
    reports = dossier.read("pile/")              # files, folders, .jsonl, .warc(.gz), bytes
    result = dossier.build(reports, out="out/")  # stories; writes dossier.json and index.html
    for story in result["stories"]:
        print(story["title"], len(story["reports"]))

Reports, stories and dossiers are plain dicts in the ``dossier.json`` contract (see the
project's README), so they go to JSON, pandas or Spark rows as they are.

Inputs that cannot be read (binary, empty, broken HTML or WARC, duplicates) are skipped with
a :class:`DossierWarning` naming the input and why, and the rest go through, as on the command
line; ``errors="raise"`` turns the first into a :class:`DossierError` instead.

Options of the analysis are the command line's, by the same names: ``entities`` and
``claims`` (default True: the models; False skips them, a hundred times faster), ``models``
(the folder ``scripts/fetch-models.sh`` fills; default ``$DOSSIER_MODELS``, else the source
tree's ``models/``), ``precision`` (``onnx-f32``, the default, ``onnx-int8``, ``f32`` or ``int8``), ``words`` (summary length), ``one_story``, ``story_threshold``,
``events``, ``report_timeout`` (seconds) and ``max_bytes``.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Tuple, Union

from . import _native
from ._native import CONTRACT_VERSION, DossierError

__all__ = [
    "CONTRACT_VERSION",
    "DossierError",
    "DossierWarning",
    "analyse",
    "build",
    "read",
    "read_all",
    "report",
    "story",
]

KINDS = ("text", "html", "jsonl", "warc")


class DossierWarning(UserWarning):
    """An input skipped, or a report kept without part of what its input gave."""


Source = Union[str, "os.PathLike[str]", bytes]


def read(
    source: Union[Source, Iterable[Source]],
    *,
    kind: Optional[str] = None,
    name: Optional[str] = None,
    errors: str = "warn",
    report_timeout: float = 60.0,
    max_bytes: Optional[int] = None,
) -> List[Dict[str, Any]]:
    """The reports of one input or of a list of them, extracted, cleaned and split.

    An input is a path (a file, or a folder read recursively in name order), ``"-"`` for
    JSON Lines on standard input, or bytes (a file's content: a page, a JSON Lines pile, a
    WARC, gzipped or not). The format comes from the name's extension, checked against the
    content; ``kind`` (``text``, ``html``, ``jsonl`` or ``warc``) says it when the name
    cannot. ``name`` names bytes in messages and report ids (default ``<bytes>``).
    """
    _check_errors(errors)
    found = read_all(
        source, kind=kind, name=name, report_timeout=report_timeout, max_bytes=max_bytes
    )
    _tell(found.skipped, "skipped ", errors)
    _tell(found.warnings, "", errors)
    if not found.reports:
        raise DossierError(_nothing_read(found.skipped))
    return found.reports


class Read(NamedTuple):
    """What :func:`read_all` found: the reports, the inputs skipped and the warnings about
    reports kept, each an ``(input, reason)`` pair."""

    reports: List[Dict[str, Any]]
    skipped: List[Tuple[str, str]]
    warnings: List[Tuple[str, str]]


def read_all(
    source: Union[Source, Iterable[Source]],
    *,
    kind: Optional[str] = None,
    name: Optional[str] = None,
    report_timeout: float = 60.0,
    max_bytes: Optional[int] = None,
) -> Read:
    """:func:`read` for callers that keep their own account of what was left out (a Spark
    job's partitions): nothing is warned about or raised, and no report is not an error."""
    items = [_item(s, kind, name) for s in _sources(source)]
    options = _options(report_timeout=report_timeout, max_bytes=max_bytes)
    found, skipped, kept = _native.read(items, options)
    return Read(json.loads(found), skipped, kept)


def report(
    text: Optional[str] = None,
    *,
    html: Optional[str] = None,
    id: Optional[str] = None,
    title: Optional[str] = None,
    url: Optional[str] = None,
    published: Optional[str] = None,
    source: Optional[str] = None,
) -> Dict[str, Any]:
    """One report from text or HTML in memory, with what a feed item carries beside it
    (``published`` in any common date form; ``source`` is the outlet)."""
    fields = {
        "id": id,
        "text": text,
        "html": html,
        "title": title,
        "url": url,
        "published": published,
        "source": source,
    }
    line = json.dumps({k: v for k, v in fields.items() if v is not None})
    (found,) = read(line.encode(), kind="jsonl", name=id or "<report>", errors="raise")
    return found


def analyse(reports: List[Dict[str, Any]], **options: Any) -> Dict[str, Any]:
    """Reports already read, grouped into stories and each story analysed, as
    ``dossier build`` does: the dossier (``version``, ``reports``, ``stories``).

    ``pile={"texts": N, "df": {stem: count}}`` weighs words by their document frequencies in
    a bigger pile these reports are a block of (the Spark job passes it), so that the block's
    stories are the pile's."""
    found, kept, models = _native.analyse(json.dumps(reports), _options(**options))
    _tell_models(models)
    _tell(kept, "", "warn")
    return json.loads(found)


def story(reports: List[Dict[str, Any]], **options: Any) -> Dict[str, Any]:
    """One story of reports known to cover one event (summary, claims, entities, quotes,
    timeline), analysed exactly as a story of ``dossier build``."""
    found, trouble, models = _native.story(json.dumps(reports), _options(**options))
    _tell_models(models)
    if trouble:
        warnings.warn(f"dossier: warning: {trouble}", DossierWarning, stacklevel=2)
    return json.loads(found)


def build(
    inputs: Union[Source, Iterable[Source], List[Dict[str, Any]]],
    out: Optional[Union[str, "os.PathLike[str]"]] = None,
    *,
    kind: Optional[str] = None,
    name: Optional[str] = None,
    errors: str = "warn",
    **options: Any,
) -> Dict[str, Any]:
    """``dossier build``: reads the inputs (as :func:`read` does, or takes reports already
    read), forms and analyses the stories, and, when ``out`` is given, writes
    ``dossier.json`` and ``index.html`` there. Returns the dossier."""
    if _are_reports(inputs):
        reports = list(inputs)  # type: ignore[arg-type]
    else:
        reading = {k: options[k] for k in ("report_timeout", "max_bytes") if k in options}
        reports = read(inputs, kind=kind, name=name, errors=errors, **reading)  # type: ignore[arg-type]
    result = analyse(reports, **options)
    if out is not None:
        _native.write(json.dumps(result), os.fspath(out))
    return result


def _are_reports(inputs: Any) -> bool:
    return isinstance(inputs, list) and bool(inputs) and all(isinstance(r, dict) for r in inputs)


def _sources(source: Any) -> List[Any]:
    if isinstance(source, (str, bytes, bytearray, memoryview, os.PathLike)):
        return [source]
    try:
        return list(source)
    except TypeError:
        raise TypeError(
            f"an input is a path, bytes or a list of them, not {type(source).__name__}"
        ) from None


def _item(source: Any, kind: Optional[str], name: Optional[str]) -> Any:
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    if isinstance(source, (bytes, bytearray, memoryview)):
        return (name or "<bytes>", bytes(source), kind)
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    raise TypeError(f"an input is a path or bytes, not {type(source).__name__}")


def _options(**options: Any) -> str:
    given = {k: v for k, v in options.items() if v is not None}
    if "models" in given:
        given["models"] = os.fspath(given["models"])
    try:
        return json.dumps(given)
    except TypeError as e:
        raise TypeError(f"options must be plain values: {e}") from None


def _check_errors(errors: str) -> None:
    if errors not in ("warn", "raise", "ignore"):
        raise ValueError(f"errors must be 'warn', 'raise' or 'ignore', not {errors!r}")


def _tell(said: List[Tuple[str, str]], what: str, errors: str) -> None:
    for where, why in said:
        message = f"dossier: warning: {what}{where}: {why}"
        if errors == "raise":
            raise DossierError(f"{what}{where}: {why}")
        if errors == "warn":
            warnings.warn(message, DossierWarning, stacklevel=3)


def _tell_models(said: List[str]) -> None:
    for line in said:
        warnings.warn(f"dossier: warning: {line}", DossierWarning, stacklevel=3)


def _nothing_read(skipped: List[Tuple[str, str]]) -> str:
    n = len(skipped)
    reasons = "; ".join(f"{where}: {why}" for where, why in skipped[:5])
    more = f"; and {n - 5} more" if n > 5 else ""
    return f"no report could be read ({n} input{'' if n == 1 else 's'} skipped: {reasons}{more})"

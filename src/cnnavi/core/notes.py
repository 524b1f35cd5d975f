"""Warnings the core reports with a result: an English text plus a stable code and parameters.

A ``CoreNote`` is to a warning what ``CoreError`` is to an error: ``str(note)`` is the English
text the CLI prints (and ``to_dict()["warnings"]`` lists); ``code`` (e.g.
``note.provisional_factors``) and ``params`` (a tuple of ``(name, str | int)`` pairs, so the note
is frozen and hashable) let another layer say the same thing in its own words and language.
Parameter names follow the errors' (``cnnavi.core.errors``). The codes are listed in
docs/core.md ("Warnings").

Notes are made once per calculation plan and shared by every record of that plan, so they cost
nothing per record.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CoreNote"]


@dataclass(frozen=True, slots=True)
class CoreNote:
    code: str
    params: tuple[tuple[str, str | int], ...]
    text: str  # English, what the CLI prints

    @classmethod
    def make(cls, message: str, /, *, code: str, **params: str | int) -> CoreNote:
        """``CoreNote.make(english_text, code=..., name=value, ...)``"""
        return cls(code, tuple(params.items()), message)

    @property
    def params_dict(self) -> dict[str, str | int]:
        return dict(self.params)

    def __str__(self) -> str:
        return self.text

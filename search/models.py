"""The report model: plain dataclasses shared by ingest, index, query and the interfaces.

Offsets are in characters of the normalized report text, so a hit found by the query layer can
be mapped to its paragraph and section without re-reading the file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SECTION_KINDS = ("review", "plan", "government", "notes", "other")
LEVELS = ("national", "province", "prefecture", "county", "district")
EVIDENCE_FIELDS = ("city", "province", "level", "year", "date", "speaker")
#: Where a report is from: the fields every listing, panel, manifest and export gives beside a
#: report's id and title (:meth:`Report.place`), in this order.
PLACE_FIELDS = ("city", "province", "prefecture", "level")


@dataclass(slots=True)
class Paragraph:
    """One paragraph of normalized text; ``id`` (``p-1``…) is stable for citation links."""

    id: str
    section: int
    start: int
    end: int


@dataclass(slots=True)
class Section:
    """A top-level part of a report (一、…) with its kind, spanning ``text[start:end]``."""

    ordinal: int
    title: str | None
    kind: str
    start: int
    end: int


@dataclass(slots=True)
class Report:
    """One government work report; unknown metadata is None, never a guess."""

    id: str
    source: str
    text: str
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    title: str | None = None
    city: str | None = None
    province: str | None = None
    prefecture: str | None = None
    level: str | None = None
    year: int | None = None
    date: str | None = None
    speaker: str | None = None
    post: str | None = None
    session: str | None = None
    origin: str | None = None
    part: int | None = None
    warnings: list[str] = field(default_factory=list)
    #: field -> {"text", "start", "end", "rule"} or None (see search.ingest.evidence)
    evidence: dict = field(default_factory=dict)
    #: field -> candidate values with their evidence, when the text's signals disagree
    conflicts: dict = field(default_factory=dict)
    title_source: str | None = None  # "text" | "manifest" | "built"
    #: The report as shown: its own punctuation and full-width forms (see search.display);
    #: "" when it equals ``text``. ``display_map`` holds (normalized, display) offset pairs.
    display: str = ""
    display_map: list[int] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return len(self.text)

    METADATA = (
        "id",
        "title",
        *PLACE_FIELDS,
        "year",
        "date",
        "speaker",
        "post",
        "session",
        "source",
        "origin",
        "part",
        "title_source",
    )

    def place(self) -> dict:
        """``{"city", "province", "prefecture", "level"}``: where the report is from."""
        return {key: getattr(self, key) for key in PLACE_FIELDS}

    def metadata(self) -> dict:
        """The JSON shape of ``reports``: metadata plus section outline, without the text."""
        data = {key: getattr(self, key) for key in self.METADATA}
        data["chars"] = self.chars
        data["evidence"] = {key: self.evidence.get(key) for key in EVIDENCE_FIELDS}
        data["sections"] = [
            {"ordinal": s.ordinal, "title": s.title, "kind": s.kind} for s in self.sections
        ]
        return data

    def section_text(self, section: Section) -> str:
        return self.text[section.start : section.end]

    def paragraph_text(self, paragraph: Paragraph) -> str:
        return self.text[paragraph.start : paragraph.end]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        data = dict(data)
        data["sections"] = [Section(**s) for s in data.get("sections", [])]
        data["paragraphs"] = [Paragraph(**p) for p in data.get("paragraphs", [])]
        return cls(**data)

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.bilingual import localized
from app.models.event import EventKind

if TYPE_CHECKING:
    from app.models.team import TeamMember

DEFAULT_TITLE_PATTERN = "{ordinal} {name} {year}"


class YearParity(enum.StrEnum):
    ANY = "any"
    EVEN = "even"
    ODD = "odd"

    @property
    def label(self) -> str:
        return str({"any": _l("Any year"), "even": _l("Even years only"), "odd": _l("Odd years only")}[self.value])


class Series(Base):
    """An event that recurs: the forum every even year, a training workshop every year.

    Editions are Events pointing here; their number and ordinal title are computed from this
    rule and the year they stand for (app/services/events/series.py), never stored.
    """

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # Prefix of the editions' reference codes, e.g. DGIF -> DGIF26-7KQ3.
    code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind, 40))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    interval_years: Mapped[int] = mapped_column(default=1)
    year_parity: Mapped[YearParity] = mapped_column(string_enum(YearParity, 10), default=YearParity.ANY)
    usual_month: Mapped[int | None] = mapped_column(default=None)  # 1-12
    first_year: Mapped[int]
    # How an edition is called: placeholders {ordinal} {number} {name} {year} {theme}
    # (app/services/events/series.py). With {theme}, each edition gives its own theme.
    title_pattern: Mapped[str] = mapped_column(sa.String(300), default=DEFAULT_TITLE_PATTERN,
                                               server_default=DEFAULT_TITLE_PATTERN)
    # In Korean, optional (app/models/bilingual.py); title_pattern_ko says how editions are called in Korean
    # when the English pattern has words of its own ("제{number}회 국제연수워크숍: {theme}").
    name_ko: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description_ko: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    title_pattern_ko: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # People working on every edition (app/services/people/permissions.py).
    team: Mapped[list[TeamMember]] = relationship(
        back_populates="series", cascade="all, delete-orphan", passive_deletes=True, order_by="TeamMember.id"
    )

    __table_args__ = (
        sa.CheckConstraint("interval_years >= 1", name="interval_positive"),
        sa.CheckConstraint("usual_month IS NULL OR (usual_month BETWEEN 1 AND 12)", name="usual_month_valid"),
    )

    @property
    def asks_theme(self) -> bool:
        """Each edition's theme is part of its title ("24th ... on {theme}")."""
        return "{theme}" in (self.title_pattern or "")

    @property
    def shown_name(self) -> str:
        return localized(self, "name")

    @property
    def shown_description(self) -> str:
        return localized(self, "description")

    def __repr__(self) -> str:
        return f"<Series {self.code}>"

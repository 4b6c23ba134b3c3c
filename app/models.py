"""SQLModel tables. Not the API: request and response shapes live in schemas.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlmodel import Field, SQLModel

from app.db import metadata

__all__ = [
    "MAX_ARTICLE_ID",
    "MAX_POSITION",
    "Actor",
    "Article",
    "Claim",
    "ClaimActor",
    "ClaimChange",
    "ClaimCitation",
    "ClaimTopic",
    "Counter",
    "Reference",
    "Source",
    "Topic",
    "claim_key",
    "metadata",
]

# Integer keys that are 64-bit on PostgreSQL and the rowid on SQLite.
ID = BigInteger().with_variant(Integer(), "sqlite")


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Column[int]:
    return Column(ID, ForeignKey(target, ondelete=ondelete), nullable=nullable)


class Article(SQLModel, table=True):
    """One article as received, and how it was split."""

    __tablename__ = "article"

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    title: str | None = Field(default=None, sa_column=Column(Text))
    # The title as the client gave it (None when the splitter found it): reprocessing
    # must split with the same inputs.
    client_title: str | None = Field(default=None, sa_column=Column(Text))
    url: str | None = Field(default=None, sa_column=Column(Text))
    published_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), index=True)
    )
    format: str = Field(sa_column=Column(String(16), nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    # sha256 of the normalised text: the identity that makes ingestion idempotent.
    text_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    splitter_version: str = Field(sa_column=Column(String(32), nullable=False))
    # The language (ISO 639 primary subtag) the client gave or the splitter detected;
    # the client's tag as given is kept apart so reprocessing splits with the same inputs.
    language: str | None = Field(default=None, sa_column=Column(String(8), index=True))
    client_language: str | None = Field(default=None, sa_column=Column(String(64)))
    ingested_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    integrity: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The publisher a whole page names for itself (og:site_name, JSON-LD publisher).
    source_id: int | None = Field(
        default=None, sa_column=_fk("source.id", nullable=True, ondelete="SET NULL")
    )

    # Never reuse the id of a deleted article on SQLite: clients keep ids.
    __table_args__ = {"sqlite_autoincrement": True}


class Source(SQLModel, table=True):
    """A publisher that claims are attributed to."""

    __tablename__ = "source"

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    slug: str = Field(sa_column=Column(String(128), nullable=False, unique=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    domains: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Name and aliases case-folded (Unicode, not just ASCII), each between two
    # U+001F: what filters and the `q` prefix search match (app/repository/filters.py).
    search_text: str = Field(
        default="", sa_column=Column(Text, nullable=False, server_default=text("''"))
    )
    # Claims linked to it, kept in step by every write (for a source: cited or
    # inline only), so lists, facets and estimates never count at read time.
    claim_count: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default=text("0"))
    )


class Reference(SQLModel, table=True):
    """One entry of an article's reference list."""

    __tablename__ = "reference"

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    article_id: int = Field(sa_column=_fk("article.id"))
    position: int = Field(sa_column=Column(Integer, nullable=False))
    label: str = Field(sa_column=Column(String(64), nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    url: str | None = Field(default=None, sa_column=Column(Text))
    source_id: int | None = Field(
        default=None, sa_column=_fk("source.id", nullable=True, ondelete="SET NULL")
    )

    __table_args__ = (Index("ix_reference_article_id_position", "article_id", "position"),)


# A claim's place in the global reading order: article id, then position. Packed
# into one integer so every link table can carry it and serve pages in index order.
POSITION_BITS = 24
MAX_POSITION = (1 << POSITION_BITS) - 1
# The largest article id whose keys (and the next article's first key) fit in 63 bits.
MAX_ARTICLE_ID = (1 << (63 - POSITION_BITS)) - 2


def claim_key(article_id: int, position: int) -> int:
    """The sort key of the claim at `position` in article `article_id`."""
    return (article_id << POSITION_BITS) | position


class Claim(SQLModel, table=True):
    """One statement of an article. Its id is stable; `sort_key` orders it."""

    __tablename__ = "claim"

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    article_id: int = Field(sa_column=_fk("article.id"))
    position: int = Field(sa_column=Column(Integer, nullable=False))
    sort_key: int = Field(sa_column=Column(BigInteger, nullable=False, unique=True))
    text: str = Field(sa_column=Column(Text, nullable=False))
    section: str | None = Field(default=None, sa_column=Column(Text))
    span_start: int = Field(sa_column=Column(Integer, nullable=False))
    span_end: int = Field(sa_column=Column(Integer, nullable=False))
    # The same span in UTF-16 code units, for JavaScript clients.
    span_utf16_start: int = Field(sa_column=Column(Integer, nullable=False))
    span_utf16_end: int = Field(sa_column=Column(Integer, nullable=False))
    paragraph: int = Field(sa_column=Column(Integer, nullable=False))
    splitter_version: str = Field(sa_column=Column(String(32), nullable=False))

    __table_args__ = (
        Index("ix_claim_article_id_position", "article_id", "position"),
        {"sqlite_autoincrement": True},
    )


class ClaimCitation(SQLModel, table=True):
    """A source attributed to a claim: by marker (cited), by name (inline) or by paragraph."""

    __tablename__ = "claim_citation"

    claim_id: int = Field(
        sa_column=Column(ID, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True)
    )
    source_id: int = Field(
        sa_column=Column(ID, ForeignKey("source.id", ondelete="CASCADE"), primary_key=True)
    )
    claim_key: int = Field(sa_column=Column(BigInteger, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    label: str | None = Field(default=None, sa_column=Column(String(64)))

    # Serves source filters in reading order without touching the claim table.
    __table_args__ = (
        Index(
            "ix_claim_citation_source_id_claim_key", "source_id", "claim_key", "kind", "claim_id"
        ),
    )


class Actor(SQLModel, table=True):
    """A person, country, organization or group that claims are about."""

    __tablename__ = "actor"

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    slug: str = Field(sa_column=Column(String(128), nullable=False, unique=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    type: str = Field(sa_column=Column(String(16), nullable=False))
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    search_text: str = Field(  # as on source
        default="", sa_column=Column(Text, nullable=False, server_default=text("''"))
    )
    iso_code: str | None = Field(default=None, sa_column=Column(String(8)))
    wikidata_id: str | None = Field(default=None, sa_column=Column(String(32)))
    # Set when a client added or edited the actor through the API: such rows
    # extend the shipped registry in every worker.
    edited_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    # Claims about it, kept in step by every write.
    claim_count: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default=text("0"))
    )


class ClaimActor(SQLModel, table=True):
    """An actor a claim is about."""

    __tablename__ = "claim_actor"

    claim_id: int = Field(
        sa_column=Column(ID, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True)
    )
    actor_id: int = Field(
        sa_column=Column(ID, ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True)
    )
    claim_key: int = Field(sa_column=Column(BigInteger, nullable=False))

    __table_args__ = (
        Index("ix_claim_actor_actor_id_claim_key", "actor_id", "claim_key", "claim_id"),
    )


class Topic(SQLModel, table=True):
    """A topic of the loaded taxonomy."""

    __tablename__ = "topic"

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    slug: str = Field(sa_column=Column(String(128), nullable=False, unique=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    iptc_code: str | None = Field(default=None, sa_column=Column(String(32)))
    # Claims linked to it, kept in step by every write (for a source: cited or
    # inline only), so lists, facets and estimates never count at read time.
    claim_count: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default=text("0"))
    )


class ClaimTopic(SQLModel, table=True):
    """A topic a claim is about."""

    __tablename__ = "claim_topic"

    claim_id: int = Field(
        sa_column=Column(ID, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True)
    )
    topic_id: int = Field(
        sa_column=Column(ID, ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True)
    )
    claim_key: int = Field(sa_column=Column(BigInteger, nullable=False))

    __table_args__ = (
        Index("ix_claim_topic_topic_id_claim_key", "topic_id", "claim_key", "claim_id"),
    )


class ClaimChange(SQLModel, table=True):
    """One claim-level event, in commit order: what the change feed serves."""

    __tablename__ = "claim_change"

    seq: int | None = Field(
        default=None, sa_column=Column(ID, primary_key=True, autoincrement=True)
    )
    # No foreign key: the events of a deleted claim outlive it.
    claim_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    article_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))  # created | updated | deleted
    changed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))

    __table_args__ = ({"sqlite_autoincrement": True},)


class Counter(SQLModel, table=True):
    """A named running total kept in step by writes (e.g. the number of claims)."""

    __tablename__ = "counter"

    name: str = Field(sa_column=Column(String(32), primary_key=True))
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))

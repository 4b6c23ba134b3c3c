"""Step: the input as blocks of extracted text, per format."""

from __future__ import annotations

from app.splitter.blocks_html import html_blocks, html_page_blocks
from app.splitter.blocks_markdown import markdown_blocks
from app.splitter.blocks_text import text_blocks
from app.splitter.main_content import is_whole_page, main_blocks
from app.splitter.text import Block
from app.splitter.types import Format

__all__ = ["extract_blocks"]


def extract_blocks(clean: str, format: Format) -> list[Block]:
    """Blocks of the working text for the given format (unknown formats read as text)."""
    if format == "markdown":
        return markdown_blocks(clean)
    if format == "html":
        if is_whole_page(clean):
            return main_blocks(clean, *html_page_blocks(clean))
        return html_blocks(clean)
    return text_blocks(clean)

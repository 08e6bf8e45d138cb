"""People's text as safe HTML: markdown rendered, then cleaned by nh3."""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> str:
    """Markdown to HTML that keeps only text formatting and http(s)/mailto links.

    Raw HTML in the text is escaped by nh3 or dropped with its script and style
    content; links open with rel="noopener noreferrer nofollow".
    """
    html = markdown.markdown(text, extensions=["sane_lists", "nl2br"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )

"""What a page's frame needs from its content: ``{% capture as name %}…{% endcapture %}`` keeps
what a block renders (the page's title) for use twice — in ``<title>`` and in the printed
page's margin — and ``css_string`` writes text as a CSS string that nothing can break out of."""

import html
import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)  # so that blocks inside are still overridden by children

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # what the template rendered is HTML already escaped where it had to be
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as page_title %}…{% endcapture %}``: renders nothing, keeps the text."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


# Letters, digits, spaces and harmless punctuation stay; every other character is written as a
# CSS escape (quotes, backslashes, angle brackets, line breaks, control characters …).
_PLAIN = re.compile(r"[\w .,:;!?()/–—+=%#*@\[\]|~^$-]", re.UNICODE)


@register.filter
def css_string(value) -> SafeString:
    """``value`` as the inside of a double-quoted CSS string, safe inside ``<style>``. Rendered
    HTML (a captured title) is read as the text it shows: "&amp;" is "&"."""
    text = re.sub(r"\s+", " ", html.unescape(str(value)))
    return mark_safe(
        "".join(char if _PLAIN.fullmatch(char) else f"\\{ord(char):x} " for char in text)
    )

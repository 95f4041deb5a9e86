"""The API's JSON parser: DRF's, refusing what the standard library cannot parse safely.

`json.loads` raises RecursionError on deeply nested input (about 1,000 levels inside a request):
DRF lets it through as a server error. Here it is a parse error, so the client gets a 400 in the
one error format and the admins are not mailed for a malformed request.
"""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None

"""The admin's CSV downloads."""

from collections.abc import Iterable

from django.http import StreamingHttpResponse

from .. import reports


def csv_response(rows: Iterable[list[object]], filename: str) -> StreamingHttpResponse:
    """Stream ``rows`` as a CSV attachment named ``filename``."""
    response = StreamingHttpResponse(reports.stream_csv(rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

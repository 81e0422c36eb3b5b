"""QR codes of an address, generated locally (no CDN, no service): as SVG or PNG bytes, and as the inline image
response an <img> of a printable page loads."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.http import HttpResponse

from oversight.core.files import DOWNLOAD_CSP

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def qr_image(url: str, fmt: str) -> tuple[bytes, str]:
    """The QR code of ``url`` as ``(bytes, content type)``; ``fmt`` is "svg" or "png"."""
    buffer = io.BytesIO()
    if fmt == "svg":
        qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2).save(buffer)
    else:
        qrcode.make(url, box_size=10, border=2).save(buffer, format="PNG")
    return buffer.getvalue(), FORMATS["svg" if fmt == "svg" else "png"]


def inline_image_response(content: bytes, content_type: str) -> HttpResponse:
    """An image shown inline (an <img>): never sniffed as anything else, sandboxed, cached privately."""
    response = HttpResponse(content, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, max-age=3600"
    return response

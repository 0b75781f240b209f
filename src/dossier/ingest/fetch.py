"""Download URLs with httpx: timeouts, a size cap and an honest User-Agent."""

from __future__ import annotations

from typing import Any

from dossier import settings
from dossier.errors import FetchError
from dossier.model import RawDocument


def fetch(url: str, *, client: Any = None, timeout: float | None = None, max_bytes: int | None = None) -> RawDocument:
    """Download one URL into a RawDocument; raise FetchError with a one-line reason."""
    import httpx

    limit = int(settings.get("fetch_max_bytes", max_bytes))
    own = client is None
    if client is None:
        client = new_client(timeout=timeout)
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(url, f"HTTP {response.status_code}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(url, f"response of {declared} bytes exceeds the {limit}-byte limit")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    raise FetchError(url, f"response exceeds the {limit}-byte limit; download stopped")
            ctype = response.headers.get("content-type", "").lower()
            final_url = str(response.url)
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"timed out ({exc.__class__.__name__})") from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, f"download failed ({exc})") from exc
    finally:
        if own:
            client.close()
    fmt = "html" if "html" in ctype else "auto"
    return RawDocument(ref=url, data=bytes(body), format=fmt, url=final_url, keep_raw=True)


def new_client(*, timeout: float | None = None) -> Any:
    import httpx

    seconds = float(settings.get("fetch_timeout", timeout))
    return httpx.Client(
        timeout=httpx.Timeout(seconds, connect=min(seconds, 10.0)),
        headers={"User-Agent": str(settings.get("user_agent"))},
        follow_redirects=True,
        max_redirects=5,
    )

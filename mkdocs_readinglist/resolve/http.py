"""Polite HTTP for the online services: one session per service, a minimum interval between
requests, `Retry-After` honoured, retries with backoff, a timeout and a User-Agent naming the
project. requests + urllib3's `Retry` do the retrying (they parse `Retry-After` as seconds or an
HTTP date and back off exponentially); this module only spaces requests and words failures.

`READINGLIST_RESOLVE_DELAY=SECONDS` overrides every service's interval and the backoff base
(tests use 0); `Retry-After` is still honoured.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from .. import __version__

USER_AGENT = f"mkdocs-readinglist/{__version__} (+https://github.com/mkdocs-readinglist; readinglist resolve)"
TIMEOUT = 30.0  # seconds to connect and between bytes read
RETRIES = 3
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER = 120.0  # a Retry-After longer than this is a failure, not a wait


class ServiceError(Exception):
    """A service that is down, unreachable or answering nonsense: one clear line."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.message = message


def _seconds(name: str) -> float | None:
    """A number of seconds from the environment; None when unset or not a number."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        return max(float(raw), 0.0)
    except ValueError:
        return None


def resolve_delay() -> float | None:
    return _seconds("READINGLIST_RESOLVE_DELAY")


def env_url(name: str, default: str) -> str:
    """A service's base URL: `READINGLIST_<NAME>_API`, else its public address."""
    return (os.environ.get(f"READINGLIST_{name.upper()}_API") or default).rstrip("/")


@dataclass
class Stats:
    requests: int = 0
    retries: int = 0
    waited: float = 0.0  # seconds spent waiting for the interval


class _Retry(Retry):
    """urllib3's Retry with `Retry-After` capped: a service asking for an hour is reported, not obeyed."""

    def get_retry_after(self, response: Any) -> float | None:
        value = super().get_retry_after(response)
        return None if value is None else min(value, MAX_RETRY_AFTER)


class Client:
    """One service's connection: spaced requests, retries, timeout; failures as ServiceError."""

    def __init__(self, service: str, base_url: str, interval: float, headers: Mapping[str, str] | None = None,
                 timeout: float | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        delay = resolve_delay()
        self.service = service
        self.base_url = base_url.rstrip("/")
        self.interval = interval if delay is None else delay
        self.timeout = timeout if timeout is not None else _seconds("READINGLIST_RESOLVE_TIMEOUT") or TIMEOUT
        self.stats = Stats()
        self._sleep = sleep
        self._last = 0.0
        retry = _Retry(total=RETRIES, connect=RETRIES, read=RETRIES, status=RETRIES,
                      backoff_factor=1.0 if delay is None else delay, backoff_max=60.0,
                      status_forcelist=RETRY_STATUSES, allowed_methods=None,
                      respect_retry_after_header=True, raise_on_status=False)
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=1)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        contact = os.environ.get("READINGLIST_CONTACT")  # services ask for a way to reach heavy users
        agent = f"{USER_AGENT[:-1]}; mailto:{contact})" if contact else USER_AGENT
        self.session.headers.update({"User-Agent": agent, **(headers or {})})

    def _wait_turn(self) -> None:
        if self.interval > 0 and self._last:
            gap = self._last + self.interval - time.monotonic()
            if gap > 0:
                self.stats.waited += gap
                self._sleep(gap)
        self._last = time.monotonic()

    def request(self, method: str, path: str = "", params: Mapping[str, Any] | None = None,
                json_body: object = None) -> requests.Response:
        url = self.base_url + path
        self._wait_turn()
        self.stats.requests += 1
        try:
            response = self.session.request(method, url, params=params, json=json_body, timeout=self.timeout)
        except requests.exceptions.RetryError as exc:
            raise ServiceError(self.service, f"{url} kept failing after {RETRIES} retries ({_reason(exc)})") from exc
        except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as exc:
            if isinstance(exc, requests.exceptions.Timeout) or isinstance(_cause(exc), ReadTimeoutError):
                raise ServiceError(self.service, f"{url} did not answer within {self.timeout:g} s "
                                   f"({1 + RETRIES} tries)") from exc
            raise ServiceError(self.service, f"cannot connect to {url} ({_reason(exc)}; "
                               f"{1 + RETRIES} tries)") from exc
        except requests.exceptions.RequestException as exc:
            raise ServiceError(self.service, f"{url}: {_reason(exc)}") from exc
        finally:
            self._last = time.monotonic()
        history = getattr(getattr(response.raw, "retries", None), "history", ()) or ()
        self.stats.retries += len(history)
        if response.status_code in RETRY_STATUSES:
            raise ServiceError(self.service, f"{url} answered HTTP {response.status_code} {response.reason} "
                               f"after {RETRIES} retries")
        if response.status_code >= 400 and response.status_code != 404:
            raise ServiceError(self.service, f"{url} answered HTTP {response.status_code} {response.reason}")
        return response

    def get_json(self, path: str = "", params: Mapping[str, Any] | None = None) -> Any:
        response = self.request("GET", path, params)
        return None if response.status_code == 404 else _json(self.service, response)

    def post_json(self, path: str, body: object, params: Mapping[str, Any] | None = None) -> Any:
        response = self.request("POST", path, params, json_body=body)
        return None if response.status_code == 404 else _json(self.service, response)

    def close(self) -> None:
        self.session.close()


def _json(service: str, response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise ServiceError(service, f"{response.url} answered something that is not JSON "
                           f"({response.headers.get('Content-Type', 'no content type')})") from exc


def _cause(exc: BaseException) -> BaseException:
    """The innermost error urllib3 gave up on (a MaxRetryError's reason), else the error itself."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    return getattr(inner, "reason", None) or inner


def _reason(exc: BaseException) -> str:
    """A short reason: `connection refused`, `name or service not known`, ... not urllib3's whole chain."""
    cause = _cause(exc)
    text = str(cause)
    for known in ("Connection refused", "Name or service not known", "Temporary failure in name resolution",
                  "No route to host", "Network is unreachable", "Connection reset by peer",
                  "Remote end closed connection without response", "certificate verify failed"):
        if known in text:
            return known[0].lower() + known[1:]
    return f"{type(cause).__name__}: {text[:160]}"

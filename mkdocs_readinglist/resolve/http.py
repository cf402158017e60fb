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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader, MaxRetryError, ReadTimeoutError, ResponseError
from urllib3.util.retry import Retry

from .. import __version__

if TYPE_CHECKING:  # typing.Self is Python 3.11's; annotations are not evaluated at run time
    from typing_extensions import Self

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
    requests: int = 0  # requests asked for (each tried up to 1 + RETRIES times)
    retries: int = 0  # further tries of them
    waited: float = 0.0  # seconds spent waiting for the interval
    answers: int = 0  # answers given to the caller
    absent: int = 0  # of which 404s meaning "no such paper"

    @property
    def tries(self) -> int:
        """Every request sent: the first tries and the retries."""
        return self.requests + self.retries


class _Retry(Retry):
    """urllib3's Retry, except that a `Retry-After` longer than MAX_RETRY_AFTER is not waited
    for: the answer is handed back at once and Client.request reports it."""

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None) -> Self:
        if response is not None:
            value = self.get_retry_after(response)
            if value is not None and value > MAX_RETRY_AFTER:
                # with raise_on_status=False, urllib3 returns this response instead of retrying
                raise MaxRetryError(_pool, url or "", ResponseError(f"Retry-After {value:g} s"))
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def get_retry_after(self, response: Any) -> float | None:
        try:
            return super().get_retry_after(response)
        except InvalidHeader:  # `Retry-After: soon` names no wait: the backoff's wait is taken
            return None


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
            self.stats.retries += RETRIES
            raise ServiceError(self.service, f"{url} kept failing after {RETRIES} retries ({_reason(exc)})") from exc
        except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as exc:
            self.stats.retries += RETRIES
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
        wait = _retry_after(response.headers.get("Retry-After")) if response.status_code in RETRY_STATUSES else 0
        if wait > MAX_RETRY_AFTER:
            raise ServiceError(self.service, f"{url} answered HTTP {response.status_code} {response.reason} asking "
                               f"to wait {wait:g} s (Retry-After); not waiting more than {MAX_RETRY_AFTER:g} s")
        if response.status_code in RETRY_STATUSES:
            raise ServiceError(self.service, f"{url} answered HTTP {response.status_code} {response.reason} "
                               f"after {RETRIES} retries")
        if response.status_code >= 400 and response.status_code != 404:
            raise ServiceError(self.service, f"{url} answered HTTP {response.status_code} {response.reason}")
        self.stats.answers += 1
        return response

    def get_json(self, path: str = "", params: Mapping[str, Any] | None = None, absent_on_404: bool = False) -> Any:
        """The answer's JSON. A 404 is None ("no such paper") only where the API documents it
        (`absent_on_404`) and answers it in JSON; any other 404 means the address is wrong."""
        return self._json_of(self.request("GET", path, params), absent_on_404)

    def post_json(self, path: str, body: object, params: Mapping[str, Any] | None = None) -> Any:
        return self._json_of(self.request("POST", path, params, json_body=body), False)

    def _json_of(self, response: requests.Response, absent_on_404: bool) -> Any:
        if response.status_code == 404:
            if not absent_on_404 or not _is_json(response):
                raise ServiceError(self.service, f"{_address(response)} answered HTTP 404 Not Found: no such "
                                   f"address; is READINGLIST_{self.service.upper()}_API ({self.base_url}) right?")
            self.stats.absent += 1
            return None
        return _json(self.service, response)

    def close(self) -> None:
        self.session.close()


def _retry_after(value: str | None) -> float:
    """Seconds a `Retry-After` (seconds or an HTTP date) asks for, read as urllib3 reads it; 0 for none."""
    if not value:
        return 0.0
    try:
        return Retry().parse_retry_after(value)
    except Exception:  # urllib3's InvalidHeader for nonsense: then it is not a wait
        return 0.0


def _is_json(response: requests.Response) -> bool:
    try:
        response.json()
    except ValueError:
        return False
    return True


def _address(response: requests.Response) -> str:
    return str(response.url).split("?", 1)[0]


@contextmanager
def answer_shape(service: str, what: str) -> Iterator[None]:
    """Reading a well-formed answer of an unexpected shape (a list where the API documents an
    object, strings where it has objects) is one clear line (ServiceError), not a traceback."""
    try:
        yield
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        raise ServiceError(service, f"{what} answered JSON of an unexpected shape ({type(exc).__name__}: "
                           f"{str(exc)[:120]}); the API may have changed") from exc


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

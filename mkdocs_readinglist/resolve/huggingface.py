"""The Hugging Face papers API: `GET /papers/{arxiv_id}` gives a paper's code repository and
project page (and its authors). One request per second; `HF_TOKEN` is sent when set."""

from __future__ import annotations

import os
from typing import Any

from .http import Client, answer_shape, env_url
from .match import Candidate

NAME = "huggingface"
DEFAULT_URL = "https://huggingface.co/api"
INTERVAL = 1.0


def client() -> Client:
    token = os.environ.get("HF_TOKEN")
    return Client(NAME, env_url(NAME, DEFAULT_URL), INTERVAL, {"Authorization": f"Bearer {token}"} if token else None)


def candidate(data: dict[str, Any]) -> Candidate | None:
    if not isinstance(data, dict) or not data.get("id") or not data.get("title"):
        return None
    published = str(data.get("publishedAt") or "")[:10]
    urls = [(kind, str(data[key])) for kind, key in (("code", "githubRepo"), ("project", "projectPage"))
            if data.get(key)]
    return Candidate(NAME, str(data["id"]), " ".join(str(data["title"]).split()),
                     tuple(str(a.get("name")) for a in data.get("authors") or [] if a.get("name")),
                     int(published[:4]) if published[:4].isdigit() else None, published or None,
                     str(data["id"]), urls=tuple(urls))


def paper(api: Client, arxiv_id: str) -> Candidate | None:
    # a 404 {"error": ...} is the API's "no such paper" (papers Hugging Face does not list)
    data = api.get_json(f"/papers/{arxiv_id}", absent_on_404=True)
    with answer_shape(NAME, "/papers"):
        return candidate(data) if data is not None else None

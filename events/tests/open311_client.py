"""A minimal Open311 GeoReport v2 client, written from the specification (wiki.open311.org/GeoReport_v2):
form-encoded POST, ``jurisdiction_id`` on every call, JSON or XML responses, errors as a list of
``{code, description}``. It talks HTTP to a running server, as any external system would."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree


class GeoReportError(Exception):
    def __init__(self, status, errors):
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors


class GeoReportClient:
    def __init__(self, root: str, jurisdiction: str | None = None, api_key: str | None = None, fmt: str = "json"):
        self.root = root.rstrip("/")
        self.jurisdiction = jurisdiction
        self.api_key = api_key
        self.fmt = fmt

    def _params(self, **extra):
        params = {k: v for k, v in extra.items() if v is not None}
        if self.jurisdiction:
            params["jurisdiction_id"] = self.jurisdiction
        return params

    def _call(self, path, *, data=None, headers=None, **params):
        url = f"{self.root}/{path}.{self.fmt}"
        query = urllib.parse.urlencode(self._params(**params)) if data is None else ""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url + (f"?{query}" if query else ""), data=body, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=20) as resp:
                return resp.status, self._parse(resp.read())
        except urllib.error.HTTPError as exc:
            raise GeoReportError(exc.code, self._parse(exc.read())) from None

    def _parse(self, raw: bytes):
        if self.fmt == "json":
            return json.loads(raw.decode("utf-8"))
        root = ElementTree.fromstring(raw)
        return [{child.tag: child.text for child in item} for item in root]

    def services(self):
        return self._call("services")[1]

    def service_definition(self, code):
        return self._call(f"services/{code}")[1]

    def post_request(self, *, service_code, lat=None, long=None, address_string=None, description="",
                     phone=None, first_name=None, last_name=None, idempotency_key=None):
        data = self._params(api_key=self.api_key, service_code=service_code, lat=lat, long=long,
                            address_string=address_string, description=description, phone=phone,
                            first_name=first_name, last_name=last_name)
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        status, rows = self._call("requests", data=data, headers=headers)
        return status, rows[0]

    def requests(self, **params):
        return self._call("requests", **params)[1]

    def request(self, request_id):
        return self._call(f"requests/{request_id}")[1][0]

"""Load the official Bot API description (api.json) and validate method parameters."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

_INT_RE = re.compile(r"-?\d+")
_TRUE = {"true", "1"}
_FALSE = {"false", "0"}
_SCALARS = {"Integer", "Float", "Boolean", "String", "InputFile"}


class ApiError(Exception):
    """An error answered to the client exactly like Telegram does."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None):
        super().__init__(f"{error_code}: {description}")
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


@dataclass
class UploadedPart:
    """A file that arrived as a multipart/form-data part."""

    field: str
    filename: str
    data: bytes
    mime_type: str


SPEC_DIR = Path(__file__).resolve().parent / "botapi"


def spec_path() -> Path:
    """The Bot API description the fake server checks against: ``TELEGRAM_API_SPEC`` when set,
    else the copy kept in the repository (``tests/fakebot/botapi/api.json``, see its README)."""
    env = os.environ.get("TELEGRAM_API_SPEC")
    return Path(env) if env else SPEC_DIR / "api.json"


@dataclass
class Spec:
    methods: dict[str, dict[str, Any]]  # lower-case name -> method description
    types: dict[str, dict[str, Any]]
    version: str = ""
    _fields: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def method(self, name: str) -> dict[str, Any] | None:
        return self.methods.get(name.lower())

    def fields(self, method: dict[str, Any]) -> dict[str, dict[str, Any]]:
        name = method["name"]
        if name not in self._fields:
            self._fields[name] = {f["name"]: f for f in method.get("fields", [])}
        return self._fields[name]

    def validate(
        self, method: dict[str, Any], params: dict[str, Any], files: dict[str, UploadedPart]
    ) -> dict[str, Any]:
        """Check presence and types; return params converted to Python values.

        Files attached under a field's own name become that field's value (an UploadedPart);
        ``attach://name`` strings are resolved by the caller when needed.
        """
        fields = self.fields(method)
        merged: dict[str, Any] = dict(params)
        for name, part in files.items():
            if name in fields:
                merged[name] = part
        for name in merged:
            if name not in fields:
                raise bad_request(f"unknown parameter {name}")
        out: dict[str, Any] = {}
        for name, spec_field in fields.items():
            value = merged.get(name)
            if value is None:
                if spec_field.get("required"):
                    raise bad_request(f"parameter {name} is required")
                continue
            out[name] = self._convert(name, value, spec_field["types"])
        return out

    def _convert(self, name: str, value: Any, types: list[str]) -> Any:
        for type_name in types:
            ok, converted = self._try(value, type_name, allow_json=True)
            if ok:
                return converted
        raise bad_request(f"parameter {name} must be of type {' or '.join(types)}")

    def _try(self, value: Any, type_name: str, allow_json: bool) -> tuple[bool, Any]:
        if type_name.startswith("Array of "):
            inner = type_name[len("Array of ") :]
            if isinstance(value, str) and allow_json:
                value = _json_or_none(value)
            if not isinstance(value, list):
                return False, None
            items = []
            for item in value:
                ok, converted = self._try(item, inner, allow_json=False)
                if not ok:
                    return False, None
                items.append(converted)
            return True, items
        if type_name == "Integer":
            if isinstance(value, bool):
                return False, None
            if isinstance(value, int):
                return True, value
            if isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
                return True, int(value)
            return False, None
        if type_name == "Float":
            if isinstance(value, bool):
                return False, None
            if isinstance(value, int | float):
                return True, float(value)
            try:
                return (True, float(value)) if isinstance(value, str) else (False, None)
            except ValueError:
                return False, None
        if type_name == "Boolean":
            if isinstance(value, bool):
                return True, value
            if isinstance(value, int) and value in (0, 1):
                return True, bool(value)
            if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
                return True, value.lower() in _TRUE
            return False, None
        if type_name == "String":
            return isinstance(value, str), value
        if type_name == "InputFile":
            return isinstance(value, UploadedPart), value
        # An object type described in the spec.
        if isinstance(value, str) and allow_json:
            value = _json_or_none(value)
        if not isinstance(value, dict):
            return False, None
        return self._object_ok(value, type_name), value

    def _object_ok(self, value: dict[str, Any], type_name: str) -> bool:
        description = self.types.get(type_name)
        if description is None or type_name in _SCALARS:
            return True
        subtypes = description.get("subtypes")
        if subtypes:
            return any(self._object_ok(value, sub) for sub in subtypes)
        for spec_field in description.get("fields", []):
            if spec_field.get("required") and spec_field["name"] not in value:
                # Discriminator-only fields ("type", "source") are checked by the subtype match.
                return False
        return True


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


@lru_cache(maxsize=4)
def _load(path: str) -> Spec:
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    methods = {name.lower(): body for name, body in raw["methods"].items()}
    return Spec(methods=methods, types=raw["types"], version=raw.get("version", ""))


def load_spec(path: Path | None = None) -> Spec:
    path = path or spec_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"Telegram Bot API spec not found at {path}; set TELEGRAM_API_SPEC to api.json"
        )
    return _load(str(path))

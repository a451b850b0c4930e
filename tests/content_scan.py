"""A static reading of which content keys the code asks for (the content test's engine).

``scan(sources, catalogue, families)`` reads Python sources (``{"bot/x.py": text}``) with
``ast`` and returns one problem per line (``bot/x.py:12: …``), none when all is well:

- every string that looks like a key (``<namespace>.<name>…``, a namespace being a catalogue
  file) names an entry of the catalogue;
- every key built with an f-string (``f"trigger.ask_{step}"``) matches the pattern of a declared
  ``bot.content.keys.Family`` (``"trigger.ask_{}"``) exactly; every member of every family
  exists, and the members of one pattern take the same placeholders;
- every ``t(key, **values)`` call passes the placeholders of every text it can ask for. A key
  held in a name is followed to what is bound to it (tests/content_follow.py): a constant, a
  loop over literal rows, a dict's values, a parameter (the arguments of every call of that
  function in the sources), an imported module's constant. Every value bound to the name
  anywhere in its function counts (the order of the statements is not read): give a name one
  kind of key. A key that cannot be followed is a problem, unless the call is listed in
  ``unchecked`` with the reason;
- no entry of the catalogue is left unused (a key string, or a family member, names it or a
  table above it).
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from bot.content.keys import Family
from tests.content_follow import DEPTH, Form, Module, Sources, called_name, enclosing_function


def placeholders(text: str) -> frozenset[str]:
    names = set()
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            names.add(name.split(".")[0].split("[")[0])
    return frozenset(names)


def leaves(catalogue: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every entry that is not a table, as (dotted key, value)."""
    for key, value in catalogue.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            yield from leaves(value, dotted)
        else:
            yield dotted, value


def lookup(catalogue: Mapping[str, Any], key: str) -> Any:
    node: Any = catalogue
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(key)
        node = node[part]
    return node


class Scanner(Sources):
    def __init__(
        self,
        sources: Mapping[str, str],
        catalogue: Mapping[str, Any],
        families: Iterable[tuple[str, Family]],
        unchecked: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(sources)
        self.catalogue = catalogue
        self.families = list(families)
        self.unchecked = dict(unchecked or {})
        self.namespaces = frozenset(catalogue)
        self.problems: list[str] = []
        self.used: set[str] = set()

    # --- what a string is ----------------------------------------------------------------

    def _key_like(self, text: str) -> bool:
        """``checkin.ack_need``, ``trigger.ask_`` (a prefix): a namespace, a dot, a name."""
        head, dot, rest = text.partition(".")
        return bool(dot) and head in self.namespaces and re.fullmatch(r"[\w.]*", rest) is not None

    def _template(self, node: ast.JoinedStr) -> str | None:
        """``f"trigger.ask_{step}"`` → ``"trigger.ask_{}"`` if it is shaped like a key."""
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value.replace("{", "{{").replace("}", "}}"))
            else:
                parts.append("{}")
        template = "".join(parts)
        shape = template.replace("{}", "x")
        if not re.fullmatch(r"\w+(\.\w+)+", shape):
            return None
        head, _, rest = template.partition(".")
        if not template.replace("{}", "").replace(".", ""):
            return None  # f"{a}.{b}": nothing says it is a key
        if head == "{}":  # f"{name}.intro" is a key if some namespace has an "intro"
            return template if any(self._has(f"{n}.{rest}") for n in self.namespaces) else None
        return template if head in self.namespaces else None

    def _has(self, key: str) -> bool:
        try:
            lookup(self.catalogue, key)
        except KeyError:
            return False
        return True

    # --- the checks ----------------------------------------------------------------------

    def run(self) -> list[str]:
        self._check_families()
        for module in self.modules.values():
            self._check_strings(module)
            self._check_calls(module)
        self._check_unused()
        return self.problems

    def _check_families(self) -> None:
        by_pattern: dict[str, dict[str, frozenset[str]]] = {}
        for where, family in self.families:
            for key in family.keys:
                try:
                    value = lookup(self.catalogue, key)
                except KeyError:
                    self.problems.append(
                        f"{where}: family {family.pattern!r} has no text at {key!r}"
                    )
                    continue
                self._use(key)
                if isinstance(value, str):
                    by_pattern.setdefault(family.pattern, {})[key] = placeholders(value)
        for pattern, members in by_pattern.items():
            if len(set(members.values())) > 1:
                shown = ", ".join(f"{k} {_names(v)}" for k, v in sorted(members.items()))
                self.problems.append(
                    f"family {pattern!r}: its texts take different placeholders ({shown})"
                )

    def _check_strings(self, module: Module) -> None:
        in_fstrings = {
            id(v) for n in ast.walk(module.tree) if isinstance(n, ast.JoinedStr) for v in n.values
        }
        patterns = {family.pattern for _, family in self.families}
        for node in ast.walk(module.tree):
            where = f"{module.path}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in in_fstrings or not self._key_like(node.value):
                    continue
                try:
                    lookup(self.catalogue, node.value)
                except KeyError:
                    self.problems.append(f"{where}: no text at {node.value!r} in the catalogue")
                    continue
                self._use(node.value)
            elif isinstance(node, ast.JoinedStr):
                template = self._template(node)
                if template is not None and template not in patterns:
                    self.problems.append(
                        f"{where}: the key {ast.unparse(node)} is built at run time, but no "
                        f"Family declares {template!r} (bot/content/keys.py)"
                    )

    def _check_calls(self, module: Module) -> None:
        for node in ast.walk(module.tree):
            if not (isinstance(node, ast.Call) and called_name(node) == "t" and node.args):
                continue
            where = f"{module.path}:{node.lineno}"
            function = enclosing_function(module, node)
            if f"{module.path}:{function}" in self.unchecked:
                continue
            forms = self._resolve(module, node.args[0], DEPTH)
            if forms is None:
                self.problems.append(
                    f"{where}: cannot tell which text {ast.unparse(node.args[0])!r} names: "
                    "pass a literal key, an f-string of a declared Family, or a name bound to them"
                )
                continue
            if any(k.arg is None for k in node.keywords):
                continue  # **values: what they hold is not known here
            given = {k.arg for k in node.keywords if k.arg and k.arg != "lang"}
            for key in sorted(self._keys_of(forms)):
                try:
                    text = lookup(self.catalogue, key)
                except KeyError:
                    continue  # said by _check_strings or _check_families
                if not isinstance(text, str):
                    self.problems.append(f"{where}: {key!r} is not a text (use data())")
                    continue
                lacking = placeholders(text) - given
                if lacking:
                    self.problems.append(
                        f"{where}: {key!r} needs {_names(lacking)}, which this call does not pass"
                    )

    def _check_unused(self) -> None:
        for key, _ in leaves(self.catalogue):
            if key not in self.used:
                self.problems.append(
                    f"bot/content/{key.partition('.')[0]}.toml: {key!r} is used nowhere in the "
                    "code: delete it, or declare the Family that builds it"
                )

    def _use(self, key: str) -> None:
        node = lookup(self.catalogue, key)
        if isinstance(node, dict):
            self.used.update(f"{key}.{k}" for k, _ in leaves(node))
        else:
            self.used.add(key)

    def _keys_of(self, forms: set[Form]) -> set[str]:
        keys = {text for kind, text in forms if kind == "key"}
        for kind, pattern in forms:
            if kind == "family":
                keys.update(k for _, f in self.families if f.pattern == pattern for k in f.keys)
        return keys


def scan(
    sources: Mapping[str, str],
    catalogue: Mapping[str, Any],
    families: Iterable[tuple[str, Family]],
    unchecked: Mapping[str, str] | None = None,
) -> list[str]:
    """Every problem found (empty: the code and the catalogue agree)."""
    return Scanner(sources, catalogue, families, unchecked).run()


def _names(names: Iterable[str]) -> str:
    return "{" + ", ".join(sorted(names)) + "}"

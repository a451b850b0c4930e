"""A static reading of which content keys the code asks for (the content test's engine).

``scan(sources, catalogue, families)`` reads Python sources (``{"bot/x.py": text}``) with
``ast`` and returns one problem per line (``bot/x.py:12: …``), none when all is well:

- every string that looks like a key (``<namespace>.<name>…``, a namespace being a catalogue
  file) names an entry of the catalogue;
- every key built with an f-string (``f"trigger.ask_{step}"``) matches the pattern of a declared
  ``bot.content.keys.Family`` (``"trigger.ask_{}"``) exactly; every member of every family
  exists, and the members of one pattern take the same placeholders;
- every ``t(key, **values)`` call passes the placeholders of every text it can ask for. A key
  held in a name is followed to what is bound to it: a local or module constant, a loop over
  literal rows, a dict's values, a parameter (the arguments of every call of that function in
  the sources), an imported module's constant. Every value bound to the name anywhere in its
  function counts (the order of the statements is not read): give a name one kind of key. A
  key that cannot be followed is a problem, unless the call is listed in ``unchecked`` with the
  reason;
- no entry of the catalogue is left unused (a key string, or a family member, names it or a
  table above it).
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.content.keys import Family

#: How deep a key held in a name is followed before giving up.
DEPTH = 8

Form = tuple[str, str]  # ("key", "trigger.closing") or ("family", "trigger.ask_{}")


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


@dataclass(eq=False)
class _Module:
    path: str
    dotted: str
    tree: ast.Module
    parents: dict[int, ast.AST] = field(default_factory=dict)
    #: name -> the dotted module (``import x.y as name``) or (module, attribute) it imports
    imports: dict[str, str] = field(default_factory=dict)


class Scanner:
    def __init__(
        self,
        sources: Mapping[str, str],
        catalogue: Mapping[str, Any],
        families: Iterable[tuple[str, Family]],
        unchecked: Mapping[str, str] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.families = list(families)
        self.unchecked = dict(unchecked or {})
        self.namespaces = frozenset(catalogue)
        self.modules: dict[str, _Module] = {}
        for path, text in sources.items():
            dotted = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            module = _Module(path, dotted, ast.parse(text, path))
            for node in ast.walk(module.tree):
                for child in ast.iter_child_nodes(node):
                    module.parents[id(child)] = node
            self._read_imports(module)
            self.modules[dotted] = module
        self._calls: dict[str, list[tuple[_Module, ast.Call]]] = {}
        for module in self.modules.values():
            for node in ast.walk(module.tree):
                if isinstance(node, ast.Call):
                    name = _called_name(node)
                    if name:
                        self._calls.setdefault(name, []).append((module, node))
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

    def _check_strings(self, module: _Module) -> None:
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

    def _check_calls(self, module: _Module) -> None:
        for node in ast.walk(module.tree):
            if not (isinstance(node, ast.Call) and _called_name(node) == "t" and node.args):
                continue
            where = f"{module.path}:{node.lineno}"
            function = _enclosing_function(module, node)
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

    # --- following a key held in a name -------------------------------------------------

    def _resolve(self, module: _Module, node: ast.expr, depth: int) -> set[Form] | None:
        """The keys an expression can hold, or None when that cannot be told."""
        if depth <= 0:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {("key", node.value)}
        if isinstance(node, ast.JoinedStr):
            template = self._template(node)
            return {("family", template)} if template else None
        if isinstance(node, ast.IfExp):
            return _union(self._resolve(module, n, depth - 1) for n in (node.body, node.orelse))
        if isinstance(node, ast.BoolOp):
            return _union(self._resolve(module, n, depth - 1) for n in node.values)
        alternatives = self._alternatives(module, node, depth - 1)
        if alternatives is None or alternatives == [(module, node)]:
            return None
        return _union(self._resolve(m, n, depth - 1) for m, n in alternatives)

    def _alternatives(
        self, module: _Module, node: ast.expr, depth: int
    ) -> list[tuple[_Module, ast.expr]] | None:
        """The expressions ``node`` may stand for (itself when it is not a name or lookup)."""
        if depth <= 0:
            return None
        if isinstance(node, ast.Name):
            return self._bindings(module, node, depth)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            target = module.imports.get(node.value.id)
            if target in self.modules:
                return self._module_binding(self.modules[target], node.attr, depth)
            return None
        if isinstance(node, ast.Subscript):  # one of a dict's values, or a tuple's items
            index = node.slice
            if isinstance(index, ast.Constant) and isinstance(index.value, int):
                return self._unpacked(module, node.value, index.value, depth - 1)
            return self._elements(module, node.value, depth - 1)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "get":  # mapping.get(x): one of its values
                return self._elements(module, node.func.value, depth - 1)
            return None
        if isinstance(node, ast.Call):
            return None
        return [(module, node)]

    def _elements(
        self, module: _Module, node: ast.expr, depth: int
    ) -> list[tuple[_Module, ast.expr]] | None:
        """What iterating over ``node`` (or indexing it) yields."""
        if depth <= 0:
            return None
        found: list[tuple[_Module, ast.expr]] = []
        alternatives = self._alternatives(module, node, depth - 1)
        if alternatives is None:
            return None
        for where, value in alternatives:
            if isinstance(value, ast.Dict):
                found += [(where, v) for v in value.values]
            elif isinstance(value, (ast.Tuple, ast.List, ast.Set)):
                for item in value.elts:
                    if isinstance(item, ast.Starred):
                        inner = self._elements(where, item.value, depth - 1)
                        if inner is None:
                            return None
                        found += inner
                    else:
                        found.append((where, item))
            elif isinstance(value, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
                found.append((where, value.elt))
            else:
                return None
        return found

    def _unpacked(
        self, module: _Module, value: ast.expr, index: int, depth: int
    ) -> list[tuple[_Module, ast.expr]] | None:
        """The ``index``-th item of what ``value`` may be (``a, b = value``)."""
        alternatives = self._alternatives(module, value, depth - 1)
        if alternatives is None:
            return None
        found = []
        for where, item in alternatives:
            if not isinstance(item, (ast.Tuple, ast.List)) or len(item.elts) <= index:
                return None
            found.append((where, item.elts[index]))
        return found

    def _bindings(
        self, module: _Module, name: ast.Name, depth: int
    ) -> list[tuple[_Module, ast.expr]] | None:
        """What the name may be bound to, in the innermost scope that binds it."""
        scope: ast.AST | None = module.parents.get(id(name))
        while scope is not None:
            if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                found = self._bound_in(module, scope, name.id, depth)
                if found is not None:
                    return found or None
                parameter = self._parameter(module, scope, name.id, depth)
                if parameter is not None:
                    return parameter or None
            elif isinstance(scope, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
                for generator in scope.generators:
                    found = self._loop_binding(
                        module, generator.target, generator.iter, name.id, depth
                    )
                    if found is not None:
                        return found or None
            scope = module.parents.get(id(scope))
        return self._module_binding(module, name.id, depth)

    def _bound_in(
        self, module: _Module, scope: ast.AST, name: str, depth: int
    ) -> list[tuple[_Module, ast.expr]] | None:
        """Assignments and loops binding ``name`` directly in this function (None: none)."""
        found: list[tuple[_Module, ast.expr]] = []
        seen = False
        for node in _own_nodes(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    result = self._target_binding(module, target, node.value, name, depth)
                    if result is not None:
                        if not result:
                            return []
                        seen = True
                        found += result
                    elif _binds(target, name):
                        return []
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                if isinstance(node.target, ast.Name) and node.target.id == name:
                    seen = True
                    found.append((module, node.value))
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                result = self._loop_binding(module, node.target, node.iter, name, depth)
                if result is not None:
                    seen = True
                    if not result:
                        return []
                    found += result
        return found if seen else None

    def _target_binding(
        self, module: _Module, target: ast.expr, value: ast.expr, name: str, depth: int
    ) -> list[tuple[_Module, ast.expr]] | None:
        if isinstance(target, ast.Name):
            return [(module, value)] if target.id == name else None
        if isinstance(target, (ast.Tuple, ast.List)):
            for index, item in enumerate(target.elts):
                if isinstance(item, ast.Name) and item.id == name:
                    return self._unpacked(module, value, index, depth) or []
        return None

    def _loop_binding(
        self, module: _Module, target: ast.expr, iterable: ast.expr, name: str, depth: int
    ) -> list[tuple[_Module, ast.expr]] | None:
        """``for name in iterable`` / ``for a, name in iterable``: what name takes (None: the
        loop does not bind it; empty: it does, but what it takes cannot be told)."""
        if not _binds(target, name):
            return None
        items = self._elements(module, iterable, depth - 1)
        if items is None:
            return []
        if isinstance(target, ast.Name):
            return items
        assert isinstance(target, (ast.Tuple, ast.List))
        index = next(
            i for i, t in enumerate(target.elts) if isinstance(t, ast.Name) and t.id == name
        )
        found = []
        for where, item in items:
            part = self._unpacked(where, item, index, depth - 1)
            if part is None:
                return []
            found += part
        return found

    def _parameter(
        self, module: _Module, function: ast.AST, name: str, depth: int
    ) -> list[tuple[_Module, ast.expr]] | None:
        """A parameter: the arguments every call of the function passes for it."""
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        params = [*function.args.posonlyargs, *function.args.args]
        names = [p.arg for p in params]
        if name not in names and name not in [p.arg for p in function.args.kwonlyargs]:
            return None
        index = names.index(name) if name in names else None
        if index is not None and names and names[0] in ("self", "cls"):
            index -= 1
        found: list[tuple[_Module, ast.expr]] = []
        for caller, call in self._calls.get(function.name, []):
            keyword = next((k.value for k in call.keywords if k.arg == name), None)
            if keyword is not None:
                found.append((caller, keyword))
            elif index is not None and index < len(call.args):
                found.append((caller, call.args[index]))
        return found

    def _module_binding(
        self, module: _Module, name: str, depth: int
    ) -> list[tuple[_Module, ast.expr]] | None:
        found = self._bound_in(module, module.tree, name, depth)
        if found is not None:
            return found or None
        imported = module.imports.get(name)
        if imported and "." in imported:
            source, _, attribute = imported.rpartition(".")
            if source in self.modules and depth > 0:
                return self._module_binding(self.modules[source], attribute, depth - 1)
        return None

    def _read_imports(self, module: _Module) -> None:
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    module.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    module.imports[alias.asname or alias.name.partition(".")[0]] = (
                        alias.name if alias.asname else alias.name.partition(".")[0]
                    )


def scan(
    sources: Mapping[str, str],
    catalogue: Mapping[str, Any],
    families: Iterable[tuple[str, Family]],
    unchecked: Mapping[str, str] | None = None,
) -> list[str]:
    """Every problem found (empty: the code and the catalogue agree)."""
    return Scanner(sources, catalogue, families, unchecked).run()


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _enclosing_function(module: _Module, node: ast.AST) -> str:
    scope = module.parents.get(id(node))
    while scope is not None:
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return scope.name
        scope = module.parents.get(id(scope))
    return "<module>"


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function, not those of the functions and classes inside it."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _binds(target: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))


def _union(results: Iterable[set[Form] | None]) -> set[Form] | None:
    found: set[Form] = set()
    for result in results:
        if result is None:
            return None
        found |= result
    return found


def _names(names: Iterable[str]) -> str:
    return "{" + ", ".join(sorted(names)) + "}"

"""Following a content key held in a name to the keys it can hold (``tests/content_scan.py``).

``Sources`` parses Python sources and answers, for an expression passed to ``t()``, which
literal keys and key families it may stand for: constants, f-strings, ``a if c else b``,
``a or b``, names bound in the function or the module (assignments, loops over literal rows,
unpacking), a dict's values, an imported module's constant, and a parameter (the arguments of
every call of that function, by name, in the sources). None means it cannot be told.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

#: How deep a key held in a name is followed before giving up.
DEPTH = 8

Form = tuple[str, str]  # ("key", "trigger.closing") or ("family", "trigger.ask_{}")
Found = list[tuple["Module", ast.expr]]


@dataclass(eq=False)
class Module:
    path: str
    dotted: str
    tree: ast.Module
    parents: dict[int, ast.AST] = field(default_factory=dict)
    #: name -> the dotted module (``import x.y as name``) or (module, attribute) it imports
    imports: dict[str, str] = field(default_factory=dict)


class Sources:
    def __init__(self, sources: Mapping[str, str]) -> None:
        self.modules: dict[str, Module] = {}
        for path, text in sources.items():
            dotted = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            module = Module(path, dotted, ast.parse(text, path))
            for node in ast.walk(module.tree):
                for child in ast.iter_child_nodes(node):
                    module.parents[id(child)] = node
            self._read_imports(module)
            self.modules[dotted] = module
        self._calls: dict[str, list[tuple[Module, ast.Call]]] = {}
        for module in self.modules.values():
            for node in ast.walk(module.tree):
                if isinstance(node, ast.Call):
                    name = called_name(node)
                    if name:
                        self._calls.setdefault(name, []).append((module, node))

    def _template(self, node: ast.JoinedStr) -> str | None:
        """The key pattern an f-string builds (``"trigger.ask_{}"``), None if not a key."""
        raise NotImplementedError

    def _resolve(self, module: Module, node: ast.expr, depth: int) -> set[Form] | None:
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

    def _alternatives(self, module: Module, node: ast.expr, depth: int) -> Found | None:
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

    def _elements(self, module: Module, node: ast.expr, depth: int) -> Found | None:
        """What iterating over ``node`` (or indexing it) yields."""
        if depth <= 0:
            return None
        found: Found = []
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

    def _unpacked(self, module: Module, value: ast.expr, index: int, depth: int) -> Found | None:
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

    def _bindings(self, module: Module, name: ast.Name, depth: int) -> Found | None:
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

    def _bound_in(self, module: Module, scope: ast.AST, name: str, depth: int) -> Found | None:
        """Assignments and loops binding ``name`` directly in this function (None: none)."""
        found: Found = []
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
        self, module: Module, target: ast.expr, value: ast.expr, name: str, depth: int
    ) -> Found | None:
        if isinstance(target, ast.Name):
            return [(module, value)] if target.id == name else None
        if isinstance(target, (ast.Tuple, ast.List)):
            for index, item in enumerate(target.elts):
                if isinstance(item, ast.Name) and item.id == name:
                    return self._unpacked(module, value, index, depth) or []
        return None

    def _loop_binding(
        self, module: Module, target: ast.expr, iterable: ast.expr, name: str, depth: int
    ) -> Found | None:
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

    def _parameter(self, module: Module, function: ast.AST, name: str, depth: int) -> Found | None:
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
        found: Found = []
        for caller, call in self._calls.get(function.name, []):
            keyword = next((k.value for k in call.keywords if k.arg == name), None)
            if keyword is not None:
                found.append((caller, keyword))
            elif index is not None and index < len(call.args):
                found.append((caller, call.args[index]))
        return found

    def _module_binding(self, module: Module, name: str, depth: int) -> Found | None:
        found = self._bound_in(module, module.tree, name, depth)
        if found is not None:
            return found or None
        imported = module.imports.get(name)
        if imported and "." in imported:
            source, _, attribute = imported.rpartition(".")
            if source in self.modules and depth > 0:
                return self._module_binding(self.modules[source], attribute, depth - 1)
        return None

    def _read_imports(self, module: Module) -> None:
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    module.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    module.imports[alias.asname or alias.name.partition(".")[0]] = (
                        alias.name if alias.asname else alias.name.partition(".")[0]
                    )


def called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def enclosing_function(module: Module, node: ast.AST) -> str:
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

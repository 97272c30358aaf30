"""The package's layout is its pipeline: each step imports only the steps before it, there
are no import circles, and the preview server is reached only by the CLI."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "briefsite"
# Lowest first: a module may import its own step and those before it, never one after.
LAYERS = ["errors", "model", "workers", "read", "anchor", "link", "site", "render", "build"]
LAYERS += ["serve", "cli"]


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(tree: ast.Module) -> Iterator[ast.stmt]:
    """Imports run when the module is loaded: not those under `if TYPE_CHECKING:` or inside
    functions (deferred on purpose, and not a circle at load time)."""
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.Try):
            yield from (n for n in node.body if isinstance(n, ast.Import | ast.ImportFrom))


def _imports(path: Path, everywhere: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = ast.walk(tree) if everywhere else _top_level_imports(tree)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            # `from briefsite.build import briefs` imports the module briefsite.build.briefs
            names += [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found.update(n for n in names if n.startswith("briefsite."))
    return found


def _modules() -> dict[str, Path]:
    return {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str:
    return module.split(".")[1]


def test_every_step_imports_only_itself_and_the_steps_before_it() -> None:
    modules = _modules()
    assert {_layer(m) for m in modules if m.count(".") >= 1} - {"__main__"} <= set(LAYERS)
    upward = [
        f"{module} imports {target}"
        for module, path in modules.items()
        if module.count(".") >= 1 and _layer(module) in LAYERS
        for target in sorted(_imports(path, everywhere=True))
        if _layer(target) in LAYERS and LAYERS.index(_layer(target)) > LAYERS.index(_layer(module))
    ]
    assert upward == []


def test_no_module_imports_itself_round_a_circle() -> None:
    modules = _modules()
    graph = {
        m: {t for t in _imports(p, everywhere=False) if t in modules} for m, p in modules.items()
    }
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: being visited, 2: done

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_the_preview_server_is_reached_only_by_the_command_line() -> None:
    reached = sorted(
        module
        for module, path in _modules().items()
        if not module.startswith(("briefsite.serve", "briefsite.cli"))
        and any(_layer(t) == "serve" for t in _imports(path, everywhere=True) if "." in t)
    )
    assert reached == []

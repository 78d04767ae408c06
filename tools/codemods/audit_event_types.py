"""Codemod: `AuditEventType.X` (the old list of every app's audit event types in tafel/core/models.py) becomes
the owning app's class, `CaseEvent.X`, `MeetingEvent.X`, ... (issue 13 item 3; docs/decisions/0008).

Run it from the repository root, with the project's virtualenv:

    .venv/bin/python tools/codemods/audit_event_types.py            # rewrite tafel/, tests/, bench/
    .venv/bin/python tools/codemods/audit_event_types.py --check    # only list the files it would change
    .venv/bin/python tools/codemods/audit_event_types.py some/file.py other/dir   # only these

It is idempotent: a file without `AuditEventType` is left alone, and a class already imported is not imported
twice, so it is safe to run again after a merge brought in code that still says `AuditEventType.X` (run it,
then `git diff`, the tests of the touched apps and `lint-imports`).

What it does, per file:
- reads which class owns which member from the apps' `tafel/<app>/audit_events.py` (parsed, not imported, so
  Django need not start; a member no class owns is reported and left as it was);
- rewrites every `AuditEventType.NAME` to `<Class>.NAME`;
- drops `AuditEventType` from `from tafel.core.models import ...` (the whole line when nothing else is left)
  and puts `from tafel.<app>.audit_events import <Class>` in its place, at the same indentation (a function's
  local import stays local); a file with references but no such import gets the imports after its last
  top-level import;
- runs `ruff check --select I001,F401 --fix` and `ruff format` on the files it changed (import order; a class
  a module-level import no longer needs).

What it leaves for a hand fix, and lists at the end (exit status 1): any other use of the name, such as
`AuditEventType(code)`, `AuditEventType.choices`, `getattr(AuditEventType, name)` or a type annotation; read
those from `tafel.core.registry` (`audit_event_type`, `audit_event_choices`) or the app's class. The import
of `AuditEventType` stays in such a file, so the module fails loudly until it is fixed.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATHS = ("tafel", "tests", "bench")
OLD = "AuditEventType"
REF = re.compile(r"\bAuditEventType\.([A-Z][A-Z0-9_]*)\b")
OLD_MODULE = "tafel.core.models"


def owners() -> dict[str, tuple[str, str]]:
    """Member name -> (module, class), from every app's audit_events.py."""
    table: dict[str, tuple[str, str]] = {}
    for path in sorted((ROOT / "tafel").glob("*/audit_events.py")):
        module = f"tafel.{path.parent.name}.audit_events"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                    name = stmt.targets[0].id
                    if name.isupper():
                        if name in table:
                            sys.exit(f"{name} is in both {table[name]} and {module}.{node.name}")
                        table[name] = (module, node.name)
    if not table:
        sys.exit("No tafel/*/audit_events.py classes found: run this from the repository root.")
    return table


def _imported_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _enclosing(tree: ast.Module, node: ast.stmt) -> ast.AST:
    """The innermost function (or the module) whose body holds `node`."""
    best: ast.AST = tree
    for candidate in ast.walk(tree):
        if isinstance(candidate, ast.FunctionDef | ast.AsyncFunctionDef) and candidate is not node:
            if candidate.lineno <= node.lineno <= candidate.end_lineno:
                if best is tree or candidate.lineno >= best.lineno:
                    best = candidate
    return best


def _import_lines(classes: set[str], table: dict, indent: str) -> list[str]:
    by_module: dict[str, set[str]] = {}
    for member_class in classes:
        module = next(m for m, c in table.values() if c == member_class)
        by_module.setdefault(module, set()).add(member_class)
    return [f"{indent}from {module} import {', '.join(sorted(names))}\n" for module, names in sorted(by_module.items())]


def rewrite(source: str, table: dict) -> tuple[str, list[str]]:
    """The new source and the problems left for a hand fix."""
    problems: list[str] = []
    if OLD not in source:
        return source, problems
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)

    # Which class each line needs (before rewriting), for local imports.
    needed_by_line: dict[int, set[str]] = {}
    for number, line in enumerate(lines, start=1):
        for match in REF.finditer(line):
            owner = table.get(match.group(1))
            if owner is None:
                problems.append(f"line {number}: no app class owns {match.group(1)}")
            else:
                needed_by_line.setdefault(number, set()).add(owner[1])

    def replace(match: re.Match) -> str:
        owner = table.get(match.group(1))
        return f"{owner[1]}.{match.group(1)}" if owner else match.group(0)

    new_lines = [REF.sub(replace, line) for line in lines]
    leftover = [number for number, line in enumerate(new_lines, start=1) if re.search(r"\bAuditEventType\b", line)]

    # The `from tafel.core.models import ... AuditEventType ...` statements, last first (line numbers hold).
    imports = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module == OLD_MODULE
        and any(alias.name == OLD for alias in node.names)
    ]
    import_lines = {n for node in imports for n in range(node.lineno, node.end_lineno + 1)}
    other_uses = [n for n in leftover if n not in import_lines]
    for number in other_uses:
        problems.append(f"line {number}: {new_lines[number - 1].strip()}")
    all_needed = set().union(*needed_by_line.values()) if needed_by_line else set()
    module_bound = _bound_at_module_level(tree)
    at_module = [node for node in imports if _enclosing(tree, node) is tree]
    for node in sorted(imports, key=lambda n: n.lineno, reverse=True):
        scope = _enclosing(tree, node)
        if scope is tree:
            # The first module-level import brings every class the file needs.
            add = all_needed - module_bound if node is min(at_module, key=lambda n: n.lineno) else set()
        elif at_module:
            add = set()
        else:
            in_scope = set().union(
                *(v for k, v in needed_by_line.items() if scope.lineno <= k <= scope.end_lineno), set()
            )
            add = in_scope - module_bound - _imported_names(scope)
        indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)
        keep = [a for a in node.names if a.name != OLD or other_uses]
        replacement = []
        if keep:
            names = ", ".join(a.name if not a.asname else f"{a.name} as {a.asname}" for a in keep)
            replacement.append(f"{indent}from {OLD_MODULE} import {names}\n")
        replacement += _import_lines(add, table, indent)
        new_lines[node.lineno - 1 : node.end_lineno] = replacement
    if not imports and all_needed - module_bound:
        after = max((n.end_lineno for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)), default=0)
        new_lines[after:after] = _import_lines(all_needed - module_bound, table, "")
    return "".join(new_lines), problems


def _bound_at_module_level(tree: ast.Module) -> set[str]:
    """The names the module's top-level imports bind (also inside a top-level `if` or `try`)."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _enclosing(tree, node) is tree:
            bound.update(alias.asname or alias.name for alias in node.names)
    return bound


def files(paths: list[str]) -> list[Path]:
    out = []
    for raw in paths:
        path = (ROOT / raw) if not Path(raw).is_absolute() else Path(raw)
        candidates = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for candidate in candidates:
            rel = candidate.relative_to(ROOT).as_posix()
            if candidate.name == "audit_events.py" or "/migrations/" in rel or rel.startswith("tools/"):
                continue
            out.append(candidate)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS))
    parser.add_argument("--check", action="store_true", help="list the files that would change; write nothing")
    args = parser.parse_args(argv)
    table = owners()
    changed: list[Path] = []
    problems: dict[Path, list[str]] = {}
    for path in files(args.paths):
        source = path.read_text(encoding="utf-8")
        new, issues = rewrite(source, table)
        if issues:
            problems[path] = issues
        if new != source:
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in changed:
        print(("would change " if args.check else "changed ") + path.relative_to(ROOT).as_posix())
    if changed and not args.check:
        ruff = str(ROOT / ".venv" / "bin" / "ruff")
        names = [str(p) for p in changed]
        subprocess.run([ruff, "check", "--quiet", "--select", "I001,F401", "--fix", *names], cwd=ROOT, check=False)  # noqa: S603 (our own ruff, our paths)
        subprocess.run([ruff, "format", "--quiet", *names], cwd=ROOT, check=False)  # noqa: S603 (our own ruff, our paths)
    for path, issues in problems.items():
        for issue in issues:
            print(f"FIX BY HAND {path.relative_to(ROOT).as_posix()}: {issue}")
    print(f"{len(changed)} file(s) {'to change' if args.check else 'changed'}, {len(problems)} to fix by hand.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

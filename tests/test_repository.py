"""The repository itself: what a newcomer reads and installs."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)


def tracked_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode == 0:
        return [ROOT / name for name in listed.stdout.decode().split("\0") if name]
    # Not a git checkout (an unpacked archive): every file but the virtual environments'.
    return [p for p in ROOT.rglob("*") if p.is_file() and not any(part.startswith(".venv") for part in p.parts)]


def test_no_merge_conflict_markers():
    conflicted = []
    for path in tracked_files():
        if path.suffix in {".mo", ".png", ".ico", ".pdf", ".docx", ".odt"} or path.name.endswith(".min.js"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        conflicted += [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}" for m in MARKER.finditer(text)]
    assert conflicted == []


def test_the_lock_files_pin_every_package_with_hashes():
    for lock in ("requirements/app.txt", "requirements/test.txt"):
        text = (ROOT / lock).read_text()
        pins = re.findall(r"^([A-Za-z0-9_.-]+)==\S+", text, re.MULTILINE)
        assert pins, lock
        # Every requirement line is followed by its hashes, so pip installs in --require-hashes mode.
        for block in re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n", 2)[2]):
            assert "--hash=sha256:" in block, block.splitlines()[0]


def _pinned(lock: str) -> set[str]:
    text = (ROOT / lock).read_text()
    return {_name(pin) for pin in re.findall(r"^([A-Za-z0-9_.-]+)==", text, re.MULTILINE)}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def test_the_lock_files_hold_every_dependency_of_pyproject():
    """A dependency added to pyproject.toml without `make lock` would be missing on a fresh machine."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    app = {_name(r) for r in project["dependencies"]}
    test = app | {_name(r) for r in project["optional-dependencies"]["test"]}
    assert app - _pinned("requirements/app.txt") == set()
    assert test - _pinned("requirements/test.txt") == set()

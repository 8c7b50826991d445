"""Where Kabar keeps its home, found the same way from any directory.

``KABAR_HOME`` when set; else the nearest ``.kabar`` folder in the working directory or one above it
(a project's home, as git finds ``.git``); else a per-user data folder, ``$XDG_DATA_HOME/kabar``
(default ``~/.local/share/kabar``). ``kabar sql`` run from a sub-folder of the project, or from
anywhere once a per-user home exists, reads the same warehouse as the run that wrote it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

HOME_FOLDER = ".kabar"


@dataclass(frozen=True)
class Home:
    path: Path
    how: str   # how it was found, for messages that must say where Kabar looked


def find_home(env: Mapping[str, str], cwd: Path | None = None) -> Home:
    """The home folder and how it was found (see the module docstring)."""
    if env.get("KABAR_HOME"):
        return Home(Path(env["KABAR_HOME"]).absolute(), "KABAR_HOME")
    start = (cwd or Path.cwd()).absolute()
    for folder in (start, *start.parents):
        if (folder / HOME_FOLDER).is_dir():
            return Home(folder / HOME_FOLDER, f"the nearest {HOME_FOLDER} from {start}")
    return Home(user_data_dir(env) / "kabar",
                f"no KABAR_HOME and no {HOME_FOLDER} in {start} or above, so the per-user folder")


def user_data_dir(env: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME``, else ``~/.local/share`` (the XDG base directory default)."""
    base = env.get("XDG_DATA_HOME")
    return Path(base).absolute() if base else Path(env.get("HOME") or Path.home()) / ".local" / "share"

"""A mirrored site's /.well-known/tdmrep.json: which TDMRep entry covers each page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..model import SiteTdmRep

WELL_KNOWN = (".well-known", "tdmrep.json")


@dataclass(frozen=True, slots=True)
class SitePolicy:
    """The entries of one tdmrep.json, in order (the first matching location wins)."""

    root: str
    """The site's root folder as shown to the user."""
    file: str
    entries: tuple[tuple[re.Pattern[str], SiteTdmRep], ...]
    problem: str | None = None

    def covering(self, url_path: str) -> SiteTdmRep | None:
        for pattern, entry in self.entries:
            if pattern.match(url_path):
                return entry
        return None


def location_pattern(location: str) -> re.Pattern[str]:
    """robots.txt-style path pattern: ``*`` is any run of characters, a final ``$`` anchors."""
    anchored = location.endswith("$")
    body = location[:-1] if anchored else location
    regex = ".*".join(re.escape(part) for part in body.split("*"))
    return re.compile(regex + ("$" if anchored else ""))


def load_site_policy(site_root: Path, shown_root: str) -> SitePolicy | None:
    """The site policy under ``site_root``, if it has a tdmrep.json."""
    path = site_root.joinpath(*WELL_KNOWN)
    if not path.is_file():
        return None
    shown = str(Path(shown_root, *WELL_KNOWN))
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return SitePolicy(shown_root, shown, (), f"{shown}: unreadable tdmrep.json ignored: {e}")
    if not isinstance(data, list):
        return SitePolicy(
            shown_root, shown, (), f"{shown}: tdmrep.json must be a JSON array; ignored"
        )
    entries = []
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("location"), str):
            continue
        reservation = item.get("tdm-reservation")
        policy = item.get("tdm-policy")
        entry = SiteTdmRep(
            file=shown,
            location=item["location"],
            reservation=str(reservation),
            policy=policy if isinstance(policy, str) else None,
        )
        entries.append((location_pattern(item["location"]), entry))
    return SitePolicy(shown_root, shown, tuple(entries))

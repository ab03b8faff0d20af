"""Generate data/agents.csv: the sample center's named agents, deterministically.

About 420 frontline agents (voice and chat) and 55 backoffice agents (email), a mix of full-time
(30-40 hours a week) and part-time (12-30 hours) contracts, with early, day, late and flexible
availability windows and some weekday-only or weekend-heavy rotas. Run from the project root::

    python data/generate_agents.py            # writes data/agents.csv
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "agents.csv"
ALL_DAYS = "Mon Tue Wed Thu Fri Sat Sun"
WEEKDAYS = "Mon Tue Wed Thu Fri"
WINDOWS = {  # name: (available_from, available_to, preferred starts)
    "early": ("06:00", "16:00", ["06:00", "07:00"]),
    "day": ("07:00", "20:00", ["08:00", "09:00"]),
    "late": ("12:00", "24:00", ["13:00", "14:00"]),
    "flexible": ("06:00", "30:00", ["", "10:00"]),
}


def agents(seed: int = 20260105) -> list[dict[str, str]]:
    """Rows of the agents file, the same on every run."""
    rng = random.Random(seed)
    rows = []
    for number in range(1, 421):
        full = rng.random() < 0.6
        window = rng.choices(list(WINDOWS), weights=[3, 4, 3, 2])[0]
        days = ALL_DAYS if full and rng.random() < 0.7 else WEEKDAYS if full else rng.choice(
            [ALL_DAYS, "Thu Fri Sat Sun", "Fri Sat Sun", "Mon Tue Wed Sat Sun"])
        start, end, preferred = WINDOWS[window]
        rows.append({"agent_id": f"F{number:03d}", "group": "frontline",
                     "min_hours": "30" if full else rng.choice(["12", "16"]),
                     "max_hours": rng.choice(["37.5", "40"]) if full else rng.choice(["24", "30"]),
                     "days": days, "available_from": start, "available_to": end,
                     "preferred_start": rng.choice(preferred)})
    for number in range(1, 56):
        full = rng.random() < 0.75
        rows.append({"agent_id": f"B{number:03d}", "group": "backoffice", "min_hours": "30" if full else "12",
                     "max_hours": "40" if full else "24", "days": WEEKDAYS if rng.random() < 0.6 else ALL_DAYS,
                     "available_from": "07:00", "available_to": "21:00",
                     "preferred_start": rng.choice(["08:00", "09:00", ""])})
    return rows


def main() -> None:
    rows = agents()
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} agents to {OUT}")


if __name__ == "__main__":
    main()

"""``wfm erlang``: size one interval, or report what a given headcount delivers."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from wfm.cli import cli
from wfm.errors import InputError
from wfm.plain import to_plain
from wfm.staffing import size_interval

_LABELS = {"erlangs": "offered load (Erlangs)", "agents": "productive agents",
           "scheduled_agents": "scheduled agents (shrinkage {shrinkage:.0%})",
           "service_level": "service level (answered within {answer_seconds:g} s)",
           "asa_seconds": "average speed of answer (s)", "p_wait": "probability of waiting",
           "occupancy": "occupancy", "p_abandon": "probability of abandoning"}


@cli.command("erlang")
@click.option("--calls", type=float, required=True, help="Contacts offered in the interval.")
@click.option("--aht-seconds", type=float, required=True, help="Average handle time in seconds.")
@click.option("--interval-minutes", type=float, required=True, help="Interval length in minutes.")
@click.option("--service-level", type=float, required=True, help="Target share answered in time, e.g. 0.8.")
@click.option("--answer-seconds", type=float, required=True, help="Answer-time threshold of the target, e.g. 20.")
@click.option("--max-occupancy", type=float, default=1.0, show_default=True, help="Cap on agent occupancy.")
@click.option("--shrinkage", type=float, default=0.0, show_default=True, help="Share of paid time unavailable.")
@click.option("--patience-seconds", type=float, help="Mean caller patience: use Erlang A (abandonment).")
@click.option("--concurrency", type=int, default=1, show_default=True, help="Contacts an agent handles at once.")
@click.option("--agents", type=int, help="Report the metrics for this headcount instead of sizing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def erlang_command(calls: float, aht_seconds: float, interval_minutes: float, service_level: float,
                   answer_seconds: float, max_occupancy: float, shrinkage: float, patience_seconds: float | None,
                   concurrency: int, agents: int | None, as_json: bool) -> None:
    """Agents needed for one interval under Erlang C (or Erlang A with --patience-seconds)."""
    try:
        sized = size_interval(calls, aht_seconds, interval_minutes, service_level, answer_seconds,
                              max_occupancy=max_occupancy, shrinkage=shrinkage, patience_seconds=patience_seconds,
                              concurrency=concurrency, agents=agents)
    except InputError as exc:
        raise click.BadParameter(exc.problem, param_hint=f"--{exc.field.replace('_', '-')}") from None
    # JSON has no infinity: an unstable queue's ASA is reported as null.
    result = {key: to_plain(round(value, 6) if isinstance(value, float) else value)
              for key, value in asdict(sized).items() if key != "erlang_a" and (key != "p_abandon" or sized.erlang_a)}
    if as_json:
        click.echo(json.dumps(result))
        return
    for key, value in result.items():
        label = _LABELS[key].format(shrinkage=shrinkage, answer_seconds=answer_seconds)
        shown = "unstable (inf)" if value is None else (f"{value:.4f}" if isinstance(value, float) else value)
        click.echo(f"{label:<44} {shown}")

"""``wfm erlang``: size one interval, or report what a given headcount delivers."""

from __future__ import annotations

import json
import math

import click

from wfm.cli import cli
from wfm.config import parse_config
from wfm.errors import ConfigError
from wfm.staffing import queue_metrics, required_agents, scheduled_agents


def _describe(value: float) -> float | None:
    """JSON has no infinity: an unstable queue's ASA is reported as null."""
    return None if not math.isfinite(value) else round(value, 6)


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
    _validate(calls, aht_seconds, interval_minutes, service_level, answer_seconds, max_occupancy, shrinkage,
              patience_seconds, concurrency)
    if agents is not None and agents < 0:
        raise click.BadParameter(f"must be >= 0, got {agents}", param_hint="--agents")
    if agents is None:
        agents = int(required_agents(calls, aht_seconds, interval_minutes, service_level, answer_seconds,
                                     max_occupancy, patience_seconds=patience_seconds, concurrency=concurrency))
    metrics = queue_metrics(agents, calls, aht_seconds, interval_minutes, answer_seconds,
                            patience_seconds=patience_seconds, concurrency=concurrency)
    result: dict[str, float | int | None] = {
        "erlangs": _describe(float(metrics.erlangs)),
        "agents": agents,
        "scheduled_agents": int(scheduled_agents(agents, shrinkage)),
        "service_level": _describe(float(metrics.service_level)),
        "asa_seconds": _describe(float(metrics.asa_seconds)),
        "p_wait": _describe(float(metrics.p_wait)),
        "occupancy": _describe(float(metrics.occupancy)),
    }
    if patience_seconds is not None:
        result["p_abandon"] = _describe(float(metrics.p_abandon))
    if as_json:
        click.echo(json.dumps(result))
        return
    labels = {"erlangs": "offered load (Erlangs)", "agents": "productive agents",
              "scheduled_agents": f"scheduled agents (shrinkage {shrinkage:.0%})",
              "service_level": f"service level (answered within {answer_seconds:g} s)",
              "asa_seconds": "average speed of answer (s)", "p_wait": "probability of waiting",
              "occupancy": "occupancy", "p_abandon": "probability of abandoning"}
    for key, value in result.items():
        shown = "unstable (inf)" if value is None else (f"{value:.4f}" if isinstance(value, float) else value)
        click.echo(f"{labels[key]:<44} {shown}")


def _validate(calls: float, aht_seconds: float, interval_minutes: float, service_level: float,
              answer_seconds: float, max_occupancy: float, shrinkage: float, patience_seconds: float | None,
              concurrency: int) -> None:
    """Check the options with the config's own rules, so messages match the config file's."""
    if calls < 0 or not math.isfinite(calls):
        raise click.BadParameter(f"must be >= 0, got {calls:g}", param_hint="--calls")
    if not 0 < aht_seconds < math.inf:
        raise click.BadParameter(f"must be > 0 and finite, got {aht_seconds:g}", param_hint="--aht-seconds")
    if not 0 < interval_minutes < math.inf:
        raise click.BadParameter(f"must be > 0 and finite, got {interval_minutes:g}", param_hint="--interval-minutes")
    if not math.isfinite(calls * aht_seconds / interval_minutes):
        raise click.BadParameter("calls x AHT is not a finite load; check the units", param_hint="--aht-seconds")
    channel = {"kind": "chat" if concurrency > 1 else "voice", "service_level": service_level,
               "answer_seconds": answer_seconds, "max_occupancy": max_occupancy, "concurrency": concurrency,
               "shrinkage": shrinkage}
    if patience_seconds is not None:
        channel["patience_seconds"] = patience_seconds
    try:
        parse_config({"timezone": "UTC", "channels": {"queue": channel}}, source="options")
    except ConfigError as exc:
        key, _, problem = str(exc).partition("channels.queue.")[2].partition(": ")
        raise click.BadParameter(problem, param_hint=f"--{key.replace('_', '-')}") from None

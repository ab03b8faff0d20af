"""Plotly figures of plans and their frames, shared by ``report.html`` and the dashboard.

They reshape and draw; they compute nothing a plan depends on. Times are shown in the planning timezone.
Plotly reads a few HTML tags in every label (``<a href>``, ``<b>``, ``<br>``...): user text (channel, group,
agent, break, holiday and scenario names, titles made from them) goes through :func:`plain` first.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

BAND = "rgba(31, 119, 180, 0.18)"
HOLIDAY = "rgba(214, 39, 40, 0.10)"
LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "hovermode": "x unified",
          "legend": {"orientation": "h", "y": -0.15}}


def plain(text: object) -> str:
    """User text shown as itself in a plotly label (title, legend, tick, hover, annotation): ``<``, ``>``, ``&``
    escaped, so ``<a href=...>`` is text, never a link."""
    return html.escape(str(text), quote=False)


def _plain_all(values: pd.Series) -> pd.Series:
    return values.map(plain)


def local(stamps: pd.Series, zone: str) -> pd.Series:
    """Timestamps shown in the planning timezone."""
    return stamps.dt.tz_convert(zone)


def on_grid(history: pd.DataFrame, column: str, interval_minutes: int) -> pd.Series:
    """A history column on the full interval grid, closed (absent) intervals as gaps rather than joined lines."""
    series = history.set_index("interval_start")[column]
    return series.asfreq(f"{interval_minutes}min") if len(series) else series


def requirement_heatmap(required: pd.DataFrame, zone: str, value: str = "agents") -> go.Figure:
    """Agents per interval as a day x time-of-day heatmap."""
    stamps = local(required["interval_start"], zone)
    grid = (pd.DataFrame({"day": stamps.dt.strftime("%a %d %b"), "date": stamps.dt.date,
                          "time": stamps.dt.strftime("%H:%M"), "value": required[value].to_numpy()})
            .pivot_table(index=["date", "day"], columns="time", values="value", aggfunc="sum", fill_value=0)
            .sort_index(axis=1))
    figure = go.Figure(go.Heatmap(z=grid.to_numpy(), x=list(grid.columns), y=grid.index.get_level_values("day"),
                                  colorscale="Blues", colorbar={"title": value.replace("_", " ")},
                                  hovertemplate="%{y} %{x}: %{z} agents<extra></extra>"))
    figure.update_layout(**LAYOUT, title="Required agents per interval", yaxis={"autorange": "reversed"})
    return figure


def requirement_curve(required: pd.DataFrame, zone: str) -> go.Figure:
    """Productive and scheduled agents over the week, with the forecast volume."""
    x = local(required["interval_start"], zone)
    figure = go.Figure()
    figure.add_scatter(x=x, y=required["scheduled_agents"], name="scheduled (after shrinkage)", line_shape="hv")
    figure.add_scatter(x=x, y=required["agents"], name="productive agents", line_shape="hv")
    figure.add_scatter(x=x, y=required["volume"], name="volume", yaxis="y2", line={"dash": "dot", "width": 1})
    figure.update_layout(**LAYOUT, title="Agents required over the week", yaxis={"title": "agents"},
                         yaxis2={"title": "contacts", "overlaying": "y", "side": "right", "showgrid": False,
                                 "automargin": True})
    return figure


def service_curve(agents: np.ndarray, service_level: np.ndarray, occupancy: np.ndarray, target: float,
                  required: int) -> go.Figure:
    """Service level (and occupancy) against headcount, with the target and the required headcount."""
    figure = go.Figure()
    figure.add_scatter(x=agents, y=service_level, name="service level", mode="lines+markers")
    figure.add_scatter(x=agents, y=occupancy, name="occupancy", mode="lines", line={"dash": "dot"})
    figure.add_hline(y=target, line={"dash": "dash", "color": "gray"}, annotation_text=f"target {target:.0%}")
    figure.add_vline(x=required, line={"dash": "dash", "color": "green"}, annotation_text=f"{required} agents")
    figure.update_layout(**LAYOUT, title="Service level vs agents", xaxis={"title": "productive agents"},
                         yaxis={"title": "share", "tickformat": ".0%", "range": [0, 1.02]})
    return figure


def forecast_chart(history: pd.DataFrame, forecast: pd.DataFrame, zone: str, interval_minutes: int,
                   holidays: Mapping[dt.date, str] | None = None, title: str = "Contacts per interval",
                   history_name: str = "history") -> go.Figure:
    """One channel's recent history (or actuals: ``history_name``), the forecast and its 80% band; holidays
    shaded."""
    figure = go.Figure()
    x = local(forecast["interval_start"], zone)
    # Where nothing can arrive (closed hours: the band's top is zero) the forecast line breaks, as the history's
    # does; the band stays whole (a filled area bridges gaps with slanted edges).
    closed = forecast["volume_hi"] <= 0
    figure.add_scatter(x=x, y=forecast["volume_hi"], line={"width": 0}, showlegend=False, hoverinfo="skip")
    figure.add_scatter(x=x, y=forecast["volume_lo"], line={"width": 0}, fill="tonexty", fillcolor=BAND,
                       name="80% interval")
    volume = on_grid(history, "volume", interval_minutes)
    figure.add_scatter(x=volume.index.tz_convert(zone), y=volume.to_numpy(), name=history_name,
                       line={"color": "gray", "width": 1})
    figure.add_scatter(x=x, y=forecast["volume"].mask(closed), name="forecast", line={"color": "#1f77b4"})
    for day, name in (holidays or {}).items():
        start = pd.Timestamp(day).tz_localize(zone)
        figure.add_vrect(x0=start, x1=start + pd.Timedelta(days=1), fillcolor=HOLIDAY, line_width=0,
                         annotation_text=plain(name), annotation_position="top left")
    figure.update_layout(**LAYOUT, title=plain(title), yaxis={"title": "contacts"})
    return figure


def aht_chart(history: pd.DataFrame, forecast: pd.DataFrame, zone: str, interval_minutes: int) -> go.Figure:
    """Handle time: recent history and the forecast."""
    figure = go.Figure()
    if "aht_seconds" in history:
        aht = on_grid(history, "aht_seconds", interval_minutes)
        figure.add_scatter(x=aht.index.tz_convert(zone), y=aht.to_numpy(), name="history",
                           line={"color": "gray", "width": 1})
    figure.add_scatter(x=local(forecast["interval_start"], zone), y=forecast["aht_seconds"], name="forecast")
    figure.update_layout(**LAYOUT, title="Average handle time", yaxis={"title": "seconds"})
    return figure


def coverage_chart(coverage: pd.DataFrame, zone: str, title: str = "Coverage vs requirement") -> go.Figure:
    """One staff group's agents on shift (net of breaks) against the agents required (after shrinkage)."""
    x = local(coverage["interval_start"], zone)
    figure = go.Figure()
    figure.add_scatter(x=x, y=coverage["required"], name="required", line_shape="hv", line={"color": "#d62728"})
    figure.add_scatter(x=x, y=coverage["scheduled"], name="on shift", line_shape="hv", fill="tozeroy",
                       fillcolor="rgba(44, 160, 44, 0.15)", line={"color": "#2ca02c"})
    figure.update_layout(**LAYOUT, title=plain(title), yaxis={"title": "agents"})
    return figure


def gantt(roster: pd.DataFrame, breaks: pd.DataFrame, zone: str) -> go.Figure:
    """Shifts by agent as horizontal bars, breaks drawn inside them; hover names one bar, the time axis is on top.

    Drag to zoom, double-click to reset: the figure is meant for a page of agents (tens of rows), not a whole
    center at once.
    """
    agents = [plain(agent) for agent in dict.fromkeys(roster["agent_id"])]
    figure = go.Figure()
    _bars(figure, _plain_all(roster["agent_id"]), local(roster["shift_start"], zone), local(roster["shift_end"], zone),
          "shift", "#1f77b4", 0.8)
    within = breaks.merge(roster[["agent_id", "shift_start", "shift_end"]], on="agent_id")
    if not within.empty:
        within = within[(within["break_start"] >= within["shift_start"]) & (within["break_end"] <= within["shift_end"])]
    for kind, part in within.groupby("kind"):
        _bars(figure, _plain_all(part["agent_id"]), local(part["break_start"], zone), local(part["break_end"], zone),
              f"{plain(kind)} break", "#ff7f0e" if kind != "lunch" else "#d62728", 0.45)
    figure.update_layout(**(LAYOUT | {"hovermode": "closest", "legend": {"orientation": "h", "y": 1.0,
                                                                          "yanchor": "bottom", "x": 0.5}}),
                         title="Shifts by agent", barmode="overlay", height=max(300, 20 * len(agents) + 140),
                         yaxis={"categoryorder": "array", "categoryarray": agents[::-1], "title": None},
                         xaxis={"side": "top", "showgrid": True, "dtick": 3_600_000, "tickformat": "%H:%M"})
    return figure


def _bars(figure: go.Figure, who: pd.Series, start: pd.Series, end: pd.Series, name: str, color: str,
          width: float) -> None:
    millis = (end - start).dt.total_seconds().to_numpy() * 1000
    figure.add_bar(y=who, x=millis, base=start, orientation="h", name=name, marker_color=color, width=width,
                   customdata=np.stack([start.dt.strftime("%a %H:%M"), end.dt.strftime("%H:%M")], axis=1),
                   hovertemplate="%{y}<br>" + name + " %{customdata[0]}–%{customdata[1]}<extra></extra>")
    figure.update_xaxes(type="date")


def net_staffing_chart(coverage: pd.DataFrame, zone: str, title: str = "Over and under per interval") -> go.Figure:
    """One staff group's agents on shift minus agents required, per interval: over in green, under in red."""
    x = local(coverage["interval_start"], zone)
    net = (coverage["scheduled"] - coverage["required"]).to_numpy()
    figure = go.Figure(go.Bar(x=x, y=net, marker_color=np.where(net < 0, "#d62728", "#2ca02c"),
                              name="on shift − required",
                              hovertemplate="%{x|%a %H:%M}: %{y:+,d} agents<extra></extra>"))
    figure.update_layout(**(LAYOUT | {"hovermode": "closest"}), title=plain(title), bargap=0,
                         yaxis={"title": "agents over (+) or under (−)"})
    return figure


def intraday_chart(required: pd.DataFrame, projection: pd.DataFrame, zone: str, target: float | None,
                   title: str) -> go.Figure:
    """One channel's day, as an intraday screen: required vs planned agents with over/under bars, the projected
    service level per interval against the target, and occupancy.

    ``required`` holds a requirements frame's rows (``interval_start, agents``) and ``projection`` the plan's
    projection of the same rows (``interval_start, agents, service_level, occupancy``).
    """
    rows = required[["interval_start", "agents"]].merge(
        projection[["interval_start", "agents", "service_level", "occupancy"]], on="interval_start",
        suffixes=("_required", "_planned"))
    x = local(rows["interval_start"], zone)
    net = (rows["agents_planned"] - rows["agents_required"]).to_numpy()
    figure = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06, row_heights=[0.5, 0.25, 0.25],
                           subplot_titles=("Agents: required and planned", "Projected service level",
                                           "Projected occupancy"))
    figure.add_bar(x=x, y=net, name="over / under", marker_color=np.where(net < 0, "#d62728", "#2ca02c"),
                   opacity=0.5, row=1, col=1, hovertemplate="%{x|%H:%M}: %{y:+,d} agents<extra>over / under</extra>")
    figure.add_scatter(x=x, y=rows["agents_required"], name="required", line_shape="hv", line={"color": "#d62728"},
                       row=1, col=1)
    figure.add_scatter(x=x, y=rows["agents_planned"], name="planned", line_shape="hv", line={"color": "#2ca02c"},
                       row=1, col=1)
    figure.add_scatter(x=x, y=rows["service_level"], name="service level", line_shape="hv",
                       line={"color": "#1f77b4"}, row=2, col=1)
    if target is not None:
        figure.add_hline(y=target, line={"dash": "dot", "color": "gray"}, annotation_text=f"target {target:.0%}",
                         row=2, col=1)
    figure.add_scatter(x=x, y=rows["occupancy"], name="occupancy", line_shape="hv", line={"color": "#9467bd"},
                       row=3, col=1)
    figure.update_yaxes(title="agents", row=1, col=1)
    figure.update_yaxes(tickformat=".0%", range=[0, 1.02], row=2, col=1)
    figure.update_yaxes(tickformat=".0%", range=[0, 1.02], row=3, col=1)
    figure.update_layout(**LAYOUT, title=plain(title), height=720, bargap=0)
    return figure


def daily_service_chart(daily: pd.DataFrame, targets: Mapping[str, float | None]) -> go.Figure:
    """Projected service level per queue channel and day (a plan summary's ``daily_table``), with targets."""
    shown = daily.dropna(subset=["projected_service_level"])
    figure = go.Figure()
    by_target: dict[float, list[str]] = {}
    for channel, part in shown.groupby("channel"):
        figure.add_bar(x=part["date"].astype(str), y=part["projected_service_level"], name=plain(channel))
        target = targets.get(str(channel))
        if target is not None:
            by_target.setdefault(target, []).append(str(channel))
    for target, names in by_target.items():
        figure.add_hline(y=target, line_dash="dot", annotation_text=f"target {target:.0%} ({plain(', '.join(names))})")
    figure.update_layout(**LAYOUT, title="Projected service level per day", barmode="group",
                         yaxis={"tickformat": ".0%"})
    return figure


def accuracy_trend_chart(record: pd.DataFrame, title: str = "Forecast accuracy by week") -> go.Figure:
    """Interval and daily wMAPE of the issued forecasts by week (rows of
    :func:`wfm.planning.accuracy.accuracy_record`), each with its Poisson noise floor; weeks without actuals
    are left out."""
    scored = record.dropna(subset=["wmape_interval"])
    figure = go.Figure()
    for column, name, style in (("wmape_interval", "interval wMAPE", {"color": "#1f77b4"}),
                                ("floor_interval", "interval noise floor", {"color": "#1f77b4", "dash": "dot"}),
                                ("wmape_daily", "daily wMAPE", {"color": "#ff7f0e"}),
                                ("floor_daily", "daily noise floor", {"color": "#ff7f0e", "dash": "dot"})):
        figure.add_scatter(x=scored["week"], y=scored[column], name=name, line=style, mode="lines+markers")
    figure.update_layout(**LAYOUT, title=plain(title), yaxis={"title": "wMAPE", "tickformat": ".0%"},
                         xaxis={"type": "category"})
    return figure


def capacity_chart(weekly: pd.DataFrame, title: str = "Required and available FTE per week") -> go.Figure:
    """One staff group's capacity plan: required FTE, available FTE (with overtime), the gap, and hires."""
    x = pd.to_datetime(weekly["week"])
    figure = go.Figure()
    figure.add_bar(x=x, y=weekly["hires_starting"], name="hires starting (people)", yaxis="y2",
                   marker_color="rgba(148, 103, 189, 0.45)", hovertemplate="%{y} hires<extra></extra>")
    figure.add_bar(x=x, y=weekly["gap_fte"], name="short (FTE)", marker_color="rgba(214, 39, 40, 0.6)",
                   hovertemplate="short %{y:,.1f} FTE<extra></extra>")
    figure.add_scatter(x=x, y=weekly["required_fte"], name="required FTE", line={"color": "#d62728"},
                       line_shape="hv", hovertemplate="required %{y:,.1f} FTE<extra></extra>")
    figure.add_scatter(x=x, y=weekly["available_fte"] + weekly["overtime_fte"], name="available FTE (with overtime)",
                       line={"color": "#2ca02c"}, line_shape="hv", fill="tozeroy", fillcolor="rgba(44, 160, 44, 0.12)",
                       hovertemplate="available %{y:,.1f} FTE<extra></extra>")
    most_hires = max(1, int(weekly["hires_starting"].max()))
    figure.update_layout(**LAYOUT, title=plain(title),
                         yaxis={"title": "FTE", "rangemode": "tozero", "automargin": True},
                         yaxis2={"title": "hires (people)", "overlaying": "y", "side": "right", "showgrid": False,
                                 "automargin": True,  # the right-hand title is not cut at the plot's edge
                                 "tickformat": "d", "range": [0, most_hires * 1.2], "tick0": 0,
                                 "dtick": max(1, math.ceil(most_hires / 5))},  # whole people: no "0 0 1 1" ticks
                         xaxis={"title": "week starting"})
    return figure


def _padded(values: list[float], share: float = 0.12, floor: float = 0.0) -> list[float] | None:
    """An axis range around ``values`` with room for labels; one value or a tiny spread gets a sensible width."""
    shown = [v for v in values if v == v]
    if not shown:
        return None
    low, high = min(shown), max(shown)
    width = max(high - low, abs(high) * 0.05, floor)
    return [low - share * width, high + share * width]


def workspace_chart(points: pd.DataFrame, frontier: pd.DataFrame | None, currency_symbol: str) -> go.Figure:
    """Weekly cost against service level: solved scenarios, estimated ones (marked), and the risk frontier.

    ``points``: ``name, cost, service_level, solved`` (bool) per scenario; ``frontier``: ``risk, cost,
    service_level`` per probability (estimates). Axes are padded so that labels are never cut off, and a
    single point still gets a readable axis (at least 5% of its cost wide).
    """
    figure = go.Figure()
    for solved, basis, symbol in ((True, "solved schedule", "circle"), (False, "estimate, not solved", "circle-open")):
        part = points[points["solved"] == solved]
        if part.empty:
            continue
        figure.add_scatter(x=part["cost"], y=part["service_level"], text=_plain_all(part["name"]),
                           mode="markers+text", textposition="top center", name=f"Scenario ({basis})", cliponaxis=False,
                           marker={"size": 14, "symbol": symbol, "line": {"width": 2}},
                           hovertemplate=f"%{{text}} ({basis})<br>weekly cost {currency_symbol}%{{x:,.0f}}<br>"
                                         "service level %{y:.1%}<extra></extra>")
    costs, levels = list(points["cost"]), list(points["service_level"])
    if frontier is not None and not frontier.empty:
        figure.add_scatter(x=frontier["cost"], y=frontier["service_level"], mode="lines+markers+text",
                           text=[f"{p:.0%}" for p in frontier["risk"]], textposition="bottom right",
                           name="Risk frontier (estimate): chance each interval meets its target", cliponaxis=False,
                           line={"dash": "dot"}, marker={"size": 8},
                           hovertemplate=f"staffed to a %{{text}} chance per interval<br>weekly cost "
                                         f"{currency_symbol}%{{x:,.0f}}<br>service level %{{y:.1%}}<extra></extra>")
        costs += list(frontier["cost"])
        levels += list(frontier["service_level"])
    figure.update_layout(**{**LAYOUT, "margin": {"l": 70, "r": 40, "t": 60, "b": 60}, "hovermode": "closest",
                            "legend": {"orientation": "h", "y": -0.25}},
                         title="Cost vs service level (weekly cost, service level at the forecast volume)", height=480,
                         xaxis={"title": f"Weekly cost ({currency_symbol})", "tickformat": ",.0f",
                                "range": _padded(costs), "tickprefix": currency_symbol},
                         yaxis={"title": "Service level at the forecast volume",
                                "tickformat": ".1%" if levels and max(levels) - min(levels) < 0.05 else ".0%",
                                "range": _padded(levels, 0.2, 0.02)})
    return figure

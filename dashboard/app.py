"""The wfm dashboard: ``streamlit run dashboard/app.py``. This file only routes.

Each page lives in views/; a folder named pages/ would also be listed by Streamlit's own page discovery.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "views"

# Streamlit runs this script as ``__main__``. The forecast's worker processes import the caller's main script
# again (as ``__mp_main__``) before they start: there, nothing must be drawn or run.
if __name__ == "__main__":
    st.set_page_config(page_title="wfm planning", page_icon=":material/support_agent:", layout="wide")
    navigation = st.navigation({
        "Plan": [
            st.Page(PAGES / "data.py", title="Data", icon=":material/database:", default=True),
            st.Page(PAGES / "forecast.py", title="Forecast", icon=":material/show_chart:"),
            st.Page(PAGES / "staffing.py", title="Staffing what-if", icon=":material/groups:"),
            st.Page(PAGES / "schedule.py", title="Schedule", icon=":material/calendar_month:"),
        ],
        "Decide": [
            st.Page(PAGES / "scenarios.py", title="Scenarios", icon=":material/compare_arrows:"),
            st.Page(PAGES / "capacity.py", title="Capacity", icon=":material/trending_up:"),
            st.Page(PAGES / "exports.py", title="Exports", icon=":material/download:"),
        ],
    })
    navigation.run()

"""Widgets whose values survive switching pages (Streamlit forgets the state of widgets it did not draw)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st


def kept(widget: Callable[..., Any], label: str, key: str, default: Any, **kwargs: Any) -> Any:
    """Draw ``widget(label, key=key, **kwargs)`` starting from its last value in this session (else ``default``).

    A remembered choice that is no longer among the ``options`` (another channel, another config) falls back to
    ``default``; for a multiselect, the choices still offered are kept.
    """
    memory = f"kept:{key}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(memory, default)
    options = kwargs.get("options")
    if options is not None:
        offered = list(options)
        value = st.session_state[key]
        if isinstance(value, list):
            st.session_state[key] = [v for v in value if v in offered]
        elif value not in offered:
            st.session_state[key] = default
    value = widget(label, key=key, **kwargs)
    st.session_state[memory] = value
    return value

"""Widgets whose values survive switching pages (Streamlit forgets the state of widgets it did not draw)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st


def kept(widget: Callable[..., Any], label: str, key: str, default: Any, **kwargs: Any) -> Any:
    """Draw ``widget(label, key=key, **kwargs)`` starting from its last value in this session (else ``default``)."""
    memory = f"kept:{key}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(memory, default)
    value = widget(label, key=key, **kwargs)
    st.session_state[memory] = value
    return value

"""Entry point of ``pfm-codesign app``: five pages under one navigation."""
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="pfm-codesign", page_icon=":material/blur_on:", layout="wide")
HERE = Path(__file__).parent / "pages"
navigation = st.navigation([
    st.Page(HERE / "explore.py", title="Explore", icon=":material/scatter_plot:", default=True),
    st.Page(HERE / "scaling.py", title="Scaling", icon=":material/show_chart:"),
    st.Page(HERE / "robustness.py", title="Robustness", icon=":material/shield:"),
    st.Page(HERE / "assumptions.py", title="Assumptions", icon=":material/menu_book:"),
    st.Page(HERE / "studies.py", title="Studies", icon=":material/storage:"),
])
navigation.run()

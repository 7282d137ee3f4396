"""Entry point of ``pfm-codesign app``: four pages under one navigation."""
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="pfm-codesign", page_icon="🔬", layout="wide")
HERE = Path(__file__).parent / "pages"
navigation = st.navigation([
    st.Page(HERE / "explore.py", title="Explore", icon="🎯", default=True),
    st.Page(HERE / "scaling.py", title="Scaling", icon="📈"),
    st.Page(HERE / "assumptions.py", title="Assumptions", icon="📚"),
    st.Page(HERE / "studies.py", title="Studies", icon="🗄️"),
])
navigation.run()

"""Assumptions: every assumption of every model, with value, unit, range and source."""
import streamlit as st

from codesign.explore import assumption_catalog

st.title("Assumptions")
st.caption("Values in SI units; each row names its source. Presets override some of them.")


@st.cache_data(show_spinner=False)
def catalog():
    return assumption_catalog()


table = catalog()
models = ["all", *table["model"].unique()]
model = st.selectbox("Model", models, key="assumption_model")
shown = table if model == "all" else table[table["model"] == model]
st.dataframe(shown, key="assumption_table", hide_index=True, width="stretch")

"""Scaling: each platform's best metrics against P, with the paper's Table 1 and crossovers."""
import streamlit as st

from codesign.app.widgets import pick_objectives, pick_platforms
from codesign.platform import Platform
from codesign.explore import scaling
from codesign.outputs.figures import scaling_lines

st.title("Scaling with model size")
st.caption("Best feasible value of each objective at each scale, from dense sampling of every "
           "design space (2¹⁴ Sobol designs per platform); stars are the paper's Table 1.")

with st.sidebar:
    choices = pick_platforms("scaling_platforms")
    low, high = st.select_slider("Scales (log₁₀ P)", options=list(range(9, 22)), value=(9, 21),
                                 key="scaling_range")
    objectives = pick_objectives("scaling_objectives",
                                 ["energy_per_inference", "time_per_inference"])


@st.cache_data(show_spinner="Sampling the design spaces…")
def cached_scaling(models: tuple, scales: tuple, objectives: tuple):
    return scaling([Platform(*m) for m in models], list(scales), list(objectives))


if not choices or len(objectives) < 2:
    st.info("Choose platforms and at least two objectives.")
    st.stop()
best, crossings = cached_scaling(tuple((c.model, c.preset) for c in choices),
                                 tuple(float(10**k) for k in range(low, high + 1)),
                                 tuple(objectives))
if best.empty:
    st.warning("No feasible design at any of these scales.")
    st.stop()
for objective in objectives:
    st.plotly_chart(scaling_lines(best, objective, platforms=choices), key=f"scaling:{objective}", width="stretch")
st.subheader("Crossovers")
if crossings.empty:
    st.write("No platform overtakes another within these scales.")
else:
    st.dataframe(crossings, key="crossovers", hide_index=True)

"""Robustness: which conclusions survive the assumptions' plausible ranges — bands of each
platform's best design, win probabilities over scales, and the assumptions that matter."""
import streamlit as st

from codesign.app.widgets import pick_objectives, pick_platforms
from codesign.explore import robustness
from codesign.outputs.figures import band_lines, front_band_scatter, tornado_chart, win_heatmap
from codesign.outputs.schema import column
from codesign.platform import Platform
from codesign.uncertainty.report import parse_equal_loss

st.title("Robustness under the assumptions")
st.caption("Each platform's best design for each objective (at nominal assumptions) evaluated "
           "under samples of every assumption it does not set: each varies over its declared "
           "plausible range (log-uniform for positive ranges wider than 3×), and an assumption "
           "of the same name takes the same sample on every platform. Settings (the serving "
           "scenario, network-shape limits, precision floors, power budgets) are chosen, not "
           "uncertain: they stay at their value.")

with st.sidebar:
    choices = pick_platforms("robust_platforms")
    decades = st.multiselect("Scales (log₁₀ P)", list(range(9, 22)), default=[12, 15, 18],
                             key="robust_scales")
    objectives = pick_objectives("robust_objectives",
                                 ["energy_per_inference", "time_per_inference"])
    samples = st.number_input("Samples", min_value=50, max_value=20000, value=1000, step=50,
                              key="robust_samples")
    seed = st.number_input("Seed", min_value=0, value=0, key="robust_seed")
    equal_loss = st.checkbox("Compare at equal model loss", key="robust_equal_loss",
                             help="best designs at most as lossy as an 8-bit-weight, 8-bit-I/O "
                                  "network of real-LLM shape (reducible loss within 5 %)")


@st.cache_data(show_spinner="Sampling the assumptions…")
def cached_robustness(models: tuple, scales: tuple, objectives: tuple, samples: int, seed: int,
                      equal_loss: bool):
    reference = parse_equal_loss("8,8")  # 8-bit weights and I/O, the default tolerance
    return robustness([Platform(*m) for m in models], list(scales), list(objectives), samples,
                      seed, equal_loss=reference if equal_loss else None)


if not choices or not decades or len(objectives) < 2:
    st.info("Choose platforms, scales and at least two objectives.")
    st.stop()
result = cached_robustness(tuple((c.model, c.preset) for c in choices),
                           tuple(float(10**k) for k in sorted(decades)), tuple(objectives),
                           int(samples), int(seed), bool(equal_loss))
if result.bands.empty:
    st.warning("No feasible design at any of these scales.")
    st.stop()

st.subheader("Bands: median and 5–95 % of each best design")
for objective in objectives:
    st.plotly_chart(band_lines(result.bands, objective), key=f"band:{objective}", width="stretch")

if not result.fronts.empty and len(objectives) == 2:
    st.subheader("Fronts at median assumptions, with 5–95 % bands")
    front_scale = st.selectbox("Scale of the fronts", sorted(result.fronts["params"].unique()),
                               format_func=lambda p: f"{p:.0e}", key="front_scale")
    st.plotly_chart(front_band_scatter(result.fronts[result.fronts["params"] == front_scale],
                                       objectives), key="front_bands", width="stretch")
    st.caption("Marker opacity: probability that the design stays feasible and non-dominated.")

if not result.wins.empty:
    st.subheader("Win probabilities")
    st.caption("A sample is a win when the first platform's design is feasible in it and the "
               "second's is infeasible or worse: a design that breaks a margin wins nothing. "
               "both_feasible: the share of samples in which both designs are feasible.")
    for objective in objectives:
        st.plotly_chart(win_heatmap(result.wins, objective), key=f"wins:{objective}",
                        width="stretch")
    st.dataframe(result.wins, key="wins_table", hide_index=True)

st.subheader("Which assumption matters")
labels = list(dict.fromkeys(result.tornado["variant"]))
left, right, metric_column = st.columns(3)
label = left.selectbox("Platform", labels, key="tornado_platform")
scale = right.selectbox("Scale", sorted(result.tornado["params"].unique()),
                        format_func=lambda p: f"{p:.0e}", key="tornado_scale")
metric = metric_column.selectbox("Metric (of the best design for it)", objectives,
                                 key="tornado_metric")
rows = result.tornado[(result.tornado["variant"] == label) & (result.tornado["params"] == scale)
                      & (result.tornado["metric"] == metric)
                      & (result.tornado["design_for"] == metric)]
if rows.empty:
    st.write("No feasible best design for this choice.")
else:
    st.plotly_chart(tornado_chart(rows, column(metric), title=f"{label} at P = {scale:.3g}"),
                    key="tornado", width="stretch")
if not result.advantage.empty:
    st.caption("Assumptions that move each comparison most (advantage = other's value / "
               "platform's; swing in decades)")
    st.dataframe(result.advantage.head(30), key="advantage_table", hide_index=True)

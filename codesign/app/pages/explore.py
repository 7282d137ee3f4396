"""Explore: search platforms at one scale and look at their Pareto fronts."""
import hashlib
import json
import time

import streamlit as st

from codesign.app.widgets import (assumption_fields, pick_objectives, pick_platforms,
                                  workload_fields)
from codesign.explore import explore, reference_fronts, to_csv
from codesign.outputs.figures import parallel_coordinates, pareto_scatter
from codesign.search.samplers import SAMPLERS

st.title("Explore Pareto fronts")
st.caption("Co-design search of each platform at one scale; feasible designs only on the fronts.")

with st.sidebar:
    choices = pick_platforms("platforms")
    exponent = st.slider("Scale: log₁₀ P (parameters)", 9.0, 21.0, 12.0, 0.5, key="log_params",
                         format="10^%.1f")
    objectives = pick_objectives("objectives", ["energy_per_inference", "latency"])
    sampler = st.selectbox("Sampler", SAMPLERS, key="sampler")
    trials = st.number_input("Trials per platform", 10, 20000, 1000, step=100, key="trials")
    seed = st.number_input("Seed", 0, 2**31 - 1, 0, key="seed")
    seeds = st.number_input("Reference-front seeds", 0, 500, 50, key="reference_seeds",
                            help="Start each search from designs of the exact reference front.")
    show_reference = st.checkbox("Overlay the exact reference front", key="show_reference")
    show_infeasible = st.checkbox("Show infeasible designs (grey)", key="show_infeasible")

params = float(f"{10 ** exponent:.6g}")
workload, errors = workload_fields()
overrides = {}
for choice in choices:
    overrides[choice.label], bad = assumption_fields(choice)
    overrides[choice.label] = {**workload, **overrides[choice.label]}
    errors += bad

@st.cache_data(show_spinner="Sampling the design spaces…")
def cached_reference_fronts(inputs_json: str):
    labels, p, objs, _, _, s, _, over = json.loads(inputs_json)
    by_label = {c.label: c for c in choices}
    return reference_fronts([by_label[label] for label in labels], p, objs, over, s)


def reference_preview(table, objs, p):
    """The exact reference fronts drawn as fronts (before any search has run)."""
    shown = table.assign(feasible=True, pareto=True, platform=table["variant"])
    return pareto_scatter(shown, objs, title=f"Exact reference fronts at P = {p:.3g} "
                          f"(dense sampling; press Run for the Optuna search)")


inputs = json.dumps([[c.label for c in choices], params, objectives, sampler, int(trials),
                     int(seed), int(seeds), overrides], sort_keys=True)
key = hashlib.sha256(inputs.encode()).hexdigest()
cache = st.session_state.setdefault("explore_cache", {})

ready = choices and len(objectives) >= 2 and not errors
if errors:
    st.error(f"{len(errors)} field(s) above need fixing before a run.")
if st.button("Run", key="run", type="primary", disabled=not ready) and key not in cache:
    bar = st.progress(0.0, text="starting")
    started = time.perf_counter()
    shown = [0.0]

    def progress(fraction, text):  # at most five redraws a second
        if time.perf_counter() - shown[0] > 0.2:
            shown[0] = time.perf_counter()
            bar.progress(min(fraction, 1.0), text=text)

    cache[key] = explore(choices, params, objectives, overrides, sampler, int(trials), int(seed),
                         int(seeds), progress=progress)
    bar.empty()
    st.session_state["run_seconds"] = {**st.session_state.get("run_seconds", {}),
                                       key: time.perf_counter() - started}

result = cache.get(key)
if result is None:
    st.info("Set the inputs, then press Run.")
    if ready:
        preview, _ = cached_reference_fronts(inputs)
        if len(preview):
            st.plotly_chart(reference_preview(preview, objectives, params), key="preview_chart",
                            width="stretch")
    st.stop()

for label, message in result.errors.items():
    st.error(f"{label}: {message}")
if result.trials.empty:
    st.stop()
seconds = st.session_state.get("run_seconds", {}).get(key)
st.caption(f"P = {params:.3g}: {len(result.trials)} trials, "
           f"{int(result.trials['pareto'].sum())} Pareto designs"
           + (f", searched in {seconds:.2f} s" if seconds is not None else ""))
figure = pareto_scatter(result.trials, objectives, title=f"Pareto fronts at P = {params:.3g}",
                        show_infeasible=show_infeasible,
                        reference=result.reference if show_reference else None)
st.plotly_chart(figure, key="pareto_chart", width="stretch")

front = result.trials[result.trials["pareto"]]
if st.toggle("Parallel coordinates of the Pareto designs", key="show_parallel",
             help="Drawn with WebGL; off by default so a run draws at once."):
    tabs = st.tabs(list(front["variant"].unique()))
    for tab, (label, rows) in zip(tabs, front.groupby("variant", sort=False)):
        with tab:
            st.plotly_chart(parallel_coordinates(rows.dropna(axis=1, how="all"), title=label),
                            key=f"parallel:{label}", width="stretch")

st.subheader("Pareto designs")
st.dataframe(front, key="pareto_table", hide_index=True)
left, right = st.columns(2)
left.download_button("Download all trials (CSV)", to_csv(result.trials), "trials.csv", "text/csv",
                     key="download_trials")
right.download_button("Download Pareto designs (CSV)", to_csv(front), "pareto.csv", "text/csv",
                      key="download_pareto")

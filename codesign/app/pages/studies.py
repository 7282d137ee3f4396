"""Studies: open the embedded store or any storage URL, look at a study's front, download it."""
import streamlit as st

from codesign.explore import check_app_storage, list_studies, load_trials, to_csv
from codesign.outputs.figures import pareto_scatter
from codesign.search.storage import DEFAULT_STORE
from cost_models import InputError

st.title("Stored studies")
typed = st.text_input("Storage (journal file or database URL)", value=DEFAULT_STORE,
                      key="storage_url", help="e.g. results/scaling/study.journal, "
                      "sqlite:///studies.db, postgresql://user@host/db — files inside the "
                      "folder the app was started in (or its --allow-storage folders)")
password = st.text_input("Database password (kept out of the URL and never shown)",
                         type="password", key="storage_password")
try:
    url = check_app_storage(typed, password)
    table, store_name = list_studies(url)
except InputError as exc:
    st.error(str(exc))
    st.stop()
if table.empty:
    st.info(f"No studies in {store_name} yet: run `pfm-codesign search` or `pfm-codesign run`.")
    st.stop()
st.dataframe(table, key="study_table", hide_index=True, width="stretch")
name = st.selectbox("Study", table["study"], key="study_name")
try:
    trials, objectives = load_trials(url, name)
except InputError as exc:
    st.error(str(exc))
    st.stop()
if trials.empty or len(objectives) < 2:
    st.info("This study has no complete trials yet.")
    st.stop()
st.plotly_chart(pareto_scatter(trials, objectives, title=name), key="study_chart", width="stretch")
front = trials[trials["pareto"]]
st.dataframe(front, key="study_front", hide_index=True)
st.download_button("Download trials (CSV)", to_csv(trials), f"{name.replace('/', '_')}.csv",
                   "text/csv", key="download_study")

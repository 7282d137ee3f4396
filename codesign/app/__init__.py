"""Streamlit front end of pfm-codesign. No physics and no search logic here: every page calls
:mod:`codesign` and draws its figures, so the app, the studies and the CSVs agree."""

"""案例查找 Find a case: search a large collection by name or place, narrowed by province and practice family;
results grouped by province, then family. (With few cases the navigation lists them all and this page is absent.)"""
import streamlit as st

from metrics import finder as cases_finder
from metrics import numbers
from ui import data, finder, frame, navigation
from ui.i18n import lang, t

ds = data.dataset()
lg = lang()
frame.header(ds, finder.PARAMS)
st.title(t("nav.finder"))
st.caption(t("finder.intro", cases=numbers.decimal(len(ds["cases"]), lg, 0)))

index = finder.index(ds)
provinces = cases_finder.options(index, "province_key", "province")
families = cases_finder.options(index, "family_key", "family")
query_box, province_box, family_box = st.columns([3, 2, 2])
query_box.text_input(t("finder.search"), key=finder.QUERY.key, max_chars=100, placeholder=t("finder.search.hint"))
# format_func captures its labels: Streamlit may call it outside the script run (tests do).
province_box.selectbox(t("finder.province"), ["", *provinces], key=finder.PROVINCE.key,
                       format_func=lambda k, labels={"": t("finder.any"), **provinces}: labels.get(k, k))
family_box.selectbox(t("finder.family"), ["", *families], key=finder.FAMILY.key,
                     format_func=lambda k, labels={"": t("finder.any"), **families}: labels.get(k, k))

found = finder.found(ds)
records = navigation.case_index(ds)
shown = min(len(found), cases_finder.SHOWN)
st.caption(t("finder.found" if len(found) > shown else "finder.found.all", found=numbers.decimal(len(found), lg, 0), shown=numbers.decimal(shown, lg, 0)))
if found.empty:
    st.info(t("finder.none"))
for province, by_family in finder.grouped(ds):
    st.subheader(province)
    for family, rows in by_family:
        st.caption(family)
        for column, case_ids in zip(st.columns(3), (rows["case_id"].tolist()[i::3] for i in range(3))):
            with column:
                for case_id in case_ids:
                    st.page_link(navigation.case_page(records[case_id], "hidden"), help=records[case_id][f"locality_{lg}"])

with st.expander(t("finder.summary"), icon=":material/table_view:"):
    summary = cases_finder.summary(index)
    st.dataframe(summary.rename_axis(t("finder.province")), width="stretch", alt=t("finder.summary"))
frame.footer(ds, finder.PARAMS)

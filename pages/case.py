"""The generic case page: any case added as a reviewed source file gets this page with no code change."""

from metrics import views
from metrics.charts import ChartSpec
from ui import case, charts, data, frame
from ui.i18n import lang, t

PARAMS = []


def render(case_id: str) -> None:
    ds = data.dataset()
    frame.header(ds, PARAMS)
    frame.require_case(ds, case_id)
    case.title(ds, case_id)
    case.headline(ds, case_id)
    money = views.money_facts(case.of_case(ds, "facts", case_id), ds["cases"], lang())
    if not money.empty:
        charts.show(ChartSpec(f"{case_id}_money", "bar", money, t("overview.money.title"), log=True, unit="元",
                              value_title=t("chart.axis.log_yuan"),
                              height=max(300, 28 * len(money))), frame.source_title(ds))
    case.indicators(ds, case_id)
    case.all_figures(ds, case_id, expanded=True)
    case.timeline(ds, case_id)
    if not case.of_case(ds, "practices", case_id).empty:
        case.practices(ds, case_id)
    frame.footer(ds, PARAMS)

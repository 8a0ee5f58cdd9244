"""Every user-facing string of the dashboard, in Chinese (default) and English: one catalog.

Keys are dotted by page. Values are (zh, en) pairs; `{name}` placeholders are filled by ``text()``.
Indicator names, scopes and labels come from the data's _zh/_en columns, not from here.
Terms follow the glossary in ARCHITECTURE.md.
"""
from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

CATALOG: dict[str, tuple[str, str]] = {
    # --- app frame -------------------------------------------------------------------------------------------
    "app.title": ("地方财政金融实践指标看板", "Local fiscal-financial practice dashboard"),
    "app.language": ("语言 / Language", "Language / 语言"),
    "app.unit": ("金额单位", "Money unit"),
    "app.unit.as_published": ("按原文", "As published"),
    "app.unit.万元": ("万元", "10k yuan (万元)"),
    "app.unit.亿元": ("亿元", "100m yuan (亿元)"),
    "app.unit.元": ("元", "yuan (元)"),
    "app.unit.help": ("切换金额显示单位；原文数值始终在提示中可见。",
                      "Switch the unit money is shown in; the as-published figure stays visible in every tooltip."),
    "app.source_line": ("来源：{title}（{author}）。{licence}", "Source: {title} ({author}). {licence}"),
    "app.data_version": ("数据版本 {version}", "Data version {version}"),
    "app.offline_note": ("本看板离线运行，不向外网发送任何请求。", "This dashboard works offline and sends no requests off this machine."),
    # --- access code (hosted mode, optional) -----------------------------------------------------------------
    "access.title": ("请输入访问码", "Enter the access code"),
    "access.intro": ("此看板凭访问码查看，请输入您收到的访问码。", "This dashboard is shared with an access code. Enter the code you were given."),
    "access.label": ("访问码", "Access code"),
    "access.submit": ("进入", "Open the dashboard"),
    "access.wrong": ("访问码不正确，请重试。", "That code is not correct. Please try again."),
    "access.unreadable": ("访问设置（secrets.toml）无法读取，请联系管理员。", "The access settings (secrets.toml) cannot be read. Please contact the administrator."),
    "nav.overview": ("总览", "Overview"),
    "nav.data": ("数据与来源", "Data & sources"),
    "nav.cases": ("案例", "Cases"),
    "nav.help.overview": ("{cases} 个案例的核心数字、跨案例比较与时间线。", "Headline figures of the {cases} cases, cross-case comparisons and one timeline."),
    "nav.help.data": ("全部数字、事件、做法与派生指标：检索、筛选、下载，并对照原文。",
                      "Every figure, event, practice and derived indicator: search, filter, download, check against the article."),
    "nav.help.case": ("{name}：数字、机制与时间线。", "{name}: figures, mechanisms and timeline."),
    # --- link / URL ------------------------------------------------------------------------------------------
    "link.title": ("本视图链接", "Link to this view"),
    "link.help": ("复制此链接，他人打开即可看到相同的语言、页面和输入。",
                  "Copy this link: whoever opens it sees the same language, page and inputs."),
    "link.ignored": ("链接中的以下参数无效，已使用默认值：{params}", "These link parameters were invalid and defaults are used: {params}"),
    "link.stale": ("此链接生成时的数据版本为 {shared}，当前为 {current}：数字可能与分享时不同。",
                   "This link was made with data version {shared}; the current version is {current}: numbers may differ from what was shared."),
    # --- figures ---------------------------------------------------------------------------------------------
    "fig.source": ("原文：“{quote}”", "Source: “{quote}”"),
    "fig.meta": ("口径：{scope}；时间：{period}；类型：{kind}；编号：{fact_id}", "Scope: {scope}; period: {period}; kind: {kind}; id: {fact_id}"),
    "fig.as_published": ("原文数值：{printed}", "As published: {printed}"),
    "fig.note": ("说明：{note}", "Note: {note}"),
    "fig.derived": ("派生指标（本看板计算）", "Derived (computed by this dashboard)"),
    "fig.formula": ("计算：{formula}", "Computed as: {formula}"),
    "fig.inputs": ("输入：{inputs}", "Inputs: {inputs}"),
    "fig.caveat": ("提示：{caveat}", "Caveat: {caveat}"),
    "fig.mixed": ("口径混合", "Mixed scopes"),
    "fig.qualifier.at_least": ("≥ 表示“至少”（原文：余/多/超/以上）", "≥ means 'at least' (余/多/超/以上 in the text)"),
    "fig.qualifier.at_most": ("≤ 表示“至多”", "≤ means 'at most'"),
    "fig.qualifier.approx": ("≈ 表示“约”", "≈ means 'approximately'"),
    "kind.actual": ("实际", "actual"), "kind.cumulative": ("累计", "cumulative"), "kind.stock": ("存量", "stock"),
    "kind.target": ("目标", "target"), "kind.policy_parameter": ("政策参数", "policy parameter"),
    "kind.threshold": ("门槛", "threshold"), "kind.record": ("纪录", "record"),
    "kind.growth_rate": ("增速", "growth rate"), "kind.count": ("计数", "count"),
    # --- charts ----------------------------------------------------------------------------------------------
    "chart.caption": ("来源：{source}。单位：{unit}。{derived}", "Source: {source}. Unit: {unit}. {derived}"),
    "chart.caption.published": ("均为原文数字。", "All figures as published."),
    "chart.caption.derived": ("含派生数字（见提示中的计算方法）。", "Includes derived figures (formulas in the tooltips)."),
    "chart.download": ("下载图表数据（CSV）", "Download chart data (CSV)"),
    "chart.summary": ("图表要点：{summary}", "Chart summary: {summary}"),
    "chart.value": ("数值", "Value"),
    "chart.axis.log_yuan": ("元（对数坐标）", "CNY (log scale)"),
    "chart.case": ("案例", "Case"),
    # --- overview --------------------------------------------------------------------------------------------
    "overview.intro": ("汇集地方政府公开的财政金融实践案例：每个数字均可一键追溯到原文句子。",
                       "Published local fiscal-financial practices in one place: every number is one click from the sentence it came from."),
    "overview.open_case": ("查看案例", "Open case"),
    "overview.per_beneficiary.title": ("平均每个受益对象获得的资金（派生）", "Average financing per beneficiary (derived)"),
    "overview.per_beneficiary.note": ("注意受益对象单位不同：笔（贷款/业务）、家（企业）、户（纳税户/担保户），不可直接比较。",
                                      "Beneficiary units differ: per loan/deal (笔), per firm (家), per recipient (户: taxpayer or borrower): not directly comparable."),
    "overview.money.title": ("全部金额数字（对数坐标）", "Every money figure (log scale)"),
    "overview.timeline.title": ("政策与事件时间线", "Timeline of policies and events"),
    "overview.about.title": ("数据说明", "About the data"),
    "overview.about.body": ("{facts} 个原文数字、{events} 个事件、{practices} 项做法、{indicators} 个派生指标，来自 {sources} 篇文章的 {cases} 个案例。",
                            "{facts} published figures, {events} events, {practices} practices and {indicators} derived indicators from {cases} cases in {sources} article(s)."),
    "overview.more": ("共 {total} 个案例；本页的卡片和图表比较前 {shown} 个。全部案例：",
                      "{total} case studies; this page's cards and charts compare the first {shown}. Every case:"),
    "overview.capped": ("每个案例最多显示 {n} 项（数额最大或最近的）；全部数字见各案例页面和“数据与来源”。",
                        "At most {n} per case (the largest or latest); every figure is on the case's page and under Data & sources."),
    "overview.beneficiary": ("受益对象单位", "Beneficiary unit"),
    "unit.per.笔": ("每笔", "per loan/deal"), "unit.per.家": ("每家企业", "per firm"), "unit.per.户": ("每户", "per recipient (户)"),
    # --- case pages (shared) ---------------------------------------------------------------------------------
    "case.headline": ("核心数字", "Headline figures"),
    "case.practices": ("做法与模式", "Practices and models"),
    "case.timeline": ("时间线", "Timeline"),
    "case.all_figures": ("全部数字（按类型）", "All figures (by kind)"),
    "case.indicators": ("派生指标", "Derived indicators"),
    "case.unavailable": ("此案例的数据文件损坏或缺失，暂不显示数字：", "This case's data files are damaged or missing, so no figures are shown:"),
    "case.rebuild": ("修复方法：在项目目录运行 `{command}` 重新生成数据。", "To fix: run `{command}` in the project folder to rebuild the data."),
    "case.author": ("{author} · {locality}", "{author} · {locality}"),
    "col.model": ("模式", "Model"), "col.practice": ("做法", "Practice"), "col.applied_to": ("应用于", "Applied to"),
    "col.result": ("成效", "Result"), "col.quote": ("原文", "Source text"), "col.date": ("时间", "Date"),
    "col.event": ("事件", "Event"), "col.indicator": ("指标", "Indicator"), "col.value": ("数值", "Value"),
    "col.scope": ("口径", "Scope"), "col.period": ("时间", "Period"), "col.kind": ("类型", "Kind"),
    "col.case": ("案例", "Case"), "col.id": ("编号", "ID"), "col.formula": ("计算方法", "Formula"),
    "col.caveat": ("提示", "Caveat"), "col.qualifier": ("限定", "Qualifier"), "col.unit": ("单位", "Unit"),
    "col.as_published": ("原文数值", "As published"), "col.note": ("说明", "Note"),
    # --- calculators (metrics/calculators.py: one entry per type and input; {unit} is the input's unit) -------
    "calc.illustrative": ("示意计算：按原文政策参数推算，非官方数字。", "Illustrative calculation from the published policy parameters; not official figures."),
    "calc.invalid": ("请输入 {min} 到 {max} 之间的数。", "Enter a number between {min} and {max}."),
    "calc.unit.万元": ("万元", "10k yuan"), "calc.unit.亿元": ("亿元", "100m yuan"), "calc.unit.元": ("元", "yuan"),
    "calc.unit.亿": ("亿", "100m yuan"), "calc.unit.年": ("年", "years"), "calc.unit.%": ("%", "%"),
    "calc.risk_sharing.title": ("风险分担计算器", "Risk-sharing calculator"),
    "calc.risk_sharing.loss": ("不良贷款金额（{unit}）", "Non-performing amount ({unit})"),
    "calc.risk_sharing.assume": ("假设：不良损失全部按 {ratio} 在{parties}方之间分担。",
                                 "Assumption: the whole loss is shared {ratio} among the {parties} parties."),
    "calc.guarantee_fee.title": ("担保费计算器", "Guarantee-fee calculator"),
    "calc.guarantee_fee.loan": ("担保贷款金额（{unit}）", "Guaranteed loan amount ({unit})"),
    "calc.guarantee_fee.term": ("贷款期限（{unit}）", "Loan term ({unit})"),
    "calc.guarantee_fee.assume": ("假设：年化担保费率 {rate}，按期限线性计；贷款额 {threshold}（含）以下全额减免，减免部分由同级财政全额补贴给担保机构。",
                                  "Assumption: guarantee fee {rate} a year, pro rata to the term; loans of {threshold} or less (inclusive) are fully waived, and the same-level government pays the waived fee to the guarantor."),
    "calc.guarantee_fee.fee": ("担保费", "Guarantee fee"),
    "calc.guarantee_fee.firm": ("企业承担", "Paid by the firm"),
    "calc.guarantee_fee.subsidy": ("同级财政补贴", "Paid by the same-level government"),
    "calc.guarantee_fee.waived": ("贷款额不超过 {threshold}：担保费全额减免。", "Loan of {threshold} or less: the fee is fully waived."),
    "calc.guarantee_fee.not_waived": ("贷款额超过 {threshold}：不享受减免，企业按费率缴纳。", "Loan above {threshold}: no waiver; the firm pays the fee."),
    "calc.portfolio_exposure.title": ("组合情景：不良率与敞口", "Portfolio scenario: non-performing rate and exposure"),
    "calc.portfolio_exposure.rate": ("假设不良率（{unit}）", "Assumed non-performing rate ({unit})"),
    "calc.portfolio_exposure.assume": ("假设：各轮贷款总额按同一不良率发生损失，{bearer}承担 {share}。",
                                       "Assumption: each round's total lending defaults at the same rate; {bearer} bears {share}."),
    # --- compare (比较) and the overview by practice family -------------------------------------------------
    "nav.compare": ("比较", "Compare"),
    "nav.help.compare": ("同一可比指标在各地的数值：统一单位，注明时间与口径。",
                         "One comparable indicator across localities: one unit, with period and scope beside each value."),
    "compare.intro": ("选择一个实践类别或一个可比指标，查看报告该指标的每个地方。数值换算为同一单位，原文数值、时间与口径列在旁边；"
                      "时间类型或口径不同的数值会标出，只有时间类型与数字类型相同的数值才画在同一张图中。",
                      "Pick a practice family or one comparable indicator to see every locality that reports it. Values are "
                      "in one unit, with the figure as published, its period and scope beside it; values whose kind of period "
                      "or scope differs are flagged, and only values sharing a kind of period and kind of figure are charted together."),
    "compare.family": ("实践类别", "Practice family"),
    "compare.code": ("可比指标", "Comparable indicator"),
    "compare.code.all": ("该类别的全部指标", "Every indicator of the family"),
    "compare.code.moved": ("所选指标属于“{family}”类别，已切换到该类别。", "The chosen indicator belongs to the family “{family}”, which is now shown."),
    "compare.localities": ("报告的地方：{n} 个", "Localities reporting it: {n}"),
    "compare.one_locality": ("目前只有 1 个地方报告此指标，暂无可比对象。", "Only one locality reports this indicator so far: nothing to compare it with yet."),
    "compare.unit": ("统一单位：{unit}", "Common unit: {unit}"),
    "compare.unit.count": ("计数（各行单位见数值）", "counts (each row's unit beside its value)"),
    "compare.not_charted": ("未入图（时间类型或数字类型不同）：{rows}", "Not charted (a different kind of period or of figure): {rows}"),
    "compare.chart.title": ("{name}（{period_kind}）", "{name} ({period_kind})"),
    "compare.at_least": ("斜线条纹的条形为“至少”数值（≥，原文：余/多/超），实际值可能更大。",
                         "Hatched bars are at-least values (≥; 余/多/超 in the text): the true value may be larger."),
    "compare.flag.none": ("可比", "comparable"),
    "compare.flag.period_kind": ("时间类型不同", "different kind of period"),
    "compare.flag.kind": ("数字类型不同", "different kind of figure"),
    "compare.flag.period": ("时间不同", "different period"),
    "compare.flag.scope": ("口径不同", "different scope"),
    "compare.flag.unit": ("计数单位不同", "counted in a different unit"),
    "compare.flags.help": ("与本指标第一行可比数值（基准行）相比的差异。", "How the row differs from the indicator's reference row (its first comparable value)."),
    "compare.unreported": ("本类别尚无地方报告的指标：{codes}", "Indicators of this family no locality reports yet: {codes}"),
    "compare.period.year": ("一年", "one year"), "compare.period.month": ("一个月", "one month"),
    "compare.period.span": ("起止时段", "a span of months"),
    "compare.period.unknown_end": ("起始已知、截止未载明", "start known, end not stated"),
    "compare.period.to_date": ("累计或余额，截至某日", "running totals or balances to a date"),
    "compare.period.in_force": ("现行规定", "rules in force"),
    "col.locality": ("地方", "Locality"), "col.flags": ("比较提示", "Comparability"),
    "col.period_kind": ("时间类型", "Kind of period"), "col.link": ("核对", "Check"),
    "compare.link": ("在数据页查看", "open in Data"),
    "overview.family.cases": ("{n} 个案例", "{n} case studies"),
    "overview.family.more": ("本类别另有 {n} 个案例：", "{n} more case studies in this family:"),
    "overview.family.compare": ("比较此指标", "Compare this indicator"),
    "overview.family.none": ("本类别尚无两个以上地方报告的可比指标。", "No indicator of this family is reported by two or more localities yet."),
    # --- data & sources --------------------------------------------------------------------------------------
    "data.intro": ("每一行都是原文中的一个数字，附原句；派生指标注明计算方法。", "Each row is one figure printed in the source, with its sentence; derived indicators show how they are computed."),
    "data.tab.facts": ("数字", "Figures"), "data.tab.events": ("事件", "Events"), "data.tab.practices": ("做法", "Practices"),
    "data.tab.indicators": ("派生指标", "Derived indicators"), "data.tab.article": ("原文", "Article"),
    "data.tab.dictionary": ("字段说明", "Data dictionary"),
    "data.dictionary.intro": ("每个下载文件都附有其各列的字段说明。", "Every download carries the description of its columns."),
    "data.filter.all": ("全部（可多选）", "All (choose to narrow)"),
    "data.filter.case": ("案例", "Cases"), "data.filter.kind": ("类型", "Kinds"), "data.filter.search": ("搜索（指标、口径、原文）", "Search (indicator, scope, source text)"),
    "data.shown": ("显示 {shown} / {total} 行", "Showing {shown} of {total} rows"),
    "data.download.shown": ("下载当前显示", "Download what is shown"), "data.download.all": ("下载全部数据", "Download everything"),
    "data.download.csv": ("CSV（zip，含字段说明；UTF-8，Excel 可读）", "CSV (zip with the data dictionary; UTF-8, opens in Excel)"),
    "data.download.xlsx": ("Excel（.xlsx）", "Excel (.xlsx)"), "data.download.parquet": ("Parquet", "Parquet"),
    "data.article.legend": ("高亮处为已收录的数字；鼠标悬停于表格可查看编号。", "Highlighted: every figure in the fact base."),
    "data.article.meta": ("{title} · {published}", "{title} · {published}"),
    "data.problems": ("以下数据文件有问题，相关内容未显示：", "These data files have problems; what they hold is not shown:"),
    "data.note": ("来源：{title}。{licence} 数据版本 {version}。", "Source: {title}. {licence} Data version {version}."),
    "data.empty": ("没有符合条件的行。", "No rows match."),
    "data.page": ("页码（共 {pages} 页）", "Page (of {pages})"),
    "data.page.rows": ("表格每页 {size} 行，当前为第 {first}–{last} 行；下载包含全部 {shown} 行。",
                       "The table shows {size} rows a page, now rows {first}–{last}; downloads hold all {shown}."),
}


# Small counts in words, for prose ("在三方之间", "among the three parties"); larger ones stay digits.
_COUNT_WORDS = {"zh": "零一两三四五六七八九十", "en": ("zero", "one", "two", "three", "four", "five", "six", "seven",
                                                   "eight", "nine", "ten")}


def count_word(n: int, lang: str) -> str:
    words = _COUNT_WORDS["en" if lang == "en" else "zh"]
    return words[n] if 0 <= n < len(words) else str(n)


def text(key: str, lang: str, **values: object) -> str:
    """The catalog entry in ``lang`` with placeholders filled; an unknown key raises KeyError (tests catch it)."""
    zh, en = CATALOG[key]
    template = en if lang == "en" else zh
    return template.format(**values) if values else template

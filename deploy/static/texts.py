"""The few strings only the static edition needs (the rest come from metrics/catalog.py), in Chinese and English."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "edition": ("静态版（离线、可打印）", "Static edition (offline, printable)"),
    "language": ("English", "中文"),
    "language.label": ("Read this page in English", "阅读本页中文版"),
    "nav": ("页面", "Pages"),
    "nav.sources": ("原文", "Articles"),
    "nav.compare": ("比较", "Compare"),
    "skip": ("跳到正文", "Skip to content"),
    "source": ("出处", "Source"),
    "in_article": ("在原文中查看", "See it in the article"),
    "quote": ("原文", "Source text"),
    "derived.how": ("计算方法", "How it is computed"),
    "downloads": ("下载", "Downloads"),
    "downloads.intro": ("完整数据表，含数据字典。CSV 为带 BOM 的 UTF-8（Excel 可直接打开中文）；公式字符已中和。",
                        ("The full tables, with the data dictionary. CSV is UTF-8 with a BOM (Excel shows Chinese); "
                         "formula characters are neutralized.")),
    "dictionary.table": ("表", "Table"),
    "dictionary.column": ("列", "Column"),
    "dictionary.type": ("类型", "Type"),
    "dictionary.meaning": ("含义", "Meaning"),
    "chart.data": ("图表数据", "Chart data"),
    "article.url": ("原文链接", "Article link"),
    "article.licence": ("版权", "Licence"),
    "built": ("根据数据版本 {version} 生成。", "Built from data version {version}."),
    "rows.more": ("此处显示前 {shown} 行，共 {total} 行；完整数据见下载。",
                  "The first {shown} of {total} rows; the downloads hold them all."),
    "calc.defaults": ("以下按默认参数计算：{values}。", "Computed at the default parameters: {values}."),
    "calc.live": ("换成自己的数字：", "With your own numbers:"),
    "calc.open": ("在看板应用中打开此计算器", "open this calculator in the dashboard app"),
    "calc.no_app": ("静态版只显示默认参数下的结果；换成自己的数字需在看板应用中计算（python -m deploy.serve）。",
                    "The static edition shows the result at the default parameters only; to use your own numbers, "
                    "run the dashboard app (python -m deploy.serve)."),
    "index.title": ("地方财政金融实践指标看板 · 静态版", "Local fiscal-financial practice dashboard · static edition"),
    "index.choose": ("请选择语言", "Choose a language"),
}


def say(key: str, lang: str, **values: object) -> str:
    zh, en = TEXTS[key]
    template = en if lang == "en" else zh
    return template.format(**values) if values else template

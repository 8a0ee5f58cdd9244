"""Illustrative calculators: a registry of calculator TYPES; a case file binds one to its facts.

A case file declares, under ``calculators:``, e.g.::

    - id: fee                              # unique in the case; a section {type: calculator, id: fee} places it
      type: guarantee_fee                  # a key of CALCULATORS
      title_zh: 担保费计算器                  # optional (default: the type's catalog title)
      title_en: Guarantee-fee calculator
      rate: hlj_guarantee_fee_rate         # bindings: fact ids (their unit family is checked by the build)
      waiver_threshold: hlj_fee_waiver_threshold
      figures: [hlj_guarantee_fee_rate, hlj_fee_waiver_threshold]   # cards above the inputs (facts/indicators)
      inputs:                              # every input of the type, with its URL key, unit, default and bounds
        loan: {key: loan, unit: 万元, default: 300, min: 0, max: 1000000, step: 50}
        term: {key: term, unit: 年, default: 1, min: 0.1, max: 30, step: 0.5}

The arithmetic reads bound facts by id (``value``/``value_base``), never by a translated label. Inputs arrive
bounded by their widgets (and by ui.state for URLs). All amounts are in yuan.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import blocks, numbers, units, views
from .catalog import count_word, text
from .charts import ChartSpec


# --- the arithmetic ------------------------------------------------------------------------------------------------
def risk_sharing(loss: float, shares: dict[str, float]) -> dict[str, float]:
    """Split a non-performing amount among the parties in proportion to their ratio terms (7:2:1)."""
    total = sum(shares.values())
    return {party: loss * part / total for party, part in shares.items()}


@dataclass(frozen=True)
class FeeResult:
    fee: float          # the guarantee fee at the published annual rate
    waived: bool        # loan at or below the threshold (inclusive)
    paid_by_firm: float
    paid_by_government: float


def guarantee_fee(loan: float, years: float, annual_rate: float, waiver_threshold: float) -> FeeResult:
    """Fee = loan × rate × years; loans ≤ threshold (含) are fully waived and the same-level government pays it."""
    fee = loan * annual_rate * years
    waived = loan <= waiver_threshold
    return FeeResult(fee, waived, 0.0 if waived else fee, fee if waived else 0.0)


def fund_exposure(volumes: dict[str, float], npl_rate: float, fund_share: float) -> dict[str, float]:
    """What the risk compensation fund would bear if each round's lending defaulted at ``npl_rate``."""
    return {name: volume * npl_rate * fund_share for name, volume in volumes.items()}


# --- inputs --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Input:
    """One input of a calculator: its URL key (links keep working as long as the key stays), label, bounds."""
    name: str           # the type's name for it (loss, loan, term, rate)
    key: str            # the URL parameter and widget key
    label: str
    unit: str
    default: float
    low: float
    high: float
    step: float
    widget: str = "number"   # number | slider


@dataclass(frozen=True)
class CalculatorType:
    inputs: dict[str, tuple[str, ...]]     # input name → the units it may be declared in
    facts: dict[str, str]                  # binding (one fact id) → the unit family it must have
    fact_lists: dict[str, str]             # binding (a list of {fact, label_zh, label_en}) → unit family
    result: Callable[[dict, dict, str], list[dict]]
    widgets: dict[str, str] = field(default_factory=dict)   # input name → widget (default: number)


def _label(item: dict, lang: str) -> str:
    return str(item.get(f"label_{lang}") or item.get("label_zh") or item.get("fact", ""))


def _base(block: dict, name: str, values: dict) -> float:
    """An input's value in base units (yuan for money; a rate in % stays a number of percent)."""
    unit = next(i.unit for i in block["inputs"] if i.name == name)
    return units.to_base(values[name], unit) if units.is_money(unit) else values[name]


def _shares(block: dict, lang: str) -> dict[str, float]:
    return {_label(item, lang): block["bound"][item["fact"]]["value"] for item in block["labels"]["shares"]}


def _risk_result(block: dict, values: dict, lang: str) -> list[dict]:
    loss = _base(block, "loss", values)
    shares = _shares(block, lang)
    ratio = ":".join(numbers.decimal(v, lang) for v in shares.values())
    split = risk_sharing(loss, shares)
    unit = next(i.unit for i in block["inputs"] if i.name == "loss")
    spec = ChartSpec(block["chart_id"], "stacked", views.amounts(split, lang, numbers.auto_money(loss, "exact", lang)),
                     block["title"], unit=unit, derived=True, height=220)
    return [blocks.note(text("calc.risk_sharing.assume", lang, ratio=ratio, parties=count_word(len(shares), lang))),
            blocks.chart(spec, block["sources"])]


def _fee_result(block: dict, values: dict, lang: str) -> list[dict]:
    rate, threshold = (block["bound"][block["labels"][k]] for k in ("rate", "waiver_threshold"))
    fee = guarantee_fee(_base(block, "loan", values), values["term"], rate["value_base"], threshold["value_base"])
    threshold_text = views.fact_display(threshold, lang)
    verdict = "calc.guarantee_fee.waived" if fee.waived else "calc.guarantee_fee.not_waived"
    outputs = {"fee": fee.fee, "firm": fee.paid_by_firm, "subsidy": fee.paid_by_government}
    return [blocks.note(text("calc.guarantee_fee.assume", lang, rate=views.fact_display(rate, lang), threshold=threshold_text)),
            blocks.note(text(verdict, lang, threshold=threshold_text), "success", ":material/calculate:"),
            blocks.cards([blocks.plain_card(name, text(f"calc.guarantee_fee.{name}", lang), numbers.money(amount, lang, "元"))
                          for name, amount in outputs.items()], columns=3)]


def _exposure_result(block: dict, values: dict, lang: str) -> list[dict]:
    labels = block["labels"]
    terms = {item["fact"]: block["bound"][item["fact"]]["value"] for item in labels["shares"]}
    share = risk_sharing(1.0, terms)[labels["bearer"]["fact"]]
    volumes = {_label(item, lang): block["bound"][item["fact"]]["value_base"] for item in labels["volumes"]}
    exposure = fund_exposure(volumes, values["rate"] / 100, share)
    unit = block["bound"][labels["volumes"][0]["fact"]]["unit"]
    spec = ChartSpec(block["chart_id"], "bar", views.amounts(exposure, lang), block["chart_title"], unit=unit,
                     derived=True, height=220)
    return [blocks.note(text("calc.portfolio_exposure.assume", lang, bearer=_label(labels["bearer"], lang),
                             share=numbers.quantity(share * 100, "%", "exact", lang))),
            blocks.chart(spec, block["sources"])]


MONEY = units.MONEY_UNITS
CALCULATORS: dict[str, CalculatorType] = {
    # a loss shared among parties in proportion to ratio terms (7:2:1)
    "risk_sharing": CalculatorType(inputs={"loss": MONEY}, facts={}, fact_lists={"shares": "ratio_part"},
                                   result=_risk_result),
    # a fee at an annual rate, waived at or below a loan threshold (含) and then paid by the government
    "guarantee_fee": CalculatorType(inputs={"loan": MONEY, "term": ("年",)},
                                    facts={"rate": "percent", "waiver_threshold": "money"}, fact_lists={},
                                    result=_fee_result),
    # what one party (bearer, one of the shares) would bear if each volume defaulted at a rate
    "portfolio_exposure": CalculatorType(inputs={"rate": ("%",)}, facts={},
                                         fact_lists={"shares": "ratio_part", "volumes": "money", "bearer": "ratio_part"},
                                         result=_exposure_result, widgets={"rate": "slider"}),
}


# --- from a declaration to a block, and its output -----------------------------------------------------------------
def _items(declared) -> list[dict]:
    """A binding that lists facts: a list of {fact, label_zh, label_en} (one mapping is a list of one)."""
    items = declared if isinstance(declared, list) else [declared]
    return [item if isinstance(item, dict) else {"fact": item} for item in items if item]


def bound_ids(decl: dict) -> dict[str, list[str]]:
    """binding → the fact ids it names (for the build's checks and for resolving)."""
    kind = CALCULATORS[decl["type"]]
    ids = {name: [str(decl.get(name, ""))] for name in kind.facts}
    ids.update({name: [str(i.get("fact", "")) for i in _items(decl.get(name))] for name in kind.fact_lists})
    return ids


def inputs(decl: dict, lang: str) -> list[Input]:
    kind = CALCULATORS[decl["type"]]
    out = []
    for name in kind.inputs:
        spec = (decl.get("inputs") or {})[name]
        unit = str(spec["unit"])
        label = spec.get(f"label_{lang}") or text(f"calc.{decl['type']}.{name}", lang, unit=text(f"calc.unit.{unit}", lang))
        out.append(Input(name, str(spec["key"]), label, unit, float(spec["default"]), float(spec["min"]),
                         float(spec["max"]), float(spec["step"]), str(spec.get("widget") or kind.widgets.get(name, "number"))))
    return out


def prepare(decl: dict, facts: dict[str, dict], lang: str, intro: list[dict], sources: list[str]) -> dict:
    """The calculator block (metrics/blocks.py): plain data, its bound facts included, ready for ``result``."""
    kind = CALCULATORS[decl["type"]]
    ids = {i for named in bound_ids(decl).values() for i in named}
    title = decl.get(f"title_{lang}") or text(f"calc.{decl['type']}.title", lang)
    labels = {name: decl[name] for name in kind.facts}
    labels.update({name: _items(decl.get(name)) if name != "bearer" else _items(decl.get(name))[0]
                   for name in kind.fact_lists})
    return {"type": "calculator", "id": str(decl["id"]), "calc_type": decl["type"], "title": title, "lang": lang,
            "chart_id": str(decl.get("chart_id") or decl["id"]),
            "chart_title": decl.get(f"chart_title_{lang}") or title,
            "intro": [blocks.note(text("calc.illustrative", lang)), *intro], "inputs": inputs(decl, lang),
            "bound": {i: facts[i] for i in ids}, "labels": labels, "sources": sources}


def result(block: dict, values: dict[str, float]) -> list[dict]:
    """The calculator's output blocks (in the block's language) for input values by input name; missing ones take
    their defaults."""
    values = {i.name: float(values.get(i.name, i.default)) for i in block["inputs"]}
    return CALCULATORS[block["calc_type"]].result(block, values, block["lang"])


def check(decl: dict, fact_units: dict[str, str]) -> list[str]:
    """What is wrong with one declaration, one line each: unknown type, missing input, a binding to a missing fact
    or to a fact of the wrong unit family, an input in a unit the type cannot read."""
    kind = CALCULATORS.get(decl.get("type"))
    if kind is None:
        return [f"unknown calculator type {decl.get('type')!r} (known: {', '.join(CALCULATORS)})"]
    problems = []
    families = {**kind.facts, **kind.fact_lists}
    for name, ids in bound_ids(decl).items():
        if not any(ids):
            problems.append(f"calculator {decl.get('id')!r} needs {name!r} (fact ids)")
        for fid in ids:
            if fid and fid not in fact_units:
                problems.append(f"calculator {decl.get('id')!r}: {name} names a missing fact {fid!r}")
            elif fid and units.family(fact_units[fid]) != families[name]:
                problems.append(f"calculator {decl.get('id')!r}: {name} fact {fid!r} is in {fact_units[fid]} "
                                f"({units.family(fact_units[fid])}), needs a {families[name]} figure")
    for name, allowed in kind.inputs.items():
        spec = (decl.get("inputs") or {}).get(name)
        if not isinstance(spec, dict) or not {"key", "unit", "default", "min", "max", "step"} <= set(spec):
            problems.append(f"calculator {decl.get('id')!r}: input {name!r} needs key, unit, default, min, max, step")
        elif str(spec["unit"]) not in allowed:
            problems.append(f"calculator {decl.get('id')!r}: input {name!r} in {spec['unit']!r}, needs one of {allowed}")
        elif not float(spec["min"]) <= float(spec["default"]) <= float(spec["max"]):
            problems.append(f"calculator {decl.get('id')!r}: input {name!r} default is outside [min, max]")
    return problems

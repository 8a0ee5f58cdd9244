"""The workbench's words in both languages (a local tool: kept beside it rather than in the readers' catalog)."""
from __future__ import annotations

from .i18n import lang

TEXT = {
    "title": ("整理案例", "Curate"),
    "help": ("把一篇文章整理成案例：上传、核对、发布。仅在本机运行时可用。",
             "Turn an article into a case: upload, review, publish. Only when the dashboard runs on this machine."),
    "intro": ("草稿每次修改都保存在本机 data/drafts/ 下；刷新页面或重启后原样恢复。",
              "Every edit is saved to a draft under data/drafts/ on this machine; a refresh or a restart brings it back."),
    "open": ("打开草稿", "Open a draft"),
    "new": ("新建草稿", "New draft"),
    "case_id": ("案例编号（小写字母、数字、下划线）", "Case id (lower-case letters, digits, _)"),
    "paste": ("粘贴原文", "Paste the article's text"),
    "upload": ("或上传 .txt / .docx", "or upload a .txt / .docx file"),
    "create": ("起草", "Draft it"),
    "meta": ("文章信息", "Article"),
    "case": ("案例信息", "Case"),
    "article": ("原文（已标出草拟的数字）", "The article (drafted figures marked)"),
    "facts": ("数字", "Figures"),
    "events": ("事件", "Events"),
    "practices": ("做法", "Practices"),
    "show": ("查看其原句", "Show the sentence of"),
    "find": ("在原文中查找要新增的数字或做法的文字", "Find the text of a figure or practice to add"),
    "clause": ("选择引文", "Choose its quote"),
    "printed": ("原文所印数字（如 1.88；新增做法时留空）", "The number as printed (e.g. 1.88; empty for a practice)"),
    "add": ("新增", "Add"),
    "add_as": ("新增为", "Add as"),
    "checks": ("核对结果（与构建相同的检查）", "Checks (the build's own)"),
    "ok": ("全部检查通过，可以发布。", "Every check passes: ready to publish."),
    "publish": ("发布", "Publish"),
    "published": ("已发布：", "Published: "),
    "open_case": ("打开案例页", "open the case page"),
    "stale": ("未保存：", "Not saved: "),
    "reload": ("载入已保存的版本", "Load the saved version"),
    "untranslated": ("英文可留空：发布后英文页面显示中文并标注未翻译。",
                     "English may stay empty: the English pages then show the Chinese, marked untranslated."),
    "todo": ("待翻译的字段", "Fields still to translate"),
    "saved": ("已保存（第 {rev} 版）", "Saved (revision {rev})"),
    "fix_first": ("发布前请先修正：", "Fix these before publishing:"),
}


def t(key: str, **values: object) -> str:
    zh, en = TEXT[key]
    return (en if lang() == "en" else zh).format(**values)

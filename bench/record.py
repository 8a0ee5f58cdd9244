"""Record what each real page sends, so that the floor app can send exactly the same with no work behind it.

A page is opened once over Streamlit's own websocket protocol on a real server (a fresh session, as a first
visit). Every ForwardMsg is kept: the page's element tree is rebuilt from the deltas' paths, the download
buttons' bytes are fetched from the server's media endpoint while the session is alive, and the navigation
and page-config messages are kept for the floor's entry script. The recording is a pickle of protobuf bytes
(written under the run's work folder, never committed).
"""
from __future__ import annotations

import json
import pickle
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from .wsclient import Run, Session

# page name → the URL path a browser opens ("" = the default page, the overview)
PAGES = {"overview": "", "xiangtan": "xiangtan", "heilongjiang": "heilongjiang", "fangchenggang": "fangchenggang",
         "data": "data"}
MAIN, SIDEBAR = 0, 1


@dataclass
class Node:
    """One delta: an element (``element`` = serialized Element proto) or a block with children by index."""
    element: bytes | None = None
    block: bytes | None = None
    children: dict[int, Node] = field(default_factory=dict)

    def ordered(self) -> list[Node]:
        return [self.children[i] for i in sorted(self.children)]


@dataclass
class PageRecording:
    main: Node
    sidebar: Node
    messages: list[bytes]          # every ForwardMsg of the run, for the fidelity comparison
    wire_bytes: int


@dataclass
class Recording:
    pages: dict[str, PageRecording]
    navigation: bytes               # the last Navigation proto (the app's st.navigation)
    page_config: bytes              # PageConfig proto
    media: dict[str, tuple[bytes, str, str]]   # url → (bytes, file name, mime) for download buttons

    def save(self, path: Path) -> None:
        path.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))

    @staticmethod
    def load(path: Path) -> Recording:
        return pickle.loads(Path(path).read_bytes())


def tree(messages: list[ForwardMsg], container: int) -> Node:
    """The final element tree of one root container, from the deltas in the order they were sent."""
    root = Node(block=b"")
    for msg in messages:
        if msg.WhichOneof("type") != "delta":
            continue
        path = list(msg.metadata.delta_path)
        if not path or path[0] != container:
            continue
        parent = root
        for index in path[1:-1]:
            parent = parent.children.setdefault(index, Node(block=b""))
        kind = msg.delta.WhichOneof("type")
        if kind == "new_element":
            parent.children[path[-1]] = Node(element=msg.delta.new_element.SerializeToString())
        elif kind == "add_block":
            old = parent.children.get(path[-1])
            parent.children[path[-1]] = Node(block=msg.delta.add_block.SerializeToString(),
                                             children=old.children if old and old.block is not None else {})
    return root


def _media(base_url: str, messages: list[ForwardMsg]) -> dict[str, tuple[bytes, str, str]]:
    found = {}
    for msg in messages:
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                and msg.delta.new_element.WhichOneof("type") == "download_button":
            url = msg.delta.new_element.download_button.url
            if url and url not in found:
                with urllib.request.urlopen(base_url + url, timeout=30) as response:
                    disposition = response.headers.get("Content-Disposition", "")
                    name = re.search(r'filename="?([^";]+)"?', disposition)
                    found[url] = (response.read(), name.group(1) if name else Path(url).name,
                                  response.headers.get_content_type())
    return found


def _last(messages: list[ForwardMsg], kind: str) -> bytes:
    found = [getattr(m, kind) for m in messages if m.WhichOneof("type") == kind]
    return found[-1].SerializeToString() if found else b""


def record(base_url: str, pages: dict[str, str] = PAGES) -> Recording:
    recorded, media, navigation, page_config = {}, {}, b"", b""
    for name, path in pages.items():
        with Session(base_url) as session:
            run: Run = session.run(path)
            if not run.ok:
                raise RuntimeError(f"recording {name}: the page did not finish cleanly "
                                   f"(status {run.finished}, {run.exceptions} exception(s))")
            media.update(_media(base_url, run.messages))
        starts = [i for i, m in enumerate(run.messages) if m.WhichOneof("type") == "new_session"]
        run.messages = run.messages[starts[-1]:] if starts else run.messages   # the run that finished
        navigation = _last(run.messages, "navigation") or navigation
        page_config = _last(run.messages, "page_config_changed") or page_config
        recorded[name] = PageRecording(tree(run.messages, MAIN), tree(run.messages, SIDEBAR),
                                       [m.SerializeToString() for m in run.messages], run.wire_bytes)
    return Recording(recorded, navigation, page_config, media)


# --- fidelity: does the floor send what the page sends? --------------------------------------------------------
_VOLATILE = ("id", "url", "deferred_file_id", "page_script_hash", "code_text")


def _normalized(msg: ForwardMsg) -> tuple[str, bytes]:
    delta = msg.delta
    kind = delta.WhichOneof("type")
    if kind == "new_element":
        element = type(delta.new_element)()
        element.CopyFrom(delta.new_element)
        sub_kind = element.WhichOneof("type")
        sub = getattr(element, sub_kind)
        for name in _VOLATILE:
            if name in sub.DESCRIPTOR.fields_by_name:
                sub.ClearField(name)
        if sub_kind == "plotly_chart":   # same figure, whatever the key order of its JSON
            sub.spec = json.dumps(json.loads(sub.spec), sort_keys=True)
        return sub_kind, element.SerializeToString(deterministic=True)
    block = type(delta.add_block)()
    block.CopyFrom(delta.add_block)
    block.ClearField("id")
    if block.WhichOneof("type") == "tab_container":
        block.tab_container.ClearField("id")
    return "block:" + str(block.WhichOneof("type")), block.SerializeToString(deterministic=True)


def signature(messages: list[bytes]) -> dict[tuple, tuple[str, bytes]]:
    """delta path → (element or block type, its proto without ids/urls), for the main area and sidebar."""
    parsed = [ForwardMsg.FromString(m) for m in messages]
    return {tuple(m.metadata.delta_path): _normalized(m) for m in parsed if m.WhichOneof("type") == "delta"}


def compare(real: list[bytes], floor: list[bytes]) -> dict:
    """How faithfully the floor reproduced the page: same paths, same types, byte-identical protos."""
    a, b = signature(real), signature(floor)
    same_type = [p for p in a if p in b and a[p][0] == b[p][0]]
    identical = [p for p in same_type if a[p][1] == b[p][1]]
    differ = sorted({a[p][0] for p in same_type if a[p][1] != b[p][1]} | {a[p][0] for p in a if p not in b}
                    | {b[p][0] for p in b if p not in a})
    return {"deltas": len(a), "floor_deltas": len(b), "same_type": len(same_type), "identical": len(identical),
            "bytes": sum(len(v[1]) for v in a.values()), "floor_bytes": sum(len(v[1]) for v in b.values()),
            "differ_in": differ}


def visible_counts(node: Node, hidden: bool = False) -> tuple[int, int]:
    """(plotly charts, dataframes) a browser shows on first paint: not inside a collapsed expander."""
    from streamlit.proto.Block_pb2 import Block
    from streamlit.proto.Element_pb2 import Element

    if node.element is not None:
        kind = Element.FromString(node.element).WhichOneof("type")
        return (int(kind == "plotly_chart" and not hidden), int(kind == "dataframe" and not hidden))
    if node.block:
        block = Block.FromString(node.block)
        if block.WhichOneof("type") == "expandable" and not block.expandable.expanded:
            hidden = True
    counts = [visible_counts(child, hidden) for child in node.ordered()]
    return sum(c[0] for c in counts), sum(c[1] for c in counts)

"""The case page: whatever case the navigation opened, as its case file declares it (metrics/layout.py)."""
from ui import blocks, case, data, frame, navigation

ds = data.dataset()
case_id = navigation.current_case()
params = case.params(ds, case_id)
frame.header(ds, params)
frame.require_case(ds, case_id)
blocks.draw(ds, case.page_blocks(ds, case_id))
frame.footer(ds, params, case_ids=[case_id])

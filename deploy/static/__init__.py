"""The static edition: ``python -m deploy.static OUT_DIR`` writes a self-contained site (overview, one page per
case, data, articles; Chinese and English) that opens from file:// or any static server with no request off the
machine, and prints one case as an A4 briefing. See site.py (writing), pages.py (what each page shows),
sections.py (a case page: the app's own blocks, metrics.layout.blocks_of, adapted), blocks.py (the block
interface) and render.py (one renderer per block kind)."""

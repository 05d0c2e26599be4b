"""Sphinx configuration of the course's website (`make site`).

tools/site.py stages the sources (the README's introduction as the home page, the
notebooks with their stored outputs, the instructors' guide) in build/site-src/ and
builds them with this file into build/site/. Nothing is executed, and nothing is loaded
from outside the site: MathJax, the fonts and the theme's scripts are copied into it.
"""

import pathlib
import shutil

project = "Recurrent networks, from scratch to Keras"

extensions = ["myst_nb"]
# The notebooks' stored outputs are the pages' outputs; nbval keeps them current.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
# The notebooks, like Jupyter, write display math $$...$$ inside paragraphs too.
myst_dmath_double_inline = True
# Sources are staged by tools/site.py: only what it wrote is read.
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
master_doc = "index"

# MathJax 3, served from the site's own _static/mathjax (copied after the build). Without
# its `noundefined` package an unknown command is a typesetting error (an <mjx-merror>
# that tests/test_browser.py reports) rather than quietly printed in red.
mathjax_path = "mathjax/tex-chtml.js"
mathjax3_config = {"tex": {"packages": {"[-]": ["noundefined"]}}}

html_theme = "sphinx_book_theme"
html_title = project
# A favicon of its own: without one, a browser asks the server for /favicon.ico (a 404).
html_favicon = "_static/favicon.svg"
html_static_path = ["_static"]
html_js_files = ["file-search.js"]
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "show_prev_next": True,
    "footer_content_items": [],
}
# Light by default: the figures are drawn on white. The reader can switch.
html_context = {"default_mode": "light"}
html_show_copyright = False
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None

# MathJax's files come from the pinned sphinx-mathjax-offline package (MathJax 3.2.2).
# Only what tex-chtml.js loads is copied: the TeX extensions it autoloads, the CHTML
# fonts, and the accessibility and menu components its context menu offers.
MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "a11y", "sre", "ui"]


def _mathjax_source():
    import importlib

    return pathlib.Path(importlib.import_module("sphinx-mathjax-offline").__file__).parent / "static" / "mathjax"


def _copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    source, target = _mathjax_source(), pathlib.Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)


def setup(app):
    app.connect("build-finished", _copy_mathjax)

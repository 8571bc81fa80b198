"""Every message of :mod:`symgrad.viz`, in one place (reviewed and tested together)."""

from __future__ import annotations

from .. import errors

NO_GRAPHVIZ_AT_ALL = ("rendering SVG/PNG needs Graphviz: pip install graphviz, and the dot "
                      "program (apt-get install graphviz, brew install graphviz or conda "
                      "install graphviz); the DOT text is in .source")
NO_GRAPHVIZ_PACKAGE = ("rendering SVG/PNG needs the graphviz Python package: pip install "
                       "graphviz (or pip install -e \".[viz]\"); the DOT text is in .source")
NO_DOT_PROGRAM = ("rendering SVG/PNG needs Graphviz's dot program: apt-get install graphviz, "
                  "brew install graphviz or conda install graphviz; the DOT text is in .source")
BAD_SUFFIX = "cannot save a picture as '{suffix}': use .dot or .gv (DOT text), .svg or .png"
NOT_DRAWABLE = ("sg.viz.graph draws a tensor, a list of tensors or a formula, not {kind}")
TOO_BIG = ("the formula has {n} distinct nodes, more than max_nodes={limit} that a picture "
           "can show legibly; pass max_nodes=... to draw it anyway")
NO_MATPLOTLIB = errors.NO_MATPLOTLIB
PLOT_OTHER_SYMBOLS = ("plot needs a function of {x} alone, but it also depends on {others}; "
                      "give them values first")
PLOT_NOT_SYMBOL = "plot's x must be a value-less symbol (sg.symbol), not {kind}"
PLOT_RANGE = "the range must be two finite numbers lo < hi, got {lo}, {hi}"

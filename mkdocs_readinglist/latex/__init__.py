"""All of the project's LaTeX, in one package.

* decode: LaTeX fragments of scraped text to Unicode (pylatexenc);
* encode: Unicode to LaTeX that pdflatex, bibtex and biber accept (pylatexenc);
* the real-LaTeX check of a .bib: lint (the .bib read as LaTeX sees it), run (pdflatex,
  bibtex, biber and pdftotext run), logs (their outputs read back), check (all engines);
* aux: the keys a LaTeX run cited (.aux, .bcf).

Nothing here prints; problems are Diagnostics, and the CLI shows them.
"""

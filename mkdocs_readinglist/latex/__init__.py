"""Real LaTeX as the judge of exported BibTeX: compile checks and .aux citation reading."""

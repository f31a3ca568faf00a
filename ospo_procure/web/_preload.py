"""Imported once by the job forkserver (see jobs.py): load the linter before any job forks.

Every review process is forked from the forkserver, so the rules, the four language pipelines
and the PDF fonts loaded here are shared, already warm, by every job.
"""

from ospo_procure.web import engine

engine.warm_up()

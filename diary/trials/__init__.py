"""Planned bed trials (N-of-1): the design and schedule, and the analysis of the nights logged.

Pure code, no ORM: ``schedule.py`` builds the randomised blocked crossover, ``analysis.py``
estimates B − A from the nights. The models and service functions that store and run a trial
import these; docs/bed-trials.md explains the design and shows the simulation behind it.
"""

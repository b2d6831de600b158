"""Registers the built-in benchmark formats (imported for its side effect)."""

from prodsched.formats.fjsp import read_fjsp
from prodsched.formats.jssp import read_jssp
from prodsched.formats.psp import read_psp
from prodsched.formats.registry import InstanceFormat, register
from prodsched.formats.sdst_pfsp import read_sdst_pfsp
from prodsched.formats.trigeiro import read_trigeiro
from prodsched.heuristics.makespan_rules import makespan_warm_starts
from prodsched.heuristics.permutation import permutation_warm_starts
from prodsched.jobshop.extensions import same_job_order

register(InstanceFormat(
    name="jssp", description="job shop, OR-Library/Taillard text (0-based machines)",
    read=read_jssp, objective="makespan", warm_starts=makespan_warm_starts))
register(InstanceFormat(
    name="fjsp", description="flexible job shop, Brandimarte .fjs (1-based machines)",
    read=read_fjsp, objective="makespan", warm_starts=makespan_warm_starts))
register(InstanceFormat(
    name="sdst-pfsp",
    description="permutation flow shop with sequence-dependent setups (Ruiz et al.)",
    read=read_sdst_pfsp, objective="makespan",
    extensions=lambda plant: [same_job_order], warm_starts=permutation_warm_starts))
register(InstanceFormat(
    name="psp", description="pigment sequencing, discrete lot sizing (.psp)",
    read=read_psp, objective="setup-cost,holding-cost", model="lotsizing"))
register(InstanceFormat(
    name="trigeiro", description="capacitated lot sizing, Trigeiro et al. (.dat)",
    read=read_trigeiro, objective="setup-cost,holding-cost", model="lotsizing"))

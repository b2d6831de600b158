"""A hand-made plant with a setup crew and an operator pool, and a valid schedule of it.

Plant R (numbers): A and B are one-off products with one step on ``M1|M2``,
1 time unit per unit; a run of A holds 2 operators, a run of B one; every
changeover takes 2 and holds the setup crew (capacity 1); the operator pool
has 3. ``M1`` starts set up for B, so the first A on it needs a setup.

The schedule, worked out by hand:

- M1: setup B -> A ``[0, 2)`` (crew), lot La of A ``[2, 6)`` (2 operators);
- M2: lot Lc of A ``[0, 2)`` (2 operators, no setup: nothing ran before),
  setup A -> B ``[2, 4)`` (crew), lot Lb of B ``[4, 7)`` (1 operator).

Operators: 2 in ``[0, 4)``, 3 in ``[4, 6)``, 1 in ``[6, 7)``: 15 held over a
makespan of 7, peak 3 for 2 from 4. Crew: 1 in ``[0, 4)``: 4 held, peak 1 for
4 from 0.
"""

from __future__ import annotations

R = {
    "orders.csv": "order_id,product,quantity,due\na,A,4,10\nb,B,3,5\nc,A,2,10\n",
    "products.csv": "product,mode\nA,one-off\nB,one-off\n",
    "routings.csv": "product,step,machine,time_per_unit,resources\n"
                    "A,1,M1|M2,1,operator:2\nB,1,M1|M2,1,operator\n",
    "machines.csv": "machine,initial_state\nM1,B\nM2,\n",
    "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,2,0,setup_crew\n",
    "resources.csv": "resource,capacity\nsetup_crew,1\noperator,3\n",
}

HEADER = "machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
ROWS = (
    "M1,setup,La,A,,,,,0,2",
    "M1,run,La,A,one-off,1,4,a:4,2,6",
    "M2,run,Lc,A,one-off,1,2,c:2,0,2",
    "M2,setup,Lb,B,,,,,2,4",
    "M2,run,Lb,B,one-off,1,3,b:3,4,7",
)
SCHEDULE = HEADER + "".join(f"{row}\n" for row in ROWS)

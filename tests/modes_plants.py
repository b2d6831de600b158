"""Plants whose right production mode is known by construction (issue 24).

- :func:`drink_and_custom`: the issue's plant as a new user would try it — one
  high-volume drink (12 regular orders of 400 units, one due every day and
  released three days before, a 60-minute changeover into it) and four
  custom products (orders of 2–15 units at irregular times, due three days
  after they arrive, 5-minute changeovers), every product ``auto``; the line
  starts set up for custom work.
- :func:`three_products`: one product of each kind on two shared machines:
  ``DRINK`` (stable, large, regular orders made to stock; a 60-minute
  cleaning before every lot), ``CUSTOM`` (small custom orders of varying size
  at irregular times, due two days after they arrive; 5-minute changeovers)
  and ``MIDDLE`` (medium orders at irregular times, one routing step, a
  30-minute setup before every lot).

Times are minutes; both are drawn once from a fixed seed.
"""

from __future__ import annotations

import random

DAY = 1440


def drink_and_custom(seed: int = 7) -> dict[str, str]:
    """The issue's plant (all products auto)."""
    rng = random.Random(seed)
    orders = ["order_id,product,quantity,due,release"]
    orders += [f"D{k + 1:02d},DRINK,400,{(k + 1) * DAY},{max(0, (k - 2) * DAY)}"
               for k in range(12)]
    n = 0
    for custom in ("C1", "C2", "C3", "C4"):
        t = 0
        for _ in range(6):
            t += rng.randint(300, 4000)
            n += 1
            orders.append(f"X{n:02d},{custom},{rng.randint(2, 15)},{t + 3 * DAY},{t}")
    customs = (("C1", 150), ("C2", 220), ("C3", 300), ("C4", 400))
    return {
        "orders.csv": "\n".join(orders) + "\n",
        "products.csv": "product,family,mode,unit_value\nDRINK,drinks,auto,2\n"
                        + "".join(f"{c},custom,auto,{v}\n" for c, v in customs),
        "routings.csv": "product,step,machine,time_per_unit\nDRINK,1,PREP,0.5\n"
                        "DRINK,2,PACK,0.25\n"
                        + "".join(f"{c},1,PREP,10\n{c},2,PACK,5\n" for c, _ in customs),
        "machines.csv": "machine,initial_state,cost_per_hour\nPREP,custom,120\nPACK,,60\n",
        "setups.csv": "machine,from,to,time,cost\n*,*,DRINK,60,40\n*,*,custom,5,2\n",
    }


def three_products(seed: int = 3) -> dict[str, str]:
    """A stable drink, a custom product and one in between (all auto)."""
    rng = random.Random(seed)
    orders = ["order_id,product,quantity,due,release"]
    orders += [f"D{k + 1:02d},DRINK,400,{(k + 1) * DAY},0" for k in range(12)]
    t = 0
    for i in range(10):
        t += rng.randint(400, 2400)
        orders.append(f"C{i + 1:02d},CUSTOM,{rng.randint(2, 15)},{t + 2 * DAY},{t}")
    t = 0
    for i in range(8):
        t += rng.randint(800, 3000)
        orders.append(f"M{i + 1:02d},MIDDLE,{rng.randint(20, 80)},{t + 2 * DAY},{t}")
    return {
        "orders.csv": "\n".join(orders) + "\n",
        "products.csv": "product,family,mode,unit_value\nDRINK,drink,auto,2\n"
                        "CUSTOM,custom,auto,300\nMIDDLE,middle,auto,20\n",
        "routings.csv": "product,step,machine,time_per_unit\nDRINK,1,PREP,0.5\n"
                        "DRINK,2,PACK,0.25\nCUSTOM,1,PREP,10\nCUSTOM,2,PACK,5\n"
                        "MIDDLE,1,PREP,1\n",
        "machines.csv": "machine,initial_state,cost_per_hour\nPREP,custom,120\nPACK,,60\n",
        "setups.csv": "machine,from,to,time,cost\n*,*,DRINK,60,40\n*,DRINK,DRINK,60,40\n"
                      "*,*,CUSTOM,5,2\n*,CUSTOM,CUSTOM,5,2\n*,*,MIDDLE,30,10\n"
                      "*,MIDDLE,MIDDLE,30,10\n",
    }

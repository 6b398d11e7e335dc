"""The model's mechanisms M1-M17 (MODEL.md section 4, docs/ODD.md section 4), one module each.

Each module is the one place its mechanism lives: its memo paragraph, its equations, and what
switching it off (``mechanisms.Mk=false``) means. The agents call these functions; the functions
read parameters and change only the state they are handed.

| switch | module | mechanism |
|---|---|---|
| M1 | ``m01_experimentation`` | experimentation and the limits of freedom (¶6) |
| M2 | ``m02_ratchet`` | enacted items raise codified floors (¶5, ¶7, ¶15) |
| M3 | ``m03_cheap_concessions`` | case releases instead of law (¶12, ¶18) |
| M4 | ``m04_lists`` | list fatigue, accuracy and false replies (¶18-19) |
| M5 | ``m05_categories`` | category statements and category resolution (¶20) |
| M6 | ``m06_counterattacks`` | counter-charges eat meeting time (¶9, ¶13-14) |
| M7 | ``m07_reactance`` | public accusation breeds resistance (¶10) |
| M8 | ``m08_coordination`` | consistent signals across fora (¶17) |
| M9 | ``m09_cooperation`` | cooperation dissolves opposition, with pitfalls (¶21-22) |
| M10 | ``m10_expectations`` | NGO expectations, disappointment and push (¶11, ¶23) |
| M11 | ``m11_mobilization`` | groups act on grievance, risk and neighbours (¶4, ¶6) |
| M12 | ``m12_factions`` | unrest and calm shift factional influence; hardline breach (¶5, ¶22) |
| M13 | ``m13_repression_price`` | repression costs the relationship abroad (¶9, ¶11, ¶23) |
| M14 | ``m14_codification_choice`` | its own programme; deflection by cost (¶5, ¶8, ¶16) |
| M15 | ``m15_reversal`` | law can be repealed, learned limits recover (¶2, ¶6, ¶15) |
| M16 | ``m16_moscow_conference`` | the conference the allies can grant or withhold (¶9) |
| M17 | ``m17_emigration_demand`` | applicants, refusals and the refusenik stock (¶4, ¶7) |

``codification`` holds how institutional pressure moves reform items, which several
mechanisms gate (M3 before it, M7 and M12 inside it); it is not itself switchable.
"""

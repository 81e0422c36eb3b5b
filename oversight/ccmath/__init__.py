"""Contact-centre mathematics without Django: the service-level variants and interval KPIs, Erlang C and
Erlang A staffing, forecast models and their accuracy (WAPE, bias, MAPE, sMAPE, MASE), and the finance of
outsourcing scenarios (TCO, NPV, IRR, payback, sensitivity).

Every module here takes and returns plain values (numbers, Decimals, numpy arrays, dataclasses) and is tested
with plain values against MISSION.md's references and hand-computed values; the apps (`oversight.contactcentre`,
`oversight.workforce`, `oversight.sourcing`) load the data and call it.
"""

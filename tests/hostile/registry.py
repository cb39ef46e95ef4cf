"""The hostile suite's registry: one entry per public callable.

Each entry names the *kind* of every parameter (see :data:`hostile.strategies.KIND_NAMES`),
which picks the hostile values tried for it, and may give

``example``
    Doctest-style source whose call to the callable is the valid baseline, when neither the
    callable's own docstring nor any other docstring example calls it;
``skip``
    Parameters not fuzzed, each with the reason.

The baseline call itself comes from the docstring examples (see :mod:`hostile.baseline`):
each hostile value replaces one argument of it. A public callable without an entry fails
``test_every_public_callable_has_an_entry``, which prints a suggested entry
(:func:`hostile.suggest.suggest`).
"""

from __future__ import annotations

import attrs


@attrs.frozen
class E:
    """A registry entry: parameter kinds, and optionally an example and skipped parameters."""

    kinds: dict[str, str]
    example: str = ""
    skip: dict[str, str] = attrs.field(factory=dict)


_MPL = "import matplotlib\n>>> matplotlib.use('Agg')\n"
_J = ("from cxpath import Journeys\n>>> j = Journeys.from_paths(['web > chat', 'web', "
      "'app > chat'], conversions=[1, 0, 1])\n")
_JT = ("import cxpath\n>>> j = cxpath.Journeys.from_events({'case': [1, 1, 2, 2, 3], "
       "'touchpoint': ['web', 'chat', 'web', 'call', 'web'], "
       "'timestamp': [0.0, 60.0, 10.0, 500.0, 90000.0]}, case='case', "
       "touchpoint='touchpoint', timestamp='timestamp')\n")
_PLOT_KW = {"kw": "forwarded to the plot function (matplotlib style keywords)"}

EX: dict[str, str] = {
    'cxpath.attribution.Attribution.plot': (">>> " + _MPL + ">>> " + _J +
        ">>> from cxpath.attribution import attribute\n"
        ">>> attribute(j, models=('first_touch', 'last_touch')).plot()"),
    'cxpath.attribution.MarkovAttribution.plot': (">>> " + _MPL + ">>> " + _J +
        ">>> from cxpath.attribution import markov\n"
        ">>> markov(j).plot()"),
    'cxpath.attribution.MarkovAttribution.transitions': (">>> " + _J +
        ">>> from cxpath.attribution import markov\n"
        ">>> markov(j).transitions('dict')"),
    'cxpath.attribution.ShapleyAttribution.plot': (">>> " + _MPL + ">>> " + _J +
        ">>> from cxpath.attribution import shapley\n"
        ">>> shapley(j).plot()"),
    'cxpath.calendar.CalendarSet.add_business_time': (
        ">>> from cxpath.calendar import BusinessCalendar, CalendarSet\n"
        ">>> eu = BusinessCalendar('Europe/Berlin', hours={'weekdays': [('09:00', '17:00')]})\n"
        ">>> us = BusinessCalendar('America/New_York', hours={'weekdays': [('09:00', '17:00')]})\n"
        ">>> cals = CalendarSet({'EU': eu, 'US': us})\n"
        ">>> cals.add_business_time(np.array([1736496000.0, 1736496000.0]), 3600.0, "
        "segment=['EU', 'US'])"),
    'cxpath.datasets.write_cache': (
        ">>> from cxpath.datasets import write_cache\n"
        ">>> write_cache('sample.npz')"),
    'cxpath.distributed.journey_stats': (
        ">>> import pandas as pd, dask.dataframe as dd\n"
        ">>> from cxpath.distributed import journey_stats\n"
        ">>> log = pd.DataFrame({'case': [1, 1, 2, 2, 3], 'step': ['a', 'b', 'a', 'b', 'c'], 't': "
        "[0, 1, 0, 1, 0]})\n"
        ">>> journey_stats(dd.from_pandas(log, npartitions=2), case='case', touchpoint='step', "
        "timestamp='t', scheduler='synchronous')"),
    'cxpath.fmea.ActionPriorityTable.plot': (">>> " + _MPL +
        ">>> from cxpath.fmea import ap_table\n"
        ">>> ap_table().plot()"),
    'cxpath.fmea.Pareto.plot': (">>> " + _MPL +
        ">>> from cxpath.fmea import pareto\n"
        ">>> pareto(['late', 'late', 'rude']).plot()"),
    'cxpath.fmea.Ranking.top': (
        ">>> from cxpath.fmea import Worksheet, rank\n"
        ">>> ws = Worksheet.from_frame({'failure_mode': ['late', 'wrong', 'rude'], 'S': [6, 7, "
        "3], 'O': [6, 5, 2], 'D': [3, 4, 9]})\n"
        ">>> rank(ws).top(2)"),
    'cxpath.fmea.RiskMatrix.plot': (">>> " + _MPL +
        ">>> from cxpath.fmea import Worksheet, risk_matrix\n"
        ">>> ws = Worksheet.from_frame({'failure_mode': ['late', 'wrong'], 'S': [6, 7], 'O': [6, "
        "5], 'D': [3, 4]})\n"
        ">>> risk_matrix(ws).plot()"),
    'cxpath.fmea.ValueEffort.plot': (">>> " + _MPL +
        ">>> from cxpath.fmea import value_effort\n"
        ">>> value_effort(labels=['a', 'b', 'c'], impact=[3.0, 1.0, 2.0], effort=[1.0, 2.0, "
        "3.0]).plot()"),
    'cxpath.fmea.Worksheet.plot': (">>> " + _MPL +
        ">>> from cxpath.fmea import Worksheet\n"
        ">>> Worksheet.from_frame({'failure_mode': ['late', 'wrong'], 'S': [6, 7], 'O': [6, 5], "
        "'D': [3, 4]}).plot()"),
    'cxpath.fmea.occurrence._MeasuredRatings.apply': (
        ">>> from cxpath.fmea import Worksheet, observed_detection\n"
        ">>> ws = Worksheet.from_frame({'failure_mode': ['late', 'wrong'], 'S': [6, 7], 'O': [6, "
        "5], 'D': [3, 4]})\n"
        ">>> obs = observed_detection(ws, mode=['late'] * 4 + ['wrong'] * 2, detected=[True, "
        "True, True, False, False, False])\n"
        ">>> obs.apply(ws)"),
    'cxpath.forecast.Forecast.plot': (">>> " + _MPL +
        ">>> from cxpath.forecast import naive\n"
        ">>> naive([10.0, 11.0, 10.0, 12.0, 11.0], 3, level=[80, 95]).plot()"),
    'cxpath.io.OcelLog.flatten': (
        ">>> import json, pathlib\n"
        ">>> from cxpath.io import read_ocel\n"
        ">>> log = {'objectTypes': [{'name': 'order', 'attributes': []}, {'name': 'item', "
        "'attributes': []}], 'eventTypes': [{'name': 'place', 'attributes': []}, {'name': 'pack', "
        "'attributes': []}], 'objects': [{'id': 'o1', 'type': 'order'}, {'id': 'i1', 'type': "
        "'item'}, {'id': 'i2', 'type': 'item'}], 'events': [{'id': 'e1', 'type': 'place', 'time': "
        "'2024-01-01T09:00:00Z', 'relationships': [{'objectId': 'o1', 'qualifier': ''}, "
        "{'objectId': 'i1', 'qualifier': ''}, {'objectId': 'i2', 'qualifier': ''}]}, {'id': 'e2', "
        "'type': 'pack', 'time': '2024-01-01T10:00:00Z', 'relationships': [{'objectId': 'i1', "
        "'qualifier': ''}]}]}\n"
        ">>> _ = pathlib.Path('orders.jsonocel').write_text(json.dumps(log))\n"
        ">>> read_ocel('orders.jsonocel').flatten('item')"),
    'cxpath.journeys.Attribute.equals': (
        ">>> import cxpath\n"
        ">>> j = cxpath.Journeys.from_events({'case': [1, 1, 2], 'touchpoint': ['web', 'chat', "
        "'web'], 'agent': ['a', 'b', 'a']}, case='case', touchpoint='touchpoint', "
        "event_attributes=['agent'])\n"
        ">>> a, _ = j.attribute('agent')\n"
        ">>> a.equals(j.attribute('agent')[0])"),
    'cxpath.journeys.Bottlenecks.plot': (">>> " + _MPL +
        ">>> import cxpath\n"
        '>>> j = cxpath.Journeys.from_events({"case": [1, 1, 2, 2, 3], "touchpoint": ["web", '
        '"chat", "web", "call", "web"], "timestamp": [0.0, 60.0, 10.0, 500.0, 90000.0]}, '
        'case="case", touchpoint="touchpoint", timestamp="timestamp")\n'
        ">>> from cxpath.journeys import bottlenecks\n"
        ">>> bottlenecks(j).plot()"),
    'cxpath.journeys.Breakpoints.plot': (">>> " + _MPL + ">>> " + _J +
        ">>> from cxpath.journeys import breakpoints\n"
        ">>> breakpoints(j).plot()"),
    'cxpath.journeys.CleaningReport.raise_if_unclean': (
        ">>> import cxpath\n"
        '>>> j = cxpath.Journeys.from_events({"case": [1, 1, 2, 2, 3], "touchpoint": ["web", '
        '"chat", "web", "call", "web"], "timestamp": [0.0, 60.0, 10.0, 500.0, 90000.0]}, '
        'case="case", touchpoint="touchpoint", timestamp="timestamp")\n'
        ">>> j.cleaning_report.raise_if_unclean('journeys.funnel')"),
    'cxpath.journeys.Funnel.plot': (">>> " + _MPL + ">>> " + _J +
        ">>> from cxpath.journeys import funnel\n"
        ">>> funnel(j, ['web', 'chat']).plot()"),
    'cxpath.journeys.JourneyGraph.has_edge': (">>> " + _J +
        ">>> from cxpath.journeys import journey_graph\n"
        ">>> journey_graph(j).has_edge('web', 'chat')"),
    'cxpath.journeys.JourneyGraph.has_node': (">>> " + _J +
        ">>> from cxpath.journeys import journey_graph\n"
        ">>> journey_graph(j).has_node('web')"),
    'cxpath.journeys.JourneyGraph.neighbors': (">>> " + _J +
        ">>> from cxpath.journeys import journey_graph\n"
        ">>> list(journey_graph(j).neighbors('web'))"),
    'cxpath.journeys.JourneyGraph.number_of_edges': (">>> " + _J +
        ">>> from cxpath.journeys import journey_graph\n"
        ">>> journey_graph(j).number_of_edges('web', 'chat')"),
    'cxpath.journeys.JourneyGraph.plot': (">>> " + _MPL + ">>> " + _J +
        ">>> from cxpath.journeys import journey_graph\n"
        ">>> journey_graph(j).plot()"),
    'cxpath.journeys.JourneyGraph.predecessors': (">>> " + _J +
        ">>> from cxpath.journeys import journey_graph\n"
        ">>> list(journey_graph(j).predecessors('chat'))"),
    'cxpath.journeys.JourneyGraph.successors': (">>> " + _J +
        ">>> from cxpath.journeys import journey_graph\n"
        ">>> list(journey_graph(j).successors('web'))"),
    'cxpath.journeys.JourneyGraph.to_dot': (">>> " + _J +
        ">>> from cxpath.journeys import journey_graph\n"
        ">>> journey_graph(j).to_dot()"),
    'cxpath.journeys.JourneyGraph.to_graphml': (">>> " + _J +
        ">>> from cxpath.journeys import journey_graph\n"
        ">>> journey_graph(j).to_graphml('graph.graphml')"),
    'cxpath.journeys.JourneyGraph.to_mermaid': (">>> " + _J +
        ">>> from cxpath.journeys import journey_graph\n"
        ">>> journey_graph(j).to_mermaid()"),
    'cxpath.journeys.JourneyStats.empty': (
        ">>> from cxpath import JourneyStats\n"
        ">>> JourneyStats.empty(['web', 'chat'], order=1)"),
    'cxpath.journeys.JourneyStats.equals': (">>> " + _J +
        ">>> from cxpath import JourneyStats\n"
        ">>> JourneyStats.from_journeys(j).equals(JourneyStats.from_journeys(j))"),
    'cxpath.journeys.JourneyStats.merge': (">>> " + _J +
        ">>> from cxpath import JourneyStats\n"
        ">>> JourneyStats.from_journeys(j).merge(JourneyStats.from_journeys(j))"),
    'cxpath.journeys.Journeys.equals': (">>> " + _J +
        ">>> j.equals(Journeys.from_paths(['web']))"),
    'cxpath.journeys.repeat_contacts': (
        ">>> import cxpath\n"
        '>>> j = cxpath.Journeys.from_events({"case": [1, 1, 2, 2, 3], "touchpoint": ["web", '
        '"chat", "web", "call", "web"], "timestamp": [0.0, 60.0, 10.0, 500.0, 90000.0]}, '
        'case="case", touchpoint="touchpoint", timestamp="timestamp")\n'
        ">>> from cxpath.journeys import repeat_contacts\n"
        ">>> repeat_contacts(j, ['ann', 'ann', 'bob'], window=86400.0)"),
    'cxpath.kpi.Cohorts.plot': (">>> " + _MPL +
        ">>> from cxpath.kpi import retention_cohorts\n"
        ">>> t = np.array(['2025-01-03', '2025-02-03', '2025-01-09', '2025-02-01'], "
        "'datetime64[s]')\n"
        ">>> retention_cohorts(['a', 'a', 'b', 'c'], t).plot()"),
    'cxpath.report.Figure.__init__': (
        ">>> from cxpath.report import Figure\n"
        ">>> Figure('A caption', make=lambda ax: ax)"),
    'cxpath.report.Report.to_html': (
        ">>> from cxpath.report import build_report, sample_inputs\n"
        ">>> build_report(sample_inputs(), sections=('data',)).to_html(figures=False)"),
    'cxpath.report.Report.to_markdown': (
        ">>> from cxpath.report import build_report, sample_inputs\n"
        ">>> build_report(sample_inputs(), sections=('data',)).to_markdown()"),
    'cxpath.report.Report.to_text': (
        ">>> from cxpath.report import build_report, sample_inputs\n"
        ">>> build_report(sample_inputs(), sections=('data',)).to_text()"),
    'cxpath.report.Table.__init__': (
        ">>> from cxpath.report import Table\n"
        ">>> Table('Counts', {'label': ['a', 'b'], 'n': [3, 1]}, how_to_read='Counts per label.')"),
    'cxpath.report.section_text': (
        ">>> from cxpath.report import section_text\n"
        ">>> section_text('data')"),
    'cxpath.report.write_report': (
        ">>> from cxpath.report import build_report, sample_inputs, write_report\n"
        ">>> write_report('report_out', build_report(sample_inputs(), sections=('data',)), 'md', "
        "force=True)"),
    'cxpath.spc.ControlChart.plot': (">>> " + _MPL +
        ">>> from cxpath.spc import imr\n"
        ">>> imr([5.0, 6.0, 5.5, 6.2, 5.8, 5.9, 6.1, 5.6, 15.0], baseline=8).plot()"),
    'cxpath.spc.Signals.at': (
        ">>> from cxpath.spc import imr\n"
        ">>> imr([5.0, 6.0, 5.5, 6.2, 5.8, 5.9, 6.1, 5.6, 15.0], baseline=8).signals.at(8)"),
    'cxpath.survey.ConstructValidity.htmt_frame': (
        ">>> from cxpath.survey import construct_validity\n"
        ">>> rng = np.random.default_rng(0)\n"
        ">>> f = rng.normal(size=(200, 2))\n"
        ">>> d = {f'a{i}': f[:, 0] + rng.normal(size=200) for i in range(3)}\n"
        ">>> d.update({f'b{i}': f[:, 1] + rng.normal(size=200) for i in range(3)})\n"
        ">>> construct_validity(d, {'A': ['a0', 'a1', 'a2'], 'B': ['b0', 'b1', "
        "'b2']}).htmt_frame('dict')"),
    'cxpath.survey.Efa.plot': (">>> " + _MPL +
        ">>> from cxpath.survey import efa\n"
        ">>> rng = np.random.default_rng(0)\n"
        ">>> f = rng.normal(size=(200, 1))\n"
        ">>> efa(f @ np.ones((1, 4)) + rng.normal(size=(200, 4))).plot()"),
    'cxpath.survey.Efa.variance_frame': (
        ">>> from cxpath.survey import efa\n"
        ">>> rng = np.random.default_rng(0)\n"
        ">>> f = rng.normal(size=(200, 1))\n"
        ">>> efa(f @ np.ones((1, 4)) + rng.normal(size=(200, 4))).variance_frame('dict')"),
    'cxpath.survey.Omega.plot': (">>> " + _MPL +
        ">>> from cxpath.survey import omega_total\n"
        ">>> rng = np.random.default_rng(0)\n"
        ">>> f = rng.normal(size=(200, 1))\n"
        ">>> omega_total(f @ np.ones((1, 4)) + rng.normal(size=(200, 4))).plot()"),
    'cxpath.survey.PathModel.coefficient_frame': (
        ">>> import pandas as pd\n"
        ">>> from cxpath.survey import path_model\n"
        ">>> rng = np.random.default_rng(0)\n"
        ">>> x = rng.normal(size=200)\n"
        ">>> m = x + rng.normal(size=200)\n"
        ">>> d = pd.DataFrame({'x': x, 'm': m, 'y': m + rng.normal(size=200)})\n"
        ">>> path_model(d, 'm ~ x\\ny ~ m + x').coefficient_frame('dict')"),
    'cxpath.survey.PathModel.indirect_frame': (
        ">>> import pandas as pd\n"
        ">>> from cxpath.survey import path_model\n"
        ">>> rng = np.random.default_rng(0)\n"
        ">>> x = rng.normal(size=200)\n"
        ">>> m = x + rng.normal(size=200)\n"
        ">>> d = pd.DataFrame({'x': x, 'm': m, 'y': m + rng.normal(size=200)})\n"
        ">>> path_model(d, 'm ~ x\\ny ~ m + x').indirect_frame('dict')"),
}

REGISTRY: dict[str, E] = {
    'cxpath._results.Result.loc': E({'label': 'column'}),
    'cxpath._results.Result.to_frame': E({'backend': 'option'}),
    'cxpath._results.Result.to_text': E({'show_ids': 'bool'}),
    'cxpath.attribution.Attribution.credit': E({'model': 'option', 'kind': 'option'}),
    'cxpath.attribution.Attribution.join': E({'other': 'result'}),
    'cxpath.attribution.Attribution.plot': E({'ax': 'axes'},
      example=EX['cxpath.attribution.Attribution.plot'], skip=_PLOT_KW),
    'cxpath.attribution.MarkovAttribution.plot': E({'ax': 'axes'},
      example=EX['cxpath.attribution.MarkovAttribution.plot'], skip=_PLOT_KW),
    'cxpath.attribution.MarkovAttribution.transitions': E({'backend': 'option'},
      example=EX['cxpath.attribution.MarkovAttribution.transitions']),
    'cxpath.attribution.ShapleyAttribution.plot': E({'ax': 'axes'},
      example=EX['cxpath.attribution.ShapleyAttribution.plot'], skip=_PLOT_KW),
    'cxpath.attribution.absorbing_measures': E({'data': 'stats', 'by': 'column',
        'exclude': 'labels', 'collapse_repeats': 'bool'}),
    'cxpath.attribution.attribute': E({'data': 'stats', 'models': 'labels', 'by': 'column',
        'exclude': 'labels', 'path': 'column', 'conversions': 'column', 'nulls': 'column',
        'value': 'column', 'sep': 'text'}),
    'cxpath.attribution.heuristic': E({'data': 'stats', 'models': 'labels',
        'half_life': 'duration', 'first': 'probability', 'last': 'probability', 'by': 'column',
        'exclude': 'labels', 'path': 'column', 'conversions': 'column', 'nulls': 'column',
        'value': 'column', 'sep': 'text'}),
    'cxpath.attribution.markov': E({'data': 'stats', 'order': 'count', 'collapse_repeats': 'bool',
        'by': 'column', 'exclude': 'labels', 'n_boot': 'count', 'confidence': 'probability',
        'seed': 'seed', 'progress': 'bool', 'max_states': 'count', 'max_solves': 'count',
        'path': 'column',
        'conversions': 'column', 'nulls': 'column', 'value': 'column', 'sep': 'text',
        'level': 'probability'}),
    'cxpath.attribution.shapley': E({'data': 'stats', 'method': 'option',
        'n_permutations': 'count', 'seed': 'seed', 'by': 'column', 'exclude': 'labels',
        'path': 'column', 'conversions': 'column', 'nulls': 'column', 'value': 'column',
        'sep': 'text'}),
    'cxpath.calendar.BusinessCalendar.__init__': E({'timezone': 'option', 'hours': 'mapping',
        'holidays': 'any', 'closures': 'mapping', 'openings': 'mapping', 'name': 'text'}),
    'cxpath.calendar.BusinessCalendar.add_business_time': E({'start': 'instant',
        'seconds': 'duration'}),
    'cxpath.calendar.BusinessCalendar.business_duration': E({'start': 'instant', 'end': 'instant'}),
    'cxpath.calendar.BusinessCalendar.is_open': E({'t': 'instant'}),
    'cxpath.calendar.BusinessCalendar.next_open': E({'t': 'instant'}),
    'cxpath.calendar.CalendarSet.__init__': E({'calendars': 'calendar', 'default': 'any'}),
    'cxpath.calendar.CalendarSet.add_business_time': E({'start': 'instant', 'seconds': 'duration',
        'segment': 'array'},
      example=EX['cxpath.calendar.CalendarSet.add_business_time']),
    'cxpath.calendar.CalendarSet.business_duration': E({'start': 'instant', 'end': 'instant',
        'segment': 'array'}),
    'cxpath.calendar.to_epoch_seconds': E({'values': 'instant', 'name': 'text', 'func': 'option'}),
    'cxpath.datasets.ServiceSample.__init__': E({'events': 'mapping', 'tickets': 'mapping',
        'survey': 'mapping', 'survey_constructs': 'mapping', 'failure_modes': 'mapping',
        'failures': 'mapping', 'service_orders': 'int', 'daily_contacts': 'mapping',
        'daily_complaints': 'mapping', 'interval_volumes': 'mapping', 'weekly_parts': 'mapping'}),
    'cxpath.datasets.generate_sample': E({'seed': 'seed', 'n_cases': 'count'}),
    'cxpath.datasets.load_sample': E({}),
    'cxpath.datasets.write_cache': E({'path': 'path'},
      example=EX['cxpath.datasets.write_cache']),
    'cxpath.distributed.journey_stats': E({'ddf': 'frame', 'case': 'column',
        'touchpoint': 'column', 'timestamp': 'column', 'channel': 'column', 'outcome': 'column',
        'value': 'column', 'value_agg': 'option', 'success': 'labels', 'order': 'count',
        'vocab': 'labels', 'partitioned_by_case': 'bool', 'strict': 'bool', 'scheduler': 'option',
        'split_every': 'count', 'success_if': 'callable'},
      example=EX['cxpath.distributed.journey_stats']),
    'cxpath.distributed.top_variants': E({'ddf': 'frame', 'case': 'column', 'touchpoint': 'column',
        'timestamp': 'column', 'outcome': 'column', 'success': 'labels', 'k': 'count',
        'capacity': 'count', 'vocab': 'labels', 'partitioned_by_case': 'bool', 'strict': 'bool',
        'scheduler': 'option', 'split_every': 'count',
        'success_if': 'any'}),
    'cxpath.fmea.ActionPriorityTable.__init__': E({'name': 'text', 'codes': 'array',
        'source': 'text'}),
    'cxpath.fmea.ActionPriorityTable.from_array': E({'letters': 'array', 'name': 'text',
        'source': 'text'}),
    'cxpath.fmea.ActionPriorityTable.lookup': E({'severity': 'int', 'occurrence': 'int',
        'detection': 'int'}),
    'cxpath.fmea.ActionPriorityTable.plot': E({'ax': 'axes'},
      example=EX['cxpath.fmea.ActionPriorityTable.plot'], skip=_PLOT_KW),
    'cxpath.fmea.FailureMode.__init__': E({'failure_mode': 'text', 'severity': 'int',
        'occurrence': 'int', 'detection': 'int', 'step': 'text', 'function': 'text',
        'effect': 'text', 'cause': 'text', 'prevention': 'text', 'detection_control': 'text',
        'action': 'text', 'owner': 'text', 'due': 'instant', 'revised_severity': 'int',
        'revised_occurrence': 'int', 'revised_detection': 'int', 'extra': 'mapping'}),
    'cxpath.fmea.Pareto.plot': E({'ax': 'axes'},
      example=EX['cxpath.fmea.Pareto.plot'], skip=_PLOT_KW),
    'cxpath.fmea.Ranking.top': E({'k': 'count'},
      example=EX['cxpath.fmea.Ranking.top']),
    'cxpath.fmea.RatingScale.__init__': E({'thresholds': 'array', 'ratings': 'array',
        'floor': 'int', 'name': 'text', 'unit': 'text', 'source': 'text'}),
    'cxpath.fmea.RatingScale.rate': E({'values': 'array'}),
    'cxpath.fmea.RiskMatrix.plot': E({'ax': 'axes'},
      example=EX['cxpath.fmea.RiskMatrix.plot'], skip=_PLOT_KW),
    'cxpath.fmea.ValueEffort.plot': E({'ax': 'axes'},
      example=EX['cxpath.fmea.ValueEffort.plot'], skip=_PLOT_KW),
    'cxpath.fmea.Worksheet.from_csv': E({'source': 'path', 'columns': 'mapping',
        'delimiter': 'text', 'encoding': 'option'}),
    'cxpath.fmea.Worksheet.from_frame': E({'data': 'frame', 'columns': 'mapping'}),
    'cxpath.fmea.Worksheet.from_json': E({'source': 'path', 'text': 'text', 'encoding': 'option'}),
    'cxpath.fmea.Worksheet.from_records': E({'records': 'mapping', 'columns': 'mapping'}),
    'cxpath.fmea.Worksheet.plot': E({'ax': 'axes'},
      example=EX['cxpath.fmea.Worksheet.plot'], skip=_PLOT_KW),
    'cxpath.fmea.Worksheet.subset': E({'index': 'array'}),
    'cxpath.fmea.Worksheet.to_csv': E({'path': 'path', 'delimiter': 'text', 'encoding': 'option'}),
    'cxpath.fmea.Worksheet.to_json': E({'path': 'path', 'indent': 'count', 'encoding': 'option'}),
    'cxpath.fmea.Worksheet.with_ratings': E({}),
    'cxpath.fmea.action_priority': E({'severity': 'array', 'occurrence': 'array',
        'detection': 'array', 'table': 'option'}),
    'cxpath.fmea.ap_table': E({'table': 'option', 'func': 'option'}),
    'cxpath.fmea.criticality': E({'severity': 'array', 'occurrence': 'array'}),
    'cxpath.fmea.detection_rating': E({'detected': 'array', 'total': 'array', 'scale': 'option'}),
    'cxpath.fmea.filter_modes': E({'worksheet': 'result', 'ap': 'labels', 'min_severity': 'count',
        'min_rpn': 'count', 'min_occurrence': 'count', 'table': 'option'}),
    'cxpath.fmea.observed_detection': E({'worksheet': 'result', 'records': 'frame',
        'mode': 'column', 'detected': 'column', 'scale': 'option', 'confidence': 'probability',
        'conservative': 'bool', 'level': 'probability'}),
    'cxpath.fmea.observed_occurrence': E({'worksheet': 'result', 'records': 'frame',
        'mode': 'column', 'exposure': 'array', 'scale': 'option', 'confidence': 'probability',
        'conservative': 'bool', 'level': 'probability'}),
    'cxpath.fmea.occurrence._MeasuredRatings.apply': E({'worksheet': 'result'},
      example=EX['cxpath.fmea.occurrence._MeasuredRatings.apply']),
    'cxpath.fmea.occurrence_rating': E({'rate': 'array', 'per': 'real', 'scale': 'option'}),
    'cxpath.fmea.pareto': E({'data': 'frame', 'counts': 'column', 'labels': 'column',
        'cut': 'probability'}),
    'cxpath.fmea.rank': E({'worksheet': 'result', 'by': 'labels', 'table': 'option',
        'revised': 'bool'}),
    'cxpath.fmea.risk_matrix': E({'worksheet': 'result', 'revised': 'bool'}),
    'cxpath.fmea.risk_reduction': E({'worksheet': 'result', 'table': 'option'}),
    'cxpath.fmea.rpn': E({'severity': 'array', 'occurrence': 'array', 'detection': 'array'}),
    'cxpath.fmea.value_effort': E({'data': 'frame', 'labels': 'column', 'impact': 'column',
        'effort': 'column', 'impact_cut': 'real', 'effort_cut': 'real'}),
    'cxpath.forecast.Backtest.leaderboard': E({'sort_by': 'option'}),
    'cxpath.forecast.Forecast.band': E({'level': 'probability'}),
    'cxpath.forecast.Forecast.plot': E({'ax': 'axes'},
      example=EX['cxpath.forecast.Forecast.plot'], skip=_PLOT_KW),
    'cxpath.forecast.adida': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'level': 'array', 'series_id': 'any'}),
    'cxpath.forecast.auto_ets': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'm': 'count', 'damped': 'bool',
        'ic': 'option', 'additive_only': 'bool', 'level': 'array', 'intervals': 'option',
        'npaths': 'count', 'seed': 'seed', 'restarts': 'count', 'beta_region': 'option',
        'series_id': 'any', 'sanity': 'bool'}),
    'cxpath.forecast.backtest': E({'y': 'array', 'h': 'count', 'methods': 'mapping', 'm': 'count',
        'n_origins': 'count', 'step': 'int', 'window': 'count', 'level': 'array',
        'options': 'mapping', 'series_id': 'any'}),
    'cxpath.forecast.coverage': E({'actual': 'array', 'lower': 'array', 'upper': 'array'}),
    'cxpath.forecast.croston': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'variant': 'option',
        'alpha': 'probability', 'level': 'array', 'series_id': 'any'}),
    'cxpath.forecast.drift': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'level': 'array', 'series_id': 'any'}),
    'cxpath.forecast.ets': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'm': 'count', 'model': 'option',
        'damped': 'bool', 'alpha': 'probability', 'beta': 'probability', 'gamma': 'probability',
        'phi': 'probability', 'initial_states': 'array', 'ic': 'option', 'additive_only': 'bool',
        'level': 'array', 'intervals': 'option', 'npaths': 'count', 'seed': 'seed',
        'restarts': 'count', 'beta_region': 'option', 'series_id': 'any', 'sanity': 'bool'}),
    'cxpath.forecast.flag_outside': E({'actual': 'array', 'forecast': 'result',
        'level': 'probability'}),
    'cxpath.forecast.forecast_many': E({'ds': 'column', 'freq': 'option', 'scheduler': 'option',
        'series': 'matrix', 'h': 'count', 'method': 'option',
        'm': 'count', 'id': 'column', 'value': 'column', 'order': 'option', 'level': 'array',
        'n_jobs': 'count', 'progress': 'bool', 'options': 'mapping'}),
    'cxpath.forecast.holt': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'damped': 'bool',
        'alpha': 'probability', 'beta': 'probability', 'phi': 'probability', 'level': 'array',
        'beta_region': 'option', 'series_id': 'any'}),
    'cxpath.forecast.holt_winters': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'm': 'count',
        'seasonal': 'option', 'damped': 'bool', 'alpha': 'probability', 'beta': 'probability',
        'gamma': 'probability', 'phi': 'probability', 'initial_states': 'array', 'level': 'array',
        'beta_region': 'option', 'series_id': 'any'}),
    'cxpath.forecast.imapa': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'level': 'array', 'series_id': 'any'}),
    'cxpath.forecast.leaderboard': E({'sort_by': 'option'}),
    'cxpath.forecast.mae': E({'actual': 'array', 'forecast': 'array'}),
    'cxpath.forecast.mase': E({'actual': 'array', 'forecast': 'array', 'insample': 'array',
        'm': 'count'}),
    'cxpath.forecast.mean_forecast': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'level': 'array',
        'series_id': 'any'}),
    'cxpath.forecast.naive': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'level': 'array', 'series_id': 'any'}),
    'cxpath.forecast.pinball': E({'actual': 'array', 'quantile_forecast': 'array',
        'q': 'probability'}),
    'cxpath.forecast.rmse': E({'actual': 'array', 'forecast': 'array'}),
    'cxpath.forecast.seasonal_naive': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'm': 'count',
        'level': 'array', 'series_id': 'any'}),
    'cxpath.forecast.ses': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'alpha': 'probability', 'level': 'array',
        'series_id': 'any'}),
    'cxpath.forecast.smape': E({'actual': 'array', 'forecast': 'array'}),
    'cxpath.forecast.theta': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'm': 'count', 'seasonal_test': 'bool',
        'alpha': 'probability', 'level': 'array', 'series_id': 'any'}),
    'cxpath.forecast.tsb': E({'dates': 'array', 'freq': 'option',
        'y': 'array', 'h': 'count', 'alpha_d': 'probability',
        'alpha_p': 'probability', 'level': 'array', 'series_id': 'any'}),
    'cxpath.forecast.wape': E({'actual': 'array', 'forecast': 'array'}),
    'cxpath.io.OcelLog.flatten': E({'object_type': 'column', 'to': 'option'},
      example=EX['cxpath.io.OcelLog.flatten']),
    'cxpath.io.XesLog.to_journeys': E({}),
    'cxpath.io.flatten': E({'ocel': 'result', 'object_type': 'column', 'to': 'option'}),
    'cxpath.io.read_events': E({'path': 'path', 'case': 'column', 'touchpoint': 'column',
        'timestamp': 'column', 'format': 'option', 'to': 'option', 'engine': 'option',
        'delimiter': 'text', 'encoding': 'option', 'text_columns': 'labels'}),
    'cxpath.io.read_ocel': E({'path': 'path', 'format': 'option'}),
    'cxpath.io.read_xes': E({'path': 'path', 'to': 'option', 'engine': 'option',
        'apply_globals': 'bool'}),
    'cxpath.journeys.Attribute.__init__': E({'values': 'array', 'labels': 'any', 'kind': 'option'}),
    'cxpath.journeys.Attribute.equals': E({'other': 'any'},
      example=EX['cxpath.journeys.Attribute.equals']),
    'cxpath.journeys.Attribute.take': E({'index': 'array'}),
    'cxpath.journeys.Bottlenecks.plot': E({'ax': 'axes'},
      example=EX['cxpath.journeys.Bottlenecks.plot'], skip=_PLOT_KW),
    'cxpath.journeys.Breakpoints.plot': E({'ax': 'axes'},
      example=EX['cxpath.journeys.Breakpoints.plot'], skip=_PLOT_KW),
    'cxpath.journeys.CleaningReport.raise_if_unclean': E({'func': 'option'},
      example=EX['cxpath.journeys.CleaningReport.raise_if_unclean']),
    'cxpath.journeys.Funnel.plot': E({'ax': 'axes'},
      example=EX['cxpath.journeys.Funnel.plot'], skip=_PLOT_KW),
    'cxpath.journeys.Journey.__init__': E({'case_id': 'any', 'touchpoints': 'any',
        'times': 'array', 'channels': 'any', 'outcome': 'bool', 'value': 'real', 'weight': 'int',
        'starts': 'array', 'event_attributes': 'mapping', 'case_attributes': 'mapping',
        'tz': 'option'}),
    'cxpath.journeys.JourneyGraph.has_edge': E({'u': 'column', 'v': 'column'},
      example=EX['cxpath.journeys.JourneyGraph.has_edge']),
    'cxpath.journeys.JourneyGraph.has_node': E({'node': 'column'},
      example=EX['cxpath.journeys.JourneyGraph.has_node']),
    'cxpath.journeys.JourneyGraph.layout': E({}),
    'cxpath.journeys.JourneyGraph.neighbors': E({'node': 'column'},
      example=EX['cxpath.journeys.JourneyGraph.neighbors']),
    'cxpath.journeys.JourneyGraph.number_of_edges': E({'u': 'column', 'v': 'column'},
      example=EX['cxpath.journeys.JourneyGraph.number_of_edges']),
    'cxpath.journeys.JourneyGraph.plot': E({'ax': 'axes'},
      example=EX['cxpath.journeys.JourneyGraph.plot'], skip=_PLOT_KW),
    'cxpath.journeys.JourneyGraph.predecessors': E({'node': 'column'},
      example=EX['cxpath.journeys.JourneyGraph.predecessors']),
    'cxpath.journeys.JourneyGraph.successors': E({'node': 'column'},
      example=EX['cxpath.journeys.JourneyGraph.successors']),
    'cxpath.journeys.JourneyGraph.to_dot': E({},
      example=EX['cxpath.journeys.JourneyGraph.to_dot']),
    'cxpath.journeys.JourneyGraph.to_graphml': E({'path': 'path'},
      example=EX['cxpath.journeys.JourneyGraph.to_graphml']),
    'cxpath.journeys.JourneyGraph.to_mermaid': E({},
      example=EX['cxpath.journeys.JourneyGraph.to_mermaid']),
    'cxpath.journeys.JourneyGraph.to_svg': E({'path': 'path'}),
    'cxpath.journeys.JourneyStats.__init__': E({'vocab': 'any', 'order': 'count',
        'n_cases': 'count', 'n_success': 'count', 'starts': 'array', 'ends': 'array',
        'ends_success': 'array', 'visits': 'array', 'reach': 'array', 'reach_success': 'array',
        'edge_keys': 'array', 'edge_counts': 'array', 'edge_success': 'array',
        'edge_wait_sum': 'array', 'edge_wait_count': 'array', 'edge_wait_min': 'array',
        'edge_wait_max': 'array', 'service_sum': 'array', 'service_count': 'array',
        'service_min': 'array', 'service_max': 'array', 'window_keys': 'array',
        'window_counts': 'array', 'window_success': 'array', 'variant_codes': 'array',
        'variant_offsets': 'array', 'variant_counts': 'array', 'variant_success': 'array',
        'variant_duration_sum': 'array', 'variant_value': 'array', 'has_times': 'bool',
        'has_value': 'bool', 'has_service': 'bool'}),
    'cxpath.journeys.JourneyStats.empty': E({'vocab': 'labels', 'order': 'count',
        'has_times': 'bool', 'has_value': 'bool', 'has_service': 'bool'},
      example=EX['cxpath.journeys.JourneyStats.empty']),
    'cxpath.journeys.JourneyStats.equals': E({'other': 'stats', 'rtol': 'probability'},
      example=EX['cxpath.journeys.JourneyStats.equals']),
    'cxpath.journeys.JourneyStats.from_journeys': E({'journeys': 'journeys', 'order': 'count'}),
    'cxpath.journeys.JourneyStats.merge': E({'other': 'stats'},
      example=EX['cxpath.journeys.JourneyStats.merge']),
    'cxpath.journeys.Journeys.__init__': E({'codes': 'array', 'offsets': 'array', 'vocab': 'any',
        'case_ids': 'array', 'times': 'array', 'channels': 'array', 'channel_vocab': 'any',
        'outcome': 'array', 'value': 'array', 'weight': 'array', 'starts': 'array',
        'event_attributes': 'mapping', 'case_attributes': 'mapping', 'cleaning_report': 'result',
        'tz': 'option'}),
    'cxpath.journeys.Journeys.attribute': E({'name': 'text', 'func': 'option'}),
    'cxpath.journeys.Journeys.equals': E({'other': 'journeys'},
      example=EX['cxpath.journeys.Journeys.equals']),
    'cxpath.journeys.Journeys.from_events': E({'data': 'frame', 'case': 'column',
        'touchpoint': 'column', 'timestamp': 'column', 'channel': 'column', 'outcome': 'column',
        'value': 'column', 'success': 'labels', 'start_timestamp': 'column', 'lifecycle': 'column',
        'resource': 'column', 'event_attributes': 'column', 'case_attributes': 'column',
        'fill': 'mapping', 'normalize_labels': 'bool', 'unit': 'text', 'tz': 'option',
        'strict': 'bool', 'duplicates': 'option', 'value_agg': 'option', 'time_format': 'option',
        'vocab': 'labels'}),
    'cxpath.journeys.Journeys.from_paths': E({'paths': 'labels', 'conversions': 'array',
        'nulls': 'array', 'value': 'array', 'sep': 'text', 'strict': 'bool'}),
    'cxpath.journeys.Journeys.keep_events': E({'mask': 'array'}),
    'cxpath.journeys.Journeys.select': E({'which': 'array'}),
    'cxpath.journeys.Journeys.to_text': E({'show_ids': 'bool'}),
    'cxpath.journeys.Journeys.to_frame': E({'backend': 'option'}),
    'cxpath.journeys.Variants.path': E({'i': 'count'}),
    'cxpath.journeys.bottlenecks': E({'journeys': 'stats', 'sla': 'duration', 'level': 'option',
        'min_count': 'count', 'rank_by': 'option', 'by': 'column', 'calendar': 'calendar'}),
    'cxpath.journeys.breakpoints': E({'journeys': 'stats', 'level': 'option', 'min_cases': 'count',
        'confidence': 'probability', 'by': 'column'}),
    'cxpath.journeys.channel_switching': E({'journeys': 'journeys'}),
    'cxpath.journeys.conformance': E({'journeys': 'journeys', 'reference': 'graph', 'top': 'count',
        'by': 'column'}),
    'cxpath.journeys.critical_path': E({'journeys': 'journeys', 'rank_by': 'option',
        'min_share': 'probability', 'min_cases': 'count', 'by': 'column'}),
    'cxpath.journeys.funnel': E({'journeys': 'journeys', 'steps': 'labels', 'mode': 'option',
        'top_next': 'count', 'by': 'column', 'calendar': 'calendar'}),
    'cxpath.journeys.graph_svg.LegendEntry.__init__': E({'kind': 'option', 'x': 'real',
        'y': 'real', 'width': 'real', 'height': 'real', 'text': 'text', 'fill': 'text',
        'stroke': 'text', 'dash': 'bool', 'line_width': 'real'}),
    'cxpath.journeys.graph_svg.MapEdge.__init__': E({'source': 'text', 'target': 'any',
        'count': 'count', 'back': 'bool', 'width': 'real', 'path': 'any', 'arrow': 'any',
        'label': 'column', 'label_box': 'any', 'color': 'text', 'title': 'text'}),
    'cxpath.journeys.graph_svg.MapLayout.__init__': E({'nodes': 'any', 'edges': 'any',
        'legend': 'any', 'width': 'real', 'height': 'real', 'title': 'text', 'font_size': 'real',
        'n_layers': 'count', 'hidden_edges': 'int', 'title_box': 'any', 'color_range': 'any'}),
    'cxpath.journeys.graph_svg.MapLayout.node': E({'node': 'column'}),
    'cxpath.journeys.graph_svg.MapNode.__init__': E({'node': 'column', 'label': 'column',
        'lines': 'any', 'layer': 'int', 'x': 'real', 'y': 'real', 'width': 'real',
        'height': 'real', 'fill': 'text', 'stroke': 'text', 'text_color': 'text',
        'virtual': 'bool', 'title': 'text', 'baselines': 'any', 'value': 'real'}),
    'cxpath.journeys.graph_svg.map_layout': E({'graph': 'graph', 'color_by': 'column',
        'min_share': 'probability', 'top_edges': 'count', 'label_share': 'probability',
        'font_size': 'real', 'title': 'text', 'measure': 'callable'}),
    'cxpath.journeys.graph_svg.render_svg': E({'layout': 'result', 'scalable': 'bool'}),
    'cxpath.journeys.graph_svg.to_svg': E({'graph': 'graph', 'path': 'path'}),
    'cxpath.journeys.handovers': E({'journeys': 'journeys', 'attribute': 'column', 'by': 'column',
        'include_self': 'bool', 'min_count': 'count', 'calendar': 'calendar'}),
    'cxpath.journeys.journey_graph': E({'journeys': 'stats', 'min_count': 'count',
        'min_coverage': 'probability', 'by': 'column'}),
    'cxpath.journeys.repeat_contacts': E({'journeys': 'journeys', 'customer': 'array',
        'window': 'duration', 'data': 'frame', 'by': 'column'},
      example=EX['cxpath.journeys.repeat_contacts']),
    'cxpath.journeys.rework': E({'journeys': 'journeys', 'by': 'column'}),
    'cxpath.journeys.to_dot': E({'graph': 'graph', 'name': 'text'}),
    'cxpath.journeys.to_graphml': E({'graph': 'graph', 'path': 'path'}),
    'cxpath.journeys.to_mermaid': E({'graph': 'graph', 'direction': 'option'}),
    'cxpath.journeys.variants': E({'journeys': 'stats', 'top': 'count', 'by': 'column',
        'calendar': 'calendar'}),
    'cxpath.kpi.Cohorts.plot': E({'ax': 'axes'},
      example=EX['cxpath.kpi.Cohorts.plot'], skip=_PLOT_KW),
    'cxpath.kpi.SLAClocks.at_risk': E({'horizon': 'duration', 'include_overdue': 'bool'}),
    'cxpath.kpi.SLAClocks.attainment': E({'by': 'column', 'confidence': 'probability'}),
    'cxpath.kpi.abandonment_rate': E({'abandoned': 'column', 'data': 'frame', 'by': 'column',
        'confidence': 'probability'}),
    'cxpath.kpi.average_handle_time': E({'handle_time': 'column', 'data': 'frame', 'by': 'column',
        'probs': 'array'}),
    'cxpath.kpi.average_speed_of_answer': E({'wait': 'column', 'answered': 'column',
        'data': 'frame', 'by': 'column', 'probs': 'array'}),
    'cxpath.kpi.backlog': E({'created': 'column', 'resolved_at': 'column', 'data': 'frame',
        'by': 'column', 'at': 'instant', 'freq': 'option', 'age_bins': 'array'}),
    'cxpath.kpi.business_case': E({'investment': 'real', 'benefit': 'array',
        'running_cost': 'array', 'periods': 'count', 'rate': 'real'}),
    'cxpath.kpi.business_seconds': E({'start': 'instant', 'end': 'instant', 'calendar': 'calendar',
        'open': 'real', 'close': 'real', 'weekmask': 'text', 'holidays': 'any'}),
    'cxpath.kpi.ces': E({'scores': 'column', 'weights': 'column', 'data': 'frame', 'by': 'column',
        'scale': 'any', 'threshold': 'int', 'confidence': 'probability', 'nan_policy': 'option'}),
    'cxpath.kpi.compare': E({'before': 'column', 'after': 'column', 'kind': 'option',
        'data': 'frame', 'confidence': 'probability', 'alpha': 'probability', 'n_boot': 'count',
        'seed': 'seed', 'label': 'column'}),
    'cxpath.kpi.csat': E({'scores': 'column', 'weights': 'column', 'data': 'frame', 'by': 'column',
        'scale': 'any', 'threshold': 'int', 'confidence': 'probability', 'nan_policy': 'option'}),
    'cxpath.kpi.days_of_supply': E({'on_hand': 'array', 'daily_demand': 'array'}),
    'cxpath.kpi.durations': E({'values': 'column', 'data': 'frame', 'by': 'column',
        'probs': 'array', 'name': 'text', 'unit': 'text'}),
    'cxpath.kpi.eoq': E({'demand': 'array', 'order_cost': 'array', 'holding_cost': 'array'}),
    'cxpath.kpi.erlang_a': E({'volume': 'array', 'aht': 'array', 'agents': 'array',
        'patience': 'duration', 'interval': 'duration', 'answer_time': 'array'}),
    'cxpath.kpi.erlang_b': E({'agents': 'array', 'load': 'array'}),
    'cxpath.kpi.erlang_c': E({'volume': 'array', 'aht': 'array', 'agents': 'array',
        'interval': 'duration', 'answer_time': 'array'}),
    'cxpath.kpi.first_contact_resolution': E({'resolved_first_contact': 'column', 'data': 'frame',
        'by': 'column', 'confidence': 'probability'}),
    'cxpath.kpi.interval_staffing': E({'volume': 'column', 'aht': 'column', 'data': 'frame',
        'start': 'instant', 'interval': 'duration', 'answer_time': 'array', 'target': 'array',
        'max_occupancy': 'array', 'max_asa': 'array', 'shrinkage': 'array', 'model': 'option',
        'patience': 'duration', 'max_abandon': 'probability'}),
    'cxpath.kpi.inventory_turnover': E({'cost_of_goods': 'array', 'average_inventory': 'array'}),
    'cxpath.kpi.irr': E({'cashflows': 'array'}),
    'cxpath.kpi.nps': E({'scores': 'column', 'weights': 'column', 'data': 'frame', 'by': 'column',
        'confidence': 'probability', 'n_boot': 'count', 'seed': 'seed', 'nan_policy': 'option'}),
    'cxpath.kpi.nps_sample_size': E({'margin': 'real', 'promoters': 'probability',
        'detractors': 'probability', 'confidence': 'probability'}),
    'cxpath.kpi.npv': E({'rate': 'real', 'cashflows': 'array'}),
    'cxpath.kpi.parts_policy': E({'demand': 'array', 'lead_time': 'array', 'parts': 'array',
        'service_level': 'probability', 'unit_cost': 'array', 'slow_limit': 'real'}),
    'cxpath.kpi.payback_period': E({'cashflows': 'array'}),
    'cxpath.kpi.rate': E({'flags': 'column', 'data': 'frame', 'by': 'column', 'name': 'text',
        'confidence': 'probability'}),
    'cxpath.kpi.reorder_point': E({'demand_mean': 'array', 'demand_sd': 'array',
        'lead_time': 'array', 'lead_time_sd': 'array', 'service_level': 'array',
        'order_quantity': 'array'}),
    'cxpath.kpi.repeat_contact_rate': E({'contacts': 'column', 'data': 'frame', 'by': 'column',
        'confidence': 'probability'}),
    'cxpath.kpi.resolution_times': E({'created': 'column', 'resolved_at': 'column',
        'data': 'frame', 'by': 'column', 'probs': 'array', 'calendar': 'calendar',
        'business_hours': 'mapping'}),
    'cxpath.kpi.response_times': E({'created': 'column', 'first_response': 'column',
        'data': 'frame', 'by': 'column', 'probs': 'array', 'calendar': 'calendar',
        'business_hours': 'mapping'}),
    'cxpath.kpi.retention_cohorts': E({'customer': 'column', 'timestamp': 'column',
        'data': 'frame', 'period': 'option'}),
    'cxpath.kpi.roi': E({'gain': 'array', 'cost': 'array'}),
    'cxpath.kpi.sla_attainment': E({'start': 'instant', 'end': 'instant', 'priority': 'column',
        'thresholds': 'duration', 'data': 'frame', 'by': 'column', 'as_of': 'instant',
        'calendar': 'calendar', 'business_hours': 'mapping', 'confidence': 'probability'}),
    'cxpath.kpi.sla_clocks': E({'journeys': 'journeys', 'targets': 'duration', 'priority': 'array',
        'pause': 'labels', 'start': 'instant', 'stop': 'labels', 'calendar': 'calendar',
        'as_of': 'instant'}),
    'cxpath.kpi.slow_mover_stock': E({'demand_rate': 'array', 'lead_time': 'array',
        'target': 'array', 'measure': 'option', 'distribution': 'option',
        'variance_to_mean': 'array'}),
    'cxpath.kpi.staffing': E({'volume': 'array', 'aht': 'array', 'interval': 'duration',
        'answer_time': 'array', 'target': 'array', 'max_occupancy': 'array', 'max_asa': 'array',
        'shrinkage': 'array'}),
    'cxpath.kpi.staffing_erlang_a': E({'volume': 'array', 'aht': 'array', 'patience': 'duration',
        'interval': 'duration', 'answer_time': 'array', 'target': 'array', 'max_abandon': 'array',
        'max_occupancy': 'array', 'max_asa': 'array', 'shrinkage': 'array'}),
    'cxpath.kpi.task_completion_rate': E({'completed': 'column', 'data': 'frame', 'by': 'column',
        'confidence': 'probability'}),
    'cxpath.kpi.ticket_kpis': E({'data': 'frame', 'by': 'column', 'created': 'column',
        'first_response': 'column', 'resolved_at': 'column', 'resolved': 'column', 'fcr': 'column',
        'handle_time': 'column', 'contacts': 'column', 'calendar': 'calendar',
        'business_hours': 'mapping'}),
    'cxpath.plot.action_priority': E({'table': 'result', 'ax': 'axes', 'detection': 'int',
        'matrix': 'any'}),
    'cxpath.plot.attribution': E({'result': 'result', 'ax': 'axes', 'kind': 'option',
        'models': 'labels'}),
    'cxpath.plot.bottlenecks': E({'result': 'result', 'ax': 'axes', 'top': 'count',
        'unit': 'text'}),
    'cxpath.plot.breakpoints': E({'result': 'result', 'ax': 'axes', 'top': 'count'}),
    'cxpath.plot.control_chart': E({'result': 'result', 'ax': 'axes', 'companion': 'bool'}),
    'cxpath.plot.forecast': E({'result': 'result', 'ax': 'axes', 'history': 'array',
        'actual': 'array', 'last': 'int', 'flag_level': 'probability'}),
    'cxpath.plot.funnel': E({'result': 'result', 'ax': 'axes'}),
    'cxpath.plot.journey_flow': E({'journeys': 'journeys', 'ax': 'axes', 'steps': 'count',
        'top': 'count'}),
    'cxpath.plot.journey_graph': E({'graph': 'graph', 'ax': 'axes', 'color_by': 'column',
        'min_share': 'probability', 'label_share': 'probability', 'top_edges': 'count',
        'font_size': 'real', 'cmap_name': 'option'}),
    'cxpath.plot.loadings': E({'result': 'result', 'ax': 'axes', 'structure': 'bool',
        'cutoff': 'probability', 'annotate': 'bool', 'cmap_name': 'option'}),
    'cxpath.plot.pareto': E({'result': 'result', 'ax': 'axes'}),
    'cxpath.plot.retention': E({'result': 'result', 'ax': 'axes', 'annotate': 'bool',
        'cmap_name': 'option'}),
    'cxpath.plot.risk_matrix': E({'result': 'result', 'ax': 'axes', 'annotate': 'bool',
        'cmap_name': 'option'}),
    'cxpath.plot.value_effort': E({'result': 'result', 'ax': 'axes', 'annotate': 'bool'}),
    'cxpath.privacy.mask_text': E({'texts': 'labels', 'emails': 'bool', 'phones': 'bool',
        'order_ids': 'option', 'numbers': 'bool', 'placeholders': 'mapping',
        'return_counts': 'bool'}),
    'cxpath.privacy.pseudonymize': E({'keys': 'any', 'secret': 'option', 'length': 'count',
        'return_mapping': 'bool'}),
    'cxpath.report.Figure.__init__': E({'caption': 'text', 'make': 'callable', 'svg': 'callable'},
      example=EX['cxpath.report.Figure.__init__']),
    'cxpath.report.Inputs.__init__': E({'journeys': 'any', 'success': 'column', 'tickets': 'any',
        'survey': 'any', 'demand': 'any', 'calendar': 'calendar', 'sample': 'any',
        'sources': 'any', 'sla': 'duration'}),
    'cxpath.report.Report.__init__': E({'sections': 'any', 'inputs': 'result', 'generated': 'text',
        'version': 'text',
        'show_ids': 'bool'}),
    'cxpath.report.Report.to_html': E({'figures': 'bool',
        'show_ids': 'bool'},
      example=EX['cxpath.report.Report.to_html']),
    'cxpath.report.Report.to_markdown': E({'figures': 'mapping',
        'show_ids': 'bool'},
      example=EX['cxpath.report.Report.to_markdown']),
    'cxpath.report.Report.to_text': E({'show_ids': 'bool'},
      example=EX['cxpath.report.Report.to_text']),
    'cxpath.report.Section.__init__': E({'key': 'column', 'title': 'text', 'blocks': 'any',
        'findings': 'any', 'skipped': 'option', 'seconds': 'duration'}),
    'cxpath.report.Source.__init__': E({'role': 'text', 'path': 'text', 'rows': 'count',
        'note': 'text'}),
    'cxpath.report.Table.__init__': E({'title': 'text', 'columns': 'mapping',
        'how_to_read': 'text', 'headers': 'mapping', 'percent': 'any', 'durations': 'mapping',
        'max_rows': 'count',
        'with_ids': 'mapping'},
      example=EX['cxpath.report.Table.__init__']),
    'cxpath.report.Text.__init__': E({'text': 'text',
        'with_ids': 'mapping'}),
    'cxpath.report.build_report': E({'inputs': 'result', 'sections': 'labels',
        'progress': 'callable',
        'show_ids': 'bool'}),
    'cxpath.report.sample_inputs': E({'sample': 'result'}),
    'cxpath.report.section_text': E({'key': 'column', 'sample': 'result'},
      example=EX['cxpath.report.section_text']),
    'cxpath.report.write_report': E({'out_dir': 'path', 'report': 'result', 'fmt': 'option',
        'xlsx': 'bool', 'force': 'bool',
        'show_ids': 'bool'},
      example=EX['cxpath.report.write_report']),
    'cxpath.spc.ControlChart.plot': E({'ax': 'axes'},
      example=EX['cxpath.spc.ControlChart.plot'], skip=_PLOT_KW),
    'cxpath.spc.ControlConstants.row': E({'n': 'count'}),
    'cxpath.spc.Rule.__init__': E({'code': 'text', 'kind': 'option', 'window': 'count',
        'count': 'count', 'k': 'real'}),
    'cxpath.spc.Rule.describe': E({'side': 'int'}),
    'cxpath.spc.RuleSet.__init__': E({'rules': 'any'}),
    'cxpath.spc.Signals.at': E({'index': 'count'},
      example=EX['cxpath.spc.Signals.at']),
    'cxpath.spc.c4': E({'n': 'count'}),
    'cxpath.spc.c_chart': E({'counts': 'array', 'baseline': 'array', 'exclude': 'array',
        'refit': 'count', 'params': 'mapping', 'rules': 'option', 'nsigma': 'real',
        'labels': 'array'}),
    'cxpath.spc.control_constants': E({'n': 'array'}),
    'cxpath.spc.cusum': E({'x': 'array', 'k': 'real', 'h': 'real', 'target': 'probability',
        'sigma': 'real', 'baseline': 'array', 'params': 'mapping', 'reset': 'bool',
        'labels': 'array'}),
    'cxpath.spc.d2': E({'n': 'count'}),
    'cxpath.spc.d3': E({'n': 'count'}),
    'cxpath.spc.ewma': E({'x': 'array', 'lam': 'probability', 'L': 'real', 'target': 'probability',
        'sigma': 'real', 'baseline': 'array', 'params': 'mapping', 'asymptotic': 'bool',
        'labels': 'array'}),
    'cxpath.spc.imr': E({'x': 'array', 'baseline': 'array', 'exclude': 'array', 'refit': 'count',
        'params': 'mapping', 'rules': 'option', 'nsigma': 'real', 'labels': 'array'}),
    'cxpath.spc.nelson': E({'rules': 'array', 'run_length': 'count', 'trend_length': 'count',
        'alternating_length': 'count', 'stratification_length': 'count',
        'mixture_length': 'count'}),
    'cxpath.spc.np_chart': E({'counts': 'array', 'sizes': 'array', 'baseline': 'array',
        'exclude': 'array', 'refit': 'count', 'params': 'mapping', 'rules': 'option',
        'nsigma': 'real', 'labels': 'array'}),
    'cxpath.spc.p_chart': E({'counts': 'array', 'sizes': 'array', 'laney': 'bool',
        'baseline': 'array', 'exclude': 'array', 'refit': 'count', 'params': 'mapping',
        'rules': 'option', 'nsigma': 'real', 'labels': 'array'}),
    'cxpath.spc.run_rules': E({'values': 'array', 'center': 'array', 'sigma': 'array',
        'rules': 'option', 'nsigma': 'real', 'sigma_lower': 'array'}),
    'cxpath.spc.u_chart': E({'counts': 'array', 'exposure': 'array', 'laney': 'bool',
        'baseline': 'array', 'exclude': 'array', 'refit': 'count', 'params': 'mapping',
        'rules': 'option', 'nsigma': 'real', 'labels': 'array'}),
    'cxpath.spc.western_electric': E({'rules': 'array', 'run_length': 'count'}),
    'cxpath.spc.xbar_r': E({'data': 'frame', 'baseline': 'array', 'exclude': 'array',
        'refit': 'count', 'params': 'mapping', 'rules': 'option', 'nsigma': 'real',
        'labels': 'array'}),
    'cxpath.spc.xbar_s': E({'data': 'frame', 'baseline': 'array', 'exclude': 'array',
        'refit': 'count', 'params': 'mapping', 'rules': 'option', 'nsigma': 'real',
        'labels': 'array'}),
    'cxpath.survey.ConstructValidity.htmt_frame': E({'backend': 'option'},
      example=EX['cxpath.survey.ConstructValidity.htmt_frame']),
    'cxpath.survey.Efa.plot': E({'ax': 'axes'},
      example=EX['cxpath.survey.Efa.plot'], skip=_PLOT_KW),
    'cxpath.survey.Efa.variance_frame': E({'backend': 'option'},
      example=EX['cxpath.survey.Efa.variance_frame']),
    'cxpath.survey.Omega.plot': E({'ax': 'axes'},
      example=EX['cxpath.survey.Omega.plot'], skip=_PLOT_KW),
    'cxpath.survey.PathModel.coefficient_frame': E({'backend': 'option'},
      example=EX['cxpath.survey.PathModel.coefficient_frame']),
    'cxpath.survey.PathModel.indirect_frame': E({'backend': 'option'},
      example=EX['cxpath.survey.PathModel.indirect_frame']),
    'cxpath.survey.bartlett_sphericity': E({'data': 'matrix', 'items': 'labels',
        'nan_policy': 'option'}),
    'cxpath.survey.construct_validity': E({'data': 'frame', 'constructs': 'labels',
        'method': 'option', 'cr_threshold': 'probability', 'ave_threshold': 'probability',
        'htmt_threshold': 'probability', 'nan_policy': 'option'}),
    'cxpath.survey.cronbach_alpha': E({'data': 'matrix', 'items': 'labels', 'nan_policy': 'option',
        'confidence': 'probability'}),
    'cxpath.survey.efa': E({'correlation': 'option', 'correct': 'probability',
        'data': 'matrix', 'items': 'labels', 'n_factors': 'count',
        'method': 'option', 'rotation': 'option', 'nan_policy': 'option', 'promax_power': 'count',
        'oblimin_gamma': 'real'}),
    'cxpath.survey.htmt': E({'data': 'frame', 'constructs': 'labels', 'threshold': 'probability',
        'absolute': 'bool', 'nan_policy': 'option', 'n_boot': 'count', 'confidence': 'probability',
        'seed': 'seed',
        'progress': 'bool'}),
    'cxpath.survey.importance_performance': E({'drivers': 'result', 'measure': 'option',
        'scale': 'any', 'importance_cut': 'real', 'performance_cut': 'real'}),
    'cxpath.survey.key_drivers': E({'data': 'frame', 'outcome': 'column', 'drivers': 'labels',
        'n_boot': 'count', 'confidence': 'probability', 'seed': 'seed', 'dominance': 'bool',
        'nan_policy': 'option',
        'progress': 'bool', 'max_boot': 'count'}),
    'cxpath.survey.kmo': E({'data': 'matrix', 'items': 'labels', 'nan_policy': 'option'}),
    'cxpath.survey.n_factors': E({'correlation': 'option', 'correct': 'probability',
        'data': 'matrix', 'items': 'labels', 'kind': 'option',
        'n_iter': 'count', 'quantile': 'probability', 'seed': 'seed', 'nan_policy': 'option',
        'max_iter': 'count'}),
    'cxpath.survey.omega_total': E({'data': 'matrix', 'items': 'labels', 'method': 'option',
        'nan_policy': 'option'}),
    'cxpath.survey.parse_paths': E({'spec': 'text', 'func': 'option'}),
    'cxpath.survey.path_model': E({'data': 'frame', 'model': 'option', 'standardized': 'bool',
        'n_boot': 'count', 'confidence': 'probability', 'seed': 'seed', 'nan_policy': 'option',
        'progress': 'bool'}),
    'cxpath.warmup': E({}),
}


def _merge_entry_modules() -> None:
    from .entries import merged

    extra = merged()
    twice = set(extra) & set(REGISTRY)
    if twice:
        raise AssertionError(f"registry entries defined twice: {sorted(twice)}")
    REGISTRY.update(extra)


_merge_entry_modules()

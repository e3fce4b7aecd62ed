// The MicroBatch status page: polls /api/status every second and redraws numbers, charts
// (uPlot, served from the runner's jar), the stage graph and the watermarks.
(function () {
  'use strict';

  const REFRESH_MILLIS = 1000;
  const MIN_MILLIS = -9223372036854775;  // Beam's minimum timestamp, in millis (-inf)

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    (children || []).forEach(c => node.append(c));
    return node;
  }

  function text(id, value) {
    document.getElementById(id).textContent = value;
  }

  function chart(id, label, color, extraSeries) {
    const target = document.getElementById(id);
    const series = [{}, { label: label, stroke: color, width: 2, fill: color + '22' }]
      .concat(extraSeries || []);
    const data = series.map(() => []);
    return new uPlot({
      width: 360,
      height: 200,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      series: series,
      axes: [{}, { size: 60 }],
    }, data, target);
  }

  const charts = {
    rate: chart('chart-rate', 'records/s', '#1f77b4'),
    processing: chart('chart-processing', 'processing ms', '#2ca02c',
      [{ label: 'interval ms', stroke: '#8a94a0', width: 1, dash: [6, 4] }]),
    delay: chart('chart-delay', 'delay ms', '#d62728'),
  };

  function drawCharts(status) {
    const batches = status.batches;
    const x = batches.map(b => b.startMillis / 1000);
    charts.rate.setData([x, batches.map(b => b.inputRate)]);
    charts.processing.setData([x, batches.map(b => b.processingMillis),
      batches.map(() => status.streaming ? status.batchIntervalMillis : null)]);
    charts.delay.setData([x, batches.map(b => b.schedulingDelayMillis)]);
  }

  function drawNumbers(status) {
    const state = document.getElementById('state');
    state.textContent = status.state;
    state.className = 'state ' + status.state;
    text('updated', 'updated ' + new Date(status.generatedAtMillis).toLocaleTimeString());
    text('batch-count', String(status.totals.batches));
    text('records-read', status.totals.recordsRead.toLocaleString('en-US'));
    text('interval', status.streaming ? status.batchIntervalMillis + ' ms' : 'batch mode');
    const last = status.batches[status.batches.length - 1];
    if (last) {
      text('last-rate', Math.round(last.inputRate).toLocaleString('en-US') + ' /s');
      text('last-processing', last.processingMillis + ' ms');
      text('last-delay', last.schedulingDelayMillis + ' ms');
      text('last-checkpoint', last.checkpointMillis + ' ms');
      text('state-bytes', (last.stateBytes / 1024).toFixed(1) + ' KiB');
    }
  }

  function consumerText(consumer) {
    const [kind, target] = [consumer.slice(0, consumer.indexOf(':')), consumer.slice(consumer.indexOf(':') + 1)];
    if (kind === 'shuffle') return 'stage ' + target + ' (shuffle)';
    if (kind === 'buffer') return 'stage ' + target + ' (buffer)';
    if (kind === 'view') return 'side input ' + target;
    return target;
  }

  function watermarkText(millis) {
    if (millis === null || millis === undefined) return 'none';
    if (millis <= MIN_MILLIS) return '-inf';
    if (millis >= -MIN_MILLIS) return '+inf';
    return new Date(millis).toISOString();
  }

  // Stages in columns by depth: a stage sits one column right of its deepest upstream stage.
  function drawStages(status) {
    const depth = {};
    status.stages.forEach(stage => {
      depth[stage.id] = stage.upstream.reduce((d, up) => Math.max(d, (depth[up] || 0) + 1), 0);
    });
    const columns = [];
    status.stages.forEach(stage => {
      (columns[depth[stage.id]] = columns[depth[stage.id]] || []).push(stage);
    });
    const root = document.getElementById('stages');
    root.replaceChildren(...columns.map(column => el('div', { class: 'column' }, column.map(stage => {
      const steps = el('ul', {}, stage.steps.map(step => el('li', {}, [step.name])));
      const outputs = stage.outputs.map(out => el('div', { class: 'out' }, [
        out.dataset + ' → ' + (out.consumers.length ? out.consumers.map(consumerText).join(', ') : 'nothing'),
      ]));
      return el('div', { class: 'stage', 'data-stage': String(stage.id) }, [
        el('h3', {}, ['Stage ' + stage.id + ' ', el('span', { class: 'kind' }, [stage.kind])]),
        steps,
        ...outputs,
        el('div', { class: 'out' }, ['watermark: ' + watermarkText(stage.watermarkMillis)]),
      ]);
    }))));
  }

  function drawWatermarks(status) {
    const body = document.querySelector('#watermarks tbody');
    body.replaceChildren(...status.watermarks.map(wm => {
      let behind = '';
      if (wm.display !== '-inf' && wm.display !== '+inf') {
        behind = ((status.generatedAtMillis - wm.millis) / 1000).toFixed(1) + ' s';
      }
      return el('tr', {}, [el('td', {}, [wm.dataset]), el('td', {}, [wm.display]), el('td', {}, [behind])]);
    }));
  }

  async function refresh() {
    const error = document.getElementById('error');
    try {
      const response = await fetch('/api/status', { cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const status = await response.json();
      drawNumbers(status);
      drawCharts(status);
      drawStages(status);
      drawWatermarks(status);
      error.hidden = true;
    } catch (e) {
      error.textContent = 'Cannot reach the pipeline: ' + e.message;
      error.hidden = false;
    }
  }

  refresh();
  setInterval(refresh, REFRESH_MILLIS);
})();

import { describe, expect, it } from 'vitest';
import { HttpInputMetrics } from '../../../agent/inputs/http/metrics.js';
import { EnvoyAlsInputMetrics } from '../../../agent/inputs/envoy-als/metrics.js';
import { AgentMetrics, renderPrometheus } from '../../../agent/metrics.js';

describe('agent /metrics text', () => {
  it("carries the inputs' own series, each family typed once, counters and gauges told apart", () => {
    const http = new HttpInputMetrics();
    http.requests = 7;
    http.rejected.unauthorized = 2;
    const als = new EnvoyAlsInputMetrics();
    als.streamsOpened = 3;
    als.streamsClosed = 1;
    const m = new AgentMetrics();
    m.linesRead = 9;
    const text = renderPrometheus(m, { lowslow_agent_events_pending: 4 }, { ...http.snapshot(), ...als.snapshot() });
    const lines = text.trim().split('\n');
    expect(lines).toContain('lowslow_http_input_requests_total 7');
    expect(lines).toContain('lowslow_http_input_requests_rejected_total{reason="unauthorized"} 2');
    expect(lines).toContain('lowslow_envoy_als_input_streams_open 2');
    expect(lines).toContain('# TYPE lowslow_envoy_als_input_streams_open gauge');
    expect(lines).toContain('# TYPE lowslow_http_input_requests_rejected_total counter');
    expect(lines.filter((l) => l === '# TYPE lowslow_http_input_requests_rejected_total counter')).toHaveLength(1);
    expect(lines).toContain('lowslow_agent_lines_read_total 9');
    // Every series line is `name[{labels}] number`, and every family has its TYPE line first.
    const typed = new Set<string>();
    for (const l of lines) {
      if (l.startsWith('# TYPE ')) typed.add(l.split(' ')[2] as string);
      else if (!l.startsWith('#')) {
        expect(l).toMatch(/^[a-z_]+(\{[a-z_]+="[^"]*"\})? -?[0-9.e+]+$/);
        const family = l.replace(/[{ ].*$/, '').replace(/_(bucket|sum|count)$/, '');
        expect(typed.has(family) || typed.has(l.replace(/[{ ].*$/, '')), l).toBe(true);
      }
    }
  });
});

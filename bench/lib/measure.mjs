// Latency measurement helpers: sequential requests over one keep-alive connection, percentiles.
import { Agent, request } from 'node:http';

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const median = (values) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** One GET; resolves to { status, body } (body as text). */
export function get(url, { headers = {}, agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `count` sequential GETs of `url` (after `warmup` unmeasured ones) over one keep-alive
 * connection; every answer must be 200. Returns the latencies in ms, sorted.
 */
export async function timeGets(url, { token, count = 200, warmup = 20 } = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const once = async () => {
    const started = performance.now();
    const { status } = await get(url, { headers, agent });
    if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
    return performance.now() - started;
  };
  try {
    for (let i = 0; i < warmup; i++) await once();
    const samples = [];
    for (let i = 0; i < count; i++) samples.push(await once());
    return samples.sort((a, b) => a - b);
  } finally {
    agent.destroy();
  }
}

export const ms = (value) => `${value.toFixed(2)} ms`;

// Process facts for benchmarks, read from /proc (Linux): which process listens on a TCP port (the
// apps started by `startSystem` do not expose their pids), its RSS, CPU time and open files; how
// many connections a port holds; the machine; and a file-descriptor limit high enough for many sockets.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

/**
 * Lines of /proc/net/tcp and /proc/net/tcp6 as `{ localPort, remoteAddress, state, inode }` (state
 * '0A' = LISTEN, '01' = ESTABLISHED; remoteAddress as hex, e.g. 0200007F = 127.0.0.2).
 */
function tcpTable() {
  const rows = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // no IPv6
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      rows.push({
        localPort: parseInt(fields[1].split(':')[1], 16),
        remoteAddress: fields[2].split(':')[0],
        state: fields[3],
        inode: fields[9],
      });
    }
  }
  return rows;
}

/**
 * The pid of the process listening on TCP `port`: the socket inode from /proc/net/tcp, then the
 * process that holds `socket:[inode]` among its fds (we are root, so every /proc/<pid>/fd is readable).
 */
export function pidListeningOn(port) {
  const inodes = new Set(
    tcpTable()
      .filter((row) => row.state === '0A' && row.localPort === port && row.inode !== '0')
      .map((r) => r.inode),
  );
  if (inodes.size === 0) throw new Error(`nothing listens on port ${port}`);
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds;
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or a kernel thread
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match && inodes.has(match[1])) return Number(pid);
      } catch {
        // fd closed meanwhile
      }
    }
  }
  throw new Error(`no process holds the socket listening on port ${port}`);
}

/** The command line of `pid`, arguments joined by spaces. */
export const cmdline = (pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();

/** The parent pid of `pid`. */
export const ppid = (pid) => Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

/** Resident set size of `pid` in bytes (VmRSS of /proc/<pid>/status). */
export function rssBytes(pid) {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match[1]) * 1024;
}

/** User + system CPU time of `pid` so far, in ms (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of the whole machine so far, in ms summed over all cores: `{ busy, total }` (from /proc/stat). */
export function machineCpuMs() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = fields[3] + fields[4]; // idle + iowait
  return { busy: (total - idle) * 10, total: total * 10 };
}

/** How many file descriptors `pid` has open. */
export const fdCount = (pid) => readdirSync(`/proc/${pid}/fd`).length;

/** IPv4 dotted form of a /proc/net/tcp address (little-endian hex); other forms as they are. */
const ipv4 = (hex) => (hex.length === 8 ? [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.') : hex);

/** ESTABLISHED TCP connections with `port` as their local port (the server's side of them), counted by client address. */
export function establishedOn(port) {
  const byClient = {};
  for (const row of tcpTable().filter((r) => r.state === '01' && r.localPort === port)) {
    const address = ipv4(row.remoteAddress);
    byClient[address] = (byClient[address] ?? 0) + 1;
  }
  return { total: Object.values(byClient).reduce((sum, n) => sum + n, 0), byClient };
}

/** Facts about the machine for a results file. */
export const machine = () => ({
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  kernel: release(),
});

/** The open-files limits `{ soft, hard }` of `pid` (default: this process). */
export function openFilesLimits(pid = 'self') {
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  const value = (text) => (text === 'unlimited' ? Infinity : Number(text));
  return { soft: value(match[1]), hard: value(match[2]) };
}

/** Whether this process may raise hard resource limits (CAP_SYS_RESOURCE, bit 24 of CapEff). */
export function canRaiseHardLimits() {
  const capEff = /^CapEff:\s+([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1];
  return ((BigInt(`0x${capEff}`) >> 24n) & 1n) === 1n;
}

/**
 * Makes sure this script runs with as many open files as it can up to `wanted`, so that it and
 * every process it starts (the apps, client processes) can hold that many sockets. Node cannot
 * call setrlimit, so when the soft limit is lower the script runs itself again under
 * `bash -c 'ulimit -n <limit> && exec node …'` and this process only relays signals and the exit
 * code. Above the hard limit only with CAP_SYS_RESOURCE (being root is not always enough: a
 * container may drop it); otherwise the soft limit is raised to the hard one. Resolves to the
 * limits `{ soft, hard }` the caller runs with, and never resolves in the relaying process.
 */
export async function ensureOpenFiles(wanted) {
  const limits = openFilesLimits();
  const target = canRaiseHardLimits() ? wanted : Math.min(wanted, limits.hard);
  if (limits.soft >= target || process.env.BENCH_NOFILE_RAISED) return limits;
  const child = spawn(
    'bash',
    [
      '-c',
      `ulimit -${target > limits.hard ? '' : 'S'}n ${target} && exec "$0" "$@"`,
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit', env: { ...process.env, BENCH_NOFILE_RAISED: '1' } },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
  return new Promise(() => undefined);
}

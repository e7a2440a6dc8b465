/**
 * CPU time of the benchmark's own processes, from Linux's /proc: the benchmark, every process it
 * started (services, workers, gateway, FerretDB, Redis), and the PostgreSQL backends serving its
 * database (the shared server's background processes are shown apart). A window between two
 * snapshots says where a phase's CPU went, per process and per unit of work, and how busy the
 * whole machine was. Elsewhere than Linux (no /proc) snapshots are empty and nothing is printed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

interface ProcessTimes {
  /** Per process (`pid:start`, so a reused pid is another process): its label and CPU seconds. */
  byProcess: Map<string, { label: string; seconds: number }>;
  /** Machine-wide busy and total CPU seconds (all cores), from /proc/stat. */
  machine: { busy: number; total: number };
  at: number;
}

// USER_HZ, the unit of /proc's times: 100 on the Linux platforms Node runs on (x86, arm64).
const TICKS_PER_SECOND = 100;

function readProc(
  pid: string,
): { ppid: number; start: string; comm: string; seconds: number; args: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state (field 3 of the line) ppid (4) … utime (14) stime (15) … starttime (22).
    return {
      ppid: Number(fields[1]),
      start: fields[19]!,
      comm,
      seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      args,
    };
  } catch {
    return null; // gone meanwhile
  }
}

function readMachine(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1, 9).map(Number);
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle! + iowait!) / TICKS_PER_SECOND };
}

/** A readable name for one of the benchmark's processes, or null when it is not one of them. */
function labelOf(
  proc: { comm: string; args: string },
  ours: boolean,
  self: boolean,
  databaseName: string,
  selfLabel: string,
): string | null {
  if (self) return selfLabel;
  if (proc.comm.startsWith('postgres') || proc.args.startsWith('postgres:')) {
    if (proc.args.includes(` ${databaseName} `)) return 'PostgreSQL (the benchmark database)';
    // Another database's backend (`… <user> <database> <host>(<port>)` or `… [local]`): not ours.
    if (/ \S+ \S+ ([^ ]*\(\d+\)|\[local\])/.test(proc.args)) return null;
    // The server's own processes (postmaster, WAL writer, checkpointer…): shared with anything else it serves.
    return 'PostgreSQL (server background)';
  }
  if (!ours) return null;
  if (proc.comm.includes('ferretdb')) return 'FerretDB';
  if (proc.comm.startsWith('redis')) return 'Redis';
  const script = proc.args.match(/(?:services\/(\w+)\/src\/(main|worker)|gateway\/src\/main)\.ts/);
  if (script) return script[1] ? `${script[1]} ${script[2] === 'main' ? 'API' : 'worker'}` : 'gateway';
  return proc.comm === 'node' ? null : proc.comm;
}

export function cpuSnapshot(
  databaseName: string,
  selfLabel = 'benchmark (load, receiver, subscriber)',
): ProcessTimes {
  const byProcess = new Map<string, { label: string; seconds: number }>();
  if (!existsSync('/proc/stat')) return { byProcess, machine: { busy: 0, total: 0 }, at: Date.now() };
  const procs = new Map<number, NonNullable<ReturnType<typeof readProc>>>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const proc = readProc(entry);
    if (proc) procs.set(Number(entry), proc);
  }
  const descends = (pid: number) => {
    for (let at = pid, hops = 0; at > 1 && hops < 64; hops++) {
      if (at === process.pid) return true;
      at = procs.get(at)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, proc] of procs) {
    const label = labelOf(proc, descends(pid), pid === process.pid, databaseName, selfLabel);
    if (label) byProcess.set(`${pid}:${proc.start}`, { label, seconds: proc.seconds });
  }
  return { byProcess, machine: readMachine(), at: Date.now() };
}

/** Lines describing the CPU spent between two snapshots, per process and per unit of work. */
export function describeCpu(
  before: ProcessTimes,
  after: ProcessTimes,
  units: number,
  unit: string,
): string[] {
  if (after.machine.total === 0 || units === 0) return [];
  const seconds = (after.at - before.at) / 1000;
  const cores = cpus().length;
  const machineBusy =
    (after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total);
  // Per process: what it used since the first snapshot, or since it started if it started after. A
  // process that ended in between is missing from the second (its last seconds go uncounted).
  const byLabel = new Map<string, number>();
  for (const [key, { label, seconds }] of after.byProcess) {
    const used = seconds - (before.byProcess.get(key)?.seconds ?? 0);
    byLabel.set(label, (byLabel.get(label) ?? 0) + used);
  }
  const spent = [...byLabel].filter(([, used]) => used > 0).sort((a, b) => b[1] - a[1]);
  const ours = spent.reduce((sum, [, used]) => sum + used, 0);
  const lines = [
    `CPU over ${seconds.toFixed(1)} s (${units} ${unit}s): the machine was ${(100 * machineBusy).toFixed(0)}% busy on ${cores} cores; the stack used ${(ours / seconds).toFixed(2)} cores, ${((1000 * ours) / units).toFixed(1)} ms per ${unit}`,
    `process | CPU s | share of a core | ms per ${unit}`,
  ];
  for (const [label, used] of spent)
    lines.push(
      `${label} | ${used.toFixed(1)} | ${((100 * used) / seconds).toFixed(0)}% | ${((1000 * used) / units).toFixed(2)}`,
    );
  return lines;
}

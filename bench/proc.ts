// What /proc says about a benchmarked server: the processes it is made of (itself and its
// descendants: nginx's master and worker, Gatehouse's workers), the CPU time they have used
// and their resident memory. Linux only.
import { readdirSync, readFileSync } from "node:fs";

/** `pid` and every process below it. */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pids[i]}/task`);
    } catch {
      continue; // gone
    }
    for (const task of tasks) {
      try {
        for (const child of readFileSync(`/proc/${pids[i]}/task/${task}/children`, "utf8").split(" ")) if (child.trim()) pids.push(Number(child));
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return pids;
}

/** CPU seconds (user + system, all threads) the process tree under `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime in clock ticks (USER_HZ = 100)
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

/** CPU seconds (user + system) of one process's main thread alone, where the gateway's
 * JavaScript runs (the other threads are Next.js's, okta-dev's, V8's and libuv's). */
export function mainThreadCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // gone
  }
}

/** Resident memory in MiB of the process tree under `pid`. */
export function rssMib(pid: number): number {
  let kib = 0;
  for (const p of processTree(pid)) {
    try {
      kib += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return Math.round(kib / 1024);
}

/** Waits (at most `maxMs`) until the tree uses under 5 % of a core: a run's trailing work
 * (analytics batches, GC) is counted as its own, not the next run's. */
export async function settled(pid: number, maxMs = 3_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  for (let last = cpuSeconds(pid); Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = cpuSeconds(pid);
    if (now - last < 0.0125) return;
    last = now;
  }
}
